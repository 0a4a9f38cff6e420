/**
 * Differential test (issue 10): the same seeded data set is written to a real influxd 1.6 and to the
 * sandbox; every query of the committed corpus runs on both and the series, tags, columns, values
 * and times must be equal, except for the 1.x-vs-3.x differences the spec documents (ALLOWED below).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type Influxd, startInfluxd } from '../support/influxd';
import { runSandboxCli, type SandboxProcess, startSandboxProcess } from '../support/sandbox';
import { type CorpusEntry, generateCorpus, generatePoints, SEED, toLineProtocol } from './sandbox-influxql-gen';

const CORPUS_FILE = path.join(__dirname, '../fixtures/sandbox-iql/corpus.json');

interface Series {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}
interface Result {
  statement_id: number;
  series?: Series[];
  error?: string;
}

/**
 * The documented differences between influxd 1.x and InfluxDB 3 that the comparison allows. Each is
 * applied to both answers before comparing, and nowhere else.
 */
const ALLOWED = {
  /** IOx writes times with chrono's AutoSi (0/3/6/9 digits: `.500Z`), 1.x with Go's RFC3339Nano (`.5Z`).
   * Source: spec §9.3 "Time", §10.2 "Differences from 1.x"; iox_v1_query_api/src/value.rs. */
  /** integral() without GROUP BY time: 1.x writes time 0 (its reducer's window start), InfluxDB 3 the WHERE
   * lower bound like every aggregate (spec §10.2 "aggregate without GROUP BY time", planner.rs default_timestamp).
   * The time column of such answers is not compared. */
  integralTime: (q: string): boolean => /\bintegral\(/.test(q) && !/GROUP BY time/.test(q),
  timeFraction: (v: unknown): unknown =>
    typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)
      ? v.replace(/\.(\d*?)0+(?=Z|[+-]\d\d:\d\d$)/, (_, d: string) => (d ? `.${d}` : ''))
      : v,
  /** Rows of different series with the same timestamp, merged into one output series: 1.x orders them by
   * iterator internals (the order changes with the projection), InfluxDB 3 by its sort (spec §10.3 note on
   * E1: "tie order for equal times … follows the Core test output"). Equal-time runs are compared as sets. */
  tieOrder: (values: unknown[][]): unknown[][] => {
    const out: unknown[][] = [];
    for (let i = 0; i < values.length;) {
      let j = i + 1;
      while (j < values.length && values[j]?.[0] === values[i]?.[0]) j++;
      out.push(...values.slice(i, j).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)));
      i = j;
    }
    return out;
  },
  /** Float results of stddev, moving_average and of a mean over several stored series (and derivatives of
   * those) differ from 1.x in the last bits: 1.x combines per-series partial means weighted by count, keeps a
   * running sum for moving_average and computes stddev in two passes; InfluxDB 3 runs DataFusion's
   * aggregates once over the rows (spec §1 item 5 and §12.4: translated to the engine's SQL, not a re-run of
   * 1.x's reducers). Relative difference up to 1e-12 in those columns only. */
  floatRounding: (column: string, a: unknown, b: unknown): boolean =>
    /^(stddev|moving_average|mean|derivative|non_negative_derivative)/.test(column) &&
    typeof a === 'number' &&
    typeof b === 'number' &&
    Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)),
};

/**
 * Queries whose answer the spec says differs from 1.x: the sandbox's answer must be `sandbox` exactly.
 * - SHOW MEASUREMENTS with a WHERE and no time bound reads rows with IOx's 24 h metadata lookback (spec §10.1
 *   "Metadata cutoff"); 1.6 refuses a time condition in SHOW MEASUREMENTS, so the data set's 2023 rows are
 *   outside the lookback and the answer is empty.
 */
const EXPECTED_DIFFERENCES: { match: RegExp; sandbox: string }[] = [
  { match: /^SHOW MEASUREMENTS WHERE /, sandbox: '{"results":[{"statement_id":0}]}' },
];

/** Not compared at all (not generated), with the reason:
 * - mode(): which of several equally frequent values 1.x returns is not documented and follows no order we
 *   could find (it is neither the smallest nor the first); the sandbox returns the smallest. Covered by unit tests.
 * - integral() with GROUP BY time or ORDER BY time DESC: 1.6's windowed reducer emits duplicate and negative
 *   windows and values that do not follow its own trapezium code for integer fields; the sandbox implements the
 *   documented trapezium rule with window-end interpolation. Covered by unit tests.
 * - top()/bottom() with LIMIT: 1.6 applies the LIMIT to the points they read (other points come back) and
 *   refuses a LIMIT below N; IOx plans LIMIT per series on the output rows like any selector.
 * - OFFSET without LIMIT (1.6 answers one row) and ties between series at equal times (see ALLOWED.tieOrder). */

/** Equal, or a float difference ALLOWED.floatRounding permits in that column. */
function same(a: unknown, b: unknown): boolean {
  if (JSON.stringify(a) === JSON.stringify(b)) return true;
  const x = a as { series: { columns: string[]; values: unknown[][] }[] }[];
  const y = b as typeof x;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  return x.every((r, i) => {
    const q = y[i];
    if (!q || JSON.stringify({ ...r, series: [] }) !== JSON.stringify({ ...q, series: [] })) return false;
    if (r.series.length !== q.series.length) return false;
    return r.series.every((s, j) => {
      const t = q.series[j];
      if (!t || JSON.stringify({ ...s, values: [] }) !== JSON.stringify({ ...t, values: [] })) return false;
      if (s.values.length !== t.values.length) return false;
      return s.values.every((row, k) =>
        row.every((v, c) => {
          const w = t.values[k]?.[c];
          return v === w || ALLOWED.floatRounding(s.columns[c] ?? '', v, w);
        }),
      );
    });
  });
}

function normalise(body: string, q = ''): unknown {
  const dropTime = ALLOWED.integralTime(q);
  const doc = JSON.parse(body) as { results?: Result[]; error?: string };
  if (doc.error !== undefined) return { error: 'request error' };
  return (doc.results ?? []).map((r) => ({
    statement_id: r.statement_id,
    ...(r.error !== undefined ? { error: true } : {}),
    series: (r.series ?? []).map((s) => ({
      name: s.name,
      tags: s.tags ?? {},
      columns: s.columns,
      values: ALLOWED.tieOrder(
        s.values.map((row) => row.map((v, i) => (dropTime && i === 0 ? null : ALLOWED.timeFraction(v)))),
      ),
    })),
  }));
}

let influxd: Influxd;
let sandbox: SandboxProcess;
let token: string;
let dataDir: string;
let corpus: CorpusEntry[];

beforeAll(async () => {
  const generated = generateCorpus(SEED);
  if (process.env.WRITE_CORPUS === '1')
    fs.writeFileSync(CORPUS_FILE, `${JSON.stringify({ seed: SEED, queries: generated }, null, 1)}\n`);
  const committed = JSON.parse(fs.readFileSync(CORPUS_FILE, 'utf8')) as { seed: number; queries: CorpusEntry[] };
  corpus = committed.queries;
  influxd = await startInfluxd({ auth: false });
  const created = await influxd.query('CREATE DATABASE diff');
  if (created.results?.[0]?.error) throw new Error(created.results[0].error);
  const points = generatePoints(SEED);
  const res = await fetch(`${influxd.url}/write?db=diff&precision=ns`, {
    method: 'POST',
    body: toLineProtocol(points),
  });
  if (res.status !== 204) throw new Error(`influxd write failed: ${res.status} ${await res.text()}`);
  // The real sandbox server (the built CLI), written to through its own /write.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iwb-sandbox-iql-'));
  const created3 = await runSandboxCli(['database', 'create', 'diff', '--data-dir', dataDir]);
  if (created3.code !== 0) throw new Error(`sandbox database create failed: ${created3.stderr}`);
  const tok = await runSandboxCli(['token', 'create', '--data-dir', dataDir, '--json']);
  if (tok.code !== 0) throw new Error(`sandbox token create failed: ${tok.stderr}`);
  token = (JSON.parse(tok.stdout) as { token: string }).token;
  sandbox = await startSandboxProcess(['--data-dir', dataDir, '--port', '0']);
  const w = await fetch(`${sandbox.url}/write?db=diff&precision=ns`, {
    method: 'POST',
    body: toLineProtocol(points),
    headers: { Authorization: `Token ${token}` },
  });
  if (w.status !== 204) throw new Error(`sandbox write failed: ${w.status} ${await w.text()}`);
}, 180_000);

afterAll(async () => {
  if (sandbox) await sandbox.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  await influxd?.stop();
});

async function influxAnswer(e: CorpusEntry): Promise<string> {
  const params = new URLSearchParams({ q: e.q, db: 'diff' });
  if (e.epoch) params.set('epoch', e.epoch);
  const res = await fetch(`${influxd.url}/query?${params}`);
  return res.text();
}

async function sandboxAnswer(e: CorpusEntry): Promise<string> {
  const params = new URLSearchParams({ q: e.q, db: 'diff' });
  if (e.epoch) params.set('epoch', e.epoch);
  const res = await fetch(`${sandbox.url}/query?${params}`, { headers: { Authorization: `Token ${token}` } });
  return res.text();
}

describe('sandbox InfluxQL vs influxd 1.6 (differential)', () => {
  it('the committed corpus is the generator output and has at least 500 queries', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    expect(corpus).toEqual(generateCorpus(SEED));
  });

  it('answers every corpus query as influxd does', async () => {
    const failures: string[] = [];
    const raw: string[] = [];
    let compared = 0;
    for (const e of corpus) {
      const [a, b] = await Promise.all([influxAnswer(e), sandboxAnswer(e)]);
      compared++;
      const expected = EXPECTED_DIFFERENCES.find((d) => d.match.test(e.q));
      if (expected) {
        if (b !== expected.sandbox)
          failures.push(`query: ${e.q}\n  expected (spec): ${expected.sandbox}\n  sandbox: ${b}`);
        continue;
      }
      let ok: boolean;
      try {
        ok = same(normalise(a, e.q), normalise(b, e.q));
      } catch {
        ok = false;
      }
      if (!ok) raw.push(JSON.stringify({ q: e.q, epoch: e.epoch, influxd: a, sandbox: b }));
      if (!ok) failures.push(`query: ${e.q}${e.epoch ? ` (epoch=${e.epoch})` : ''}\n  influxd: ${a}\n  sandbox: ${b}`);
    }
    if (process.env.DIFF_OUT) fs.writeFileSync(process.env.DIFF_OUT, raw.join('\n'));
    expect(compared).toBe(corpus.length);
    expect(
      failures.length,
      `${failures.length} of ${corpus.length} differ:\n\n${failures.slice(0, 15).join('\n\n')}`,
    ).toBe(0);
  }, 600_000);
});
