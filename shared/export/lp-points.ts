import { goEntries, type LpFieldType, readLpToken } from '../errors/lp-entries';

/** One line of line protocol split into its parts, for clients that take point objects (node-influx). */
export interface LpPoint {
  readonly line: number;
  readonly measurement: string;
  readonly tags: ReadonlyArray<readonly [string, string]>;
  readonly fields: ReadonlyArray<{
    readonly key: string;
    readonly type: LpFieldType;
    readonly value: string | number | boolean;
    readonly raw: string;
  }>;
  /** Timestamp digits as written (kept as text: they can exceed 2^53). */
  readonly timestamp: string | null;
}

/** Result: the points and the lines that could not be read. */
export interface LpPointsResult {
  readonly points: LpPoint[];
  readonly skipped: number[];
}

/**
 * Reads line protocol into points with the 1.x escaping rules (`\,` `\=` `\ ` in names; `\"` and
 * `\\` in strings). Lenient by design: the workbench's editor has already validated the lines.
 */
export function parseLpPoints(body: string): LpPointsResult {
  const points: LpPoint[] = [];
  const skipped: number[] = [];
  for (const e of goEntries(body)) {
    const p = parseOne(e.text.replace(/\r$/, ''), e.line);
    if (p === null) skipped.push(e.line);
    else points.push(p);
  }
  return { points, skipped };
}

function parseOne(text: string, line: number): LpPoint | null {
  let i = 0;
  const n = text.length;
  const token = (stops: string): string => {
    const [out, next] = readLpToken(text, i, stops, ', ="');
    i = next;
    return out;
  };
  const measurement = token(', ');
  if (measurement === '') return null;
  const tags: Array<[string, string]> = [];
  while (text[i] === ',') {
    i++;
    const k = token('=, ');
    if (text[i] !== '=') return null;
    i++;
    tags.push([k, token(', ')]);
  }
  if (text[i] !== ' ') return null;
  while (text[i] === ' ') i++;
  const fields: Array<{ key: string; type: LpFieldType; value: string | number | boolean; raw: string }> = [];
  for (;;) {
    const key = token('= ');
    if (text[i] !== '=' || key === '') return null;
    i++;
    if (text[i] === '"') {
      let v = '';
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          v += text[i + 1];
          i += 2;
        } else v += text[i++];
      }
      if (text[i] !== '"') return null;
      i++;
      fields.push({ key, type: 'string', value: v, raw: v });
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== ' ') i++;
      const raw = text.slice(start, i);
      if (/^-?\d+i$/.test(raw))
        fields.push({ key, type: 'integer', value: Number(raw.slice(0, -1)), raw: raw.slice(0, -1) });
      else if (/^\d+u$/.test(raw))
        fields.push({ key, type: 'unsigned', value: Number(raw.slice(0, -1)), raw: raw.slice(0, -1) });
      else if (/^(t|T|true|True|TRUE)$/.test(raw)) fields.push({ key, type: 'boolean', value: true, raw });
      else if (/^(f|F|false|False|FALSE)$/.test(raw)) fields.push({ key, type: 'boolean', value: false, raw });
      else if (raw !== '' && Number.isFinite(Number(raw))) fields.push({ key, type: 'float', value: Number(raw), raw });
      else return null;
    }
    if (text[i] !== ',') break;
    i++;
  }
  while (text[i] === ' ') i++;
  let timestamp: string | null = null;
  if (i < n) {
    const m = /^(-?\d+) *$/.exec(text.slice(i));
    if (!m) return null;
    timestamp = m[1]!;
  }
  return { line, measurement, tags, fields, timestamp };
}
