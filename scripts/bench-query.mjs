#!/usr/bin/env node
// /query response benchmark (a benchmark, not a test):
//   node scripts/bench-query.mjs [ROWS=1000000] [--runs=5]
// Bundles the shared/query modules with esbuild, generates a `/query` answer with `epoch=ns` times
// and int64 fields (some beyond 2^53), and times, on the same body:
//   (a) JSON.parse — the floor: what the native parser costs when precision may be lost;
//   (b) our path — JsonDocumentSplitter (64 KiB chunks, big integers found in the same pass) + parseSplitDocument + mergeQueryDocument + formatting the first
//       page (50 rows) for the table — with every int64 exact.
// Prints the median of each and the ratio (goal ≤ 1.5×), and checks that the exact digits survived.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const rows = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);

const dir = join(tmpdir(), 'influx-workbench-bench');
mkdirSync(dir, { recursive: true });
const bundle = join(dir, 'query-bench.mjs');
await build({
  stdin: {
    contents: `export * from './shared/query/exact-json';
export * from './shared/query/result-model';
export * from './shared/query/format';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: bundle,
  logLevel: 'warning',
});
const q = await import(pathToFileURL(bundle).href);

// A deterministic answer shaped like influxd's: time (ns), a tag column, a float, an int64 counter
// beyond 2^53 and a small int64.
const T0 = 1_700_000_000_000_000_000n;
const BIG0 = 9_007_199_254_740_993n; // 2^53 + 1: JSON.parse rounds it
const parts = ['{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","host","usage","bytes","n"],"values":['];
for (let i = 0; i < rows; i++) {
  const t = T0 + BigInt(i) * 1_000_000_123n;
  parts.push(`${i ? ',' : ''}[${t},"host-${i % 16}",${((i * 7919) % 10000) / 100},${BIG0 + BigInt(i) * 7n},${i % 1000}]`);
}
parts.push(']}]}]}\n');
const body = parts.join('');
// The body arrives as the HTTP client delivers it: 64 KiB chunks (chunk boundaries cut numbers too).
const chunks = [];
for (let i = 0; i < body.length; i += 65536) chunks.push(body.slice(i, i + 65536));
console.log(`body: ${(body.length / 1e6).toFixed(1)} MB, ${rows.toLocaleString()} rows (epoch=ns, int64 beyond 2^53)`);

function ours() {
  const splitter = new q.JsonDocumentSplitter();
  const result = q.emptyQueryResult();
  const state = { continuing: false };
  for (const chunk of chunks) for (const doc of splitter.pushDocuments(chunk)) q.mergeQueryDocument(result, q.parseSplitDocument(doc), state);
  const series = result.statements[0].series[0];
  let chars = 0;
  for (const row of series.rows.slice(0, 50)) {
    series.columns.forEach((c, j) => {
      chars += q.formatCell(row[j] ?? null, c === 'time', 'ns', 'utc').length;
    });
  }
  return { result, chars };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  const t = performance.now();
  fn();
  return performance.now() - t;
};
// Warm-up, then alternate the two so machine noise hits both alike.
JSON.parse(body);
const check = ours().result;
const a = [];
const b = [];
for (let r = 0; r < runs; r++) {
  a.push(time(() => JSON.parse(body)));
  b.push(time(() => ours()));
}
const row = check.statements[0].series[0].rows[rows - 1];
const lastT = (T0 + BigInt(rows - 1) * 1_000_000_123n).toString();
const lastBig = (BIG0 + BigInt(rows - 1) * 7n).toString();
if (q.cellText(row[0]) !== lastT || q.cellText(row[3]) !== lastBig) {
  console.error(`int64 NOT exact: ${q.cellText(row[0])} vs ${lastT}, ${q.cellText(row[3])} vs ${lastBig}`);
  process.exit(1);
}
const ma = median(a);
const mb = median(b);
console.log(`JSON.parse (floor):                         median ${ma.toFixed(0)} ms  [${a.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`split + parse (exact) + merge + first page: median ${mb.toFixed(0)} ms  [${b.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`ratio: ${(mb / ma).toFixed(2)}× (goal ≤ 1.5×); int64 and ns times exact: yes`);
