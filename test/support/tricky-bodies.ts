/**
 * Line-protocol bodies that tools tend to change on the way to the server: escapes, unicode, NUL, CR
 * and blank lines inside strings, CR inside a tag, int64 edges, whole floats of 2^53 and more, -0,
 * and measurement names with `,` and space. Every line has a timestamp, so writing the corpus twice
 * stores the same points, and each has its own measurement, so a wrong line is easy to name.
 *
 * Used by the write-fidelity, query-fidelity and export round-trip tests.
 */
export interface TrickyLine {
  /** What the line is about. */
  readonly id: string;
  /** The measurement as InfluxDB names it (unescaped). */
  readonly measurement: string;
  /** The line, exactly as written. */
  readonly lp: string;
}

export const TRICKY_LINES: readonly TrickyLine[] = [
  {
    id: 'escapes',
    measurement: 'fx_esc',
    lp: 'fx_esc,t=a\\ b\\,c\\=d,u=x\\\\y f\\ k="q\\"uote \\\\ back",n=1i 1000000001',
  },
  { id: 'unicode', measurement: 'fx_uni', lp: 'fx_uni,t=中文 s="é😀 ünï",v=1 1000000002' },
  { id: 'nul', measurement: 'fx_nul', lp: 'fx_nul d="\u0000123",e="a\u0000b" 1000000003' },
  { id: 'cr-inside', measurement: 'fx_cr', lp: 'fx_cr,t=a\rb s="l1\r\nl2",v=1 1000000004' },
  { id: 'blank-lines-in-string', measurement: 'fx_blank', lp: 'fx_blank s="a\n\nb\n\n\nc" 1000000005' },
  {
    id: 'int64-edges',
    measurement: 'fx_int',
    lp: 'fx_int i=9223372036854775807i,j=-9223372036854775808i,k=9007199254740993i,l=-9007199254740993i 1000000006',
  },
  {
    id: 'big-floats',
    measurement: 'fx_float',
    lp: 'fx_float f=1e20,g=9007199254740993,h=1.7976931348623157e308,k=123456789012345678901234567890 1000000007',
  },
  { id: 'negative-zero', measurement: 'fx_negz', lp: 'fx_negz f=-0,g=-0.0 1000000008' },
  { id: 'measurement-comma-space', measurement: 'fx,comma space', lp: 'fx\\,comma\\ space,t\\ k=v\\ 1 v=1 1000000009' },
  { id: 'booleans-empty-string', measurement: 'fx_misc', lp: 'fx_misc b=true,c=F,s="",q="\\"\\"" 1000000010' },
];

/** The whole corpus as one body, LF-separated, with a final LF. */
export const TRICKY_BODY = `${TRICKY_LINES.map((l) => l.lp).join('\n')}\n`;

/** influxd 1.x names each stored series key. */
export const SHOW_SERIES = ['SHOW SERIES FROM'] as const;
/** The sandbox (InfluxDB 3 InfluxQL) has no SHOW SERIES: its tag keys and field keys with their types. */
export const SHOW_KEYS = ['SHOW TAG KEYS FROM', 'SHOW FIELD KEYS FROM'] as const;

/**
 * What a database holds, as the server's own JSON text (no client parsing in between): the SHOW
 * statements given (by default SHOW SERIES, the series keys) and `SELECT *` of each line's measurement
 * with `epoch=ns`. One measurement per query, because a query over several casts a field to the type
 * another measurement gives it.
 */
export async function storedText(
  url: string,
  db: string,
  auth = '',
  lines: readonly TrickyLine[] = TRICKY_LINES,
  shows: readonly string[] = SHOW_SERIES,
): Promise<string> {
  const get = async (q: string): Promise<string> => {
    const res = await fetch(`${url}/query?db=${encodeURIComponent(db)}&epoch=ns${auth}&q=${encodeURIComponent(q)}`);
    if (res.status !== 200) throw new Error(`${q}: HTTP ${res.status} ${await res.text()}`);
    return res.text();
  };
  const parts: string[] = [];
  for (const l of lines) {
    const from = `"${l.measurement.replace(/"/g, '\\"')}"`;
    for (const show of shows) parts.push(await get(`${show} ${from}`));
    parts.push(await get(`SELECT * FROM ${from}`));
  }
  return parts.join('\n');
}
