import type { VerifyResult, VerifyRow } from '../../../shared/domain/file-load';
import type { AuthChoice, WriteParams } from '../../../shared/domain/write-request';
import { buildQueryRequest } from '../../../shared/query/query-request';
import { getRequestSpec, type SendHttp, type Target } from '../write-service';
import type { LandedCounts } from './loader';

/**
 * `--verify`: after a load, asks the server how many values each field of each measurement holds in
 * the time range written, and compares with what the server acknowledged. A retention policy that
 * silently drops old points, or a precision that put the points somewhere else, shows up as a
 * difference. Counts are per field because InfluxQL counts field values, not points.
 */

/** Quotes an InfluxQL identifier. */
function ident(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Queries `SELECT COUNT(*)` per measurement over [min, max] of the written timestamps (widened to
 * the load's wall-clock window for points the server stamped). Database and retention policy come
 * from the write parameters (v2's bucket `db/rp` is split the way 1.8+ maps it).
 */
export async function verifyLoad(
  send: SendHttp,
  input: {
    target: Target;
    params: WriteParams;
    auth: AuthChoice;
    token: string | null;
    landed: LandedCounts;
    loadStartedMs: number;
    loadEndedMs: number;
  },
): Promise<VerifyResult> {
  const { landed, params } = input;
  let from = landed.minNs;
  let to = landed.maxNs;
  if (landed.serverStamped > 0) {
    const a = BigInt(input.loadStartedMs - 1000) * 1_000_000n;
    const b = BigInt(input.loadEndedMs + 1000) * 1_000_000n;
    from = from === null || a < from ? a : from;
    to = to === null || b > to ? b : to;
  }
  const notes: string[] = [];
  if (landed.unidentified > 0)
    notes.push(
      `${landed.unidentified} point(s) were dropped without the server naming them: expected counts may be too high`,
    );
  const rows: VerifyRow[] = [];
  if (from === null || to === null) return { ok: true, rows, fromNs: '', toNs: '', notes, error: null };
  let db = params.db;
  let rp = params.rp;
  if (params.api === 'v2') {
    const slash = params.bucket.indexOf('/');
    db = slash < 0 ? params.bucket : params.bucket.slice(0, slash);
    rp = slash < 0 ? '' : params.bucket.slice(slash + 1);
  }
  const failed = (why: string): VerifyResult => ({
    ok: false,
    rows,
    fromNs: String(from),
    toNs: String(to),
    notes,
    error: `verify query failed: ${why}`,
  });
  for (const [measurement, m] of landed.measurements) {
    const q = `SELECT COUNT(*) FROM ${rp ? `${ident(rp)}.` : ''}${ident(measurement)} WHERE time >= ${from} AND time <= ${to}`;
    const built = buildQueryRequest(
      input.target.baseUrl,
      { q, db, rp: '', epoch: 'ns', chunked: false, chunkSize: 0, params: {}, method: 'GET' },
      input.auth,
      input.token,
    );
    const x = await send(getRequestSpec(input.target, built, input.auth, input.token));
    if (x.response === null || x.response.status !== 200) {
      const why =
        x.response === null
          ? (x.error?.message ?? 'no response')
          : `HTTP ${x.response.status} ${x.response.body.slice(0, 300)}`;
      return failed(why);
    }
    const found = countsOf(x.response.body);
    if (typeof found === 'string') return failed(found);
    for (const [field, expected] of m.fields) {
      rows.push({ measurement, field, expected, found: found.get(field) ?? 0 });
    }
  }
  const ok = rows.every((r) => r.found === r.expected);
  return { ok, rows, fromNs: from.toString(), toNs: to.toString(), notes, error: null };
}

/** `count_<field>` columns of a COUNT(*) answer, or the server's error. */
function countsOf(body: string): Map<string, number> | string {
  let json: {
    error?: string;
    results?: Array<{ error?: string; series?: Array<{ columns: string[]; values: unknown[][] }> }>;
  };
  try {
    json = JSON.parse(body) as typeof json;
  } catch {
    return 'the answer is not JSON';
  }
  if (json.error) return json.error;
  const r = json.results?.[0];
  if (r?.error) return r.error;
  const out = new Map<string, number>();
  for (const s of r?.series ?? []) {
    const row = s.values[0] ?? [];
    s.columns.forEach((c, i) => {
      if (c.startsWith('count_')) out.set(c.slice(6), (out.get(c.slice(6)) ?? 0) + Number(row[i] ?? 0));
    });
  }
  return out;
}

/** The comparison as text, one row per field. */
export function formatVerify(v: VerifyResult): string {
  let out = `verify: ${v.ok ? 'OK' : 'MISMATCH'}`;
  if (v.fromNs !== '') out += ` (time ${v.fromNs} .. ${v.toNs} ns)`;
  out += '\n';
  if (v.error !== null) out += `  ${v.error}\n`;
  for (const r of v.rows)
    out += `  ${r.found === r.expected ? ' ' : '!'} ${r.measurement}.${r.field}: accepted ${r.expected}, found ${r.found ?? '?'}\n`;
  for (const n of v.notes) out += `  note: ${n}\n`;
  return out;
}
