#!/usr/bin/env node
// /query response benchmark (a benchmark, not a test):
//   node scripts/bench-query.mjs [ROWS=1000000] [--runs=5] [--no-speed] [--no-memory] [--cli-gib=2] [--app-gib=1]
// Bundles the modules the query service uses with esbuild, generates a `/query` answer with `epoch=ns`
// times and int64 fields (some beyond 2^53), and times, on the same body:
//   (a) JSON.parse of the whole body as one string — the floor: what the native parser costs when
//       precision may be lost;
//   (b) our path, as the app runs it — the raw bytes in 64 KiB chunks, as the HTTP client delivers them,
//       through QueryRechunker (long documents cut between rows), JsonDocumentStream (one pass that
//       splits documents and rewrites unsafe integers, with the service's native UTF-8 decoder),
//       mergeQueryDocument, and formatting the first page (50 rows)
//       for the table — with every int64 exact.
// Each run starts after a full GC (node --expose-gc, set below), so neither side pays for the other's
// garbage. Prints the median of each and the ratio (goal ≤ 1.5×), and checks the exact digits survived.
//
// Then memory (skip with --no-memory; sizes with --cli-gib=2 --app-gib=1): a server in its own process
// streams one `/query` document of the given size, generated as it goes, and
//   (c) the built CLI runs `query --format csv` against a 2 GiB answer: goal peak RSS < 300 MB;
//   (d) the app's query path (the handlers through dispatch(): `query:run` with the default budget, the
//       result kept in main, a last page and a whole-result CSV export) runs against a 1 GiB answer:
//       goal main's peak RSS < 1 GB, the result ended cleanly by the budget; it also prints the bytes
//       the renderer received. `--cli-gib=0` skips (c).
// Needs `npm run build` (the CLI in out/).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

// The answer server for the memory part: `--serve=BYTES` streams one document of about BYTES.
const serveArg = process.argv.find((a) => a.startsWith('--serve='));
if (serveArg) {
  const total = Number(serveArg.slice(8));
  const { createServer } = await import('node:http');
  const T = 1_700_000_000_000_000_000n;
  let block = '';
  for (let i = 0; block.length < 1 << 20; i++) block += `,[${T + BigInt(i)},"host-${i % 16}",${(i % 1000) / 10},${i}]`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write('{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","host","usage","n"],"values":[');
    res.write(block.slice(1));
    let sent = block.length;
    const first = Buffer.from(block);
    const pump = () => {
      while (sent < total) {
        sent += first.length;
        if (!res.write(first)) return void res.once('drain', pump);
      }
      res.end(']}]}]}\n');
    };
    res.on('close', () => (sent = Infinity));
    pump();
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
  await new Promise(() => {});
}

// Re-run with a GC we can trigger between timed runs.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

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
export * from './shared/query/json-stream';
export * from './shared/query/rechunk';
export * from './electron/services/utf8';
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
// beyond 2^53 and a small int64. Two framings of the same rows:
//   - one document (`chunked=false`, what the app asks for by default);
//   - 1.x `chunked=true`: one document per 10,000 rows, newline after each, `partial` on all but the last.
const T0 = 1_700_000_000_000_000_000n;
const BIG0 = 9_007_199_254_740_993n; // 2^53 + 1: JSON.parse rounds it
const HEAD =
  '{"results":[{"statement_id":0,"series":[{"name":"cpu","columns":["time","host","usage","bytes","n"],"values":[';
const rowText = (i) =>
  `[${T0 + BigInt(i) * 1_000_000_123n},"host-${i % 16}",${((i * 7919) % 10000) / 100},${BIG0 + BigInt(i) * 7n},${i % 1000}]`;
const allRows = Array.from({ length: rows }, (_, i) => rowText(i));
const CHUNK_ROWS = 10_000;
// `--no-speed` runs only the memory part.
const scenarios = args.includes('--no-speed')
  ? []
  : [
      { name: 'one document', docs: [`${HEAD}${allRows.join(',')}]}]}]}\n`] },
      {
        name: `chunked, ${CHUNK_ROWS.toLocaleString()} rows per document`,
        docs: Array.from({ length: Math.ceil(rows / CHUNK_ROWS) }, (_, k) => {
          const last = (k + 1) * CHUNK_ROWS >= rows;
          const partial = last ? '' : ',"partial":true';
          return `${HEAD}${allRows.slice(k * CHUNK_ROWS, (k + 1) * CHUNK_ROWS).join(',')}]${partial}}]${partial}}]}\n`;
        }),
      },
    ];
allRows.length = 0;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn) => {
  globalThis.gc();
  const t = performance.now();
  fn();
  return performance.now() - t;
};

let worst = 0;
for (const scenario of scenarios) {
  const body = scenario.docs.join('');
  // The floor: the native parser on each document's text, with no splitting and no exactness. The
  // parsed documents are kept, as any reader of the rows must keep them (garbage that dies young would
  // make the floor cheaper than any real use of the answer).
  const floor = () => scenario.docs.map((doc) => JSON.parse(doc));
  // The body arrives as the HTTP client delivers it: 64 KiB Buffers (chunk boundaries cut numbers too).
  const bytes = Buffer.from(body, 'utf8');
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
  const ours = () => {
    const rechunker = new q.QueryRechunker();
    const stream = new q.JsonDocumentStream(q.decodeUtf8Native);
    const result = q.emptyQueryResult();
    const state = { continuing: false };
    for (const chunk of chunks) {
      for (const piece of rechunker.push(chunk)) {
        for (const doc of stream.push(piece)) {
          if (doc.error !== undefined) throw new Error(doc.error);
          q.mergeQueryDocument(result, doc.value, state);
        }
      }
    }
    const series = result.statements[0].series[0];
    let chars = 0;
    for (const row of series.rows.slice(0, 50)) {
      series.columns.forEach((c, j) => {
        chars += q.formatCell(row[j] ?? null, c === 'time', 'ns', 'utc').length;
      });
    }
    return { result, chars };
  };

  console.log(
    `\n${scenario.name}: ${(body.length / 1e6).toFixed(1)} MB, ${rows.toLocaleString()} rows ` +
      `in ${scenario.docs.length.toLocaleString()} document(s) (epoch=ns, int64 beyond 2^53)`,
  );
  // Warm-up and correctness: one merged series; every 997th row and the last keep their exact digits.
  // Only the verdict is kept, so the timed runs start from the same small heap.
  floor();
  {
    const { result } = ours();
    const series = result.statements[0].series;
    if (series.length !== 1 || series[0].rows.length !== rows) {
      console.error(`expected one series of ${rows} rows, got ${series.length} series, ${series[0]?.rows.length} rows`);
      process.exit(1);
    }
    const got = series[0].rows;
    for (let i = 0; i < rows; i += i === rows - 1 ? 1 : Math.min(997, rows - 1 - i)) {
      const t = (T0 + BigInt(i) * 1_000_000_123n).toString();
      const big = (BIG0 + BigInt(i) * 7n).toString();
      if (q.cellText(got[i][0]) !== t || q.cellText(got[i][3]) !== big) {
        console.error(
          `row ${i}: int64 NOT exact: ${q.cellText(got[i][0])} vs ${t}, ${q.cellText(got[i][3])} vs ${big}`,
        );
        process.exit(1);
      }
    }
  }
  const a = [];
  const b = [];
  // Alternate the two so machine noise hits both alike.
  for (let r = 0; r < runs; r++) {
    a.push(time(floor));
    b.push(time(ours));
  }
  const ma = median(a);
  const mb = median(b);
  worst = Math.max(worst, mb / ma);
  console.log(
    `  JSON.parse (floor):                         median ${ma.toFixed(0)} ms  [${a.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  console.log(
    `  stream + parse (exact) + merge + first page: median ${mb.toFixed(0)} ms  [${b.map((x) => x.toFixed(0)).join(', ')}]`,
  );
  console.log(`  ratio: ${(mb / ma).toFixed(2)}× (goal ≤ 1.5×); int64 and ns times exact: yes`);
}
if (scenarios.length > 0)
  console.log(`\nworst ratio: ${worst.toFixed(2)}× (goal ≤ 1.5×) ${worst <= 1.5 ? 'met' : 'NOT met'}`);

if (!args.includes('--no-memory')) await memory();

/** Starts the answer server in its own process; resolves with its URL and a stop function. */
async function answerServer(bytes) {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), `--serve=${bytes}`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(String(d).trim())));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** Runs `node [args]` with a preload that reports the peak RSS; resolves with it (MB), stdout bytes and stderr. */
async function measured(nodeArgs) {
  const { spawn } = await import('node:child_process');
  const { writeFileSync } = await import('node:fs');
  const report = join(dir, 'report-rss.cjs');
  writeFileSync(
    report,
    "process.on('exit', () => require('node:fs').writeSync(2, `\\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\\n`));\n",
  );
  const child = spawn(process.execPath, ['-r', report, ...nodeArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = 0;
  let err = '';
  child.stdout.on('data', (d) => (out += d.length));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  const kb = Number(/PEAK_RSS_KB (\d+)/.exec(err)?.[1] ?? NaN);
  return { code, rssMb: kb / 1024, out, stderr: err.replace(/\s*PEAK_RSS_KB \d+\s*$/, '') };
}

async function memory() {
  const gib = (name, d) => Number(args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d);
  const cliBytes = Math.round(gib('cli-gib', 2) * 2 ** 30);
  const appBytes = Math.round(gib('app-gib', 1) * 2 ** 30);
  const cli = join(root, 'bin', 'influx-workbench.cjs');

  let server;
  let cliOk = true;
  if (cliBytes > 0) {
    console.log(
      `\nmemory: query --format csv of a ${(cliBytes / 2 ** 30).toFixed(2)} GiB one-document answer (built CLI)`,
    );
    server = await answerServer(cliBytes);
    const t = performance.now();
    const c = await measured([
      cli,
      'query',
      '--url',
      server.url,
      '--epoch',
      'ns',
      '--format',
      'csv',
      '--timeout',
      '3600000',
      '--',
      'SELECT * FROM cpu',
    ]);
    server.stop();
    cliOk = c.code === 0 && c.rssMb < 300;
    console.log(
      `  exit ${c.code}, ${(c.out / 1e9).toFixed(2)} GB of CSV ` +
        `in ${((performance.now() - t) / 1000).toFixed(0)} s, peak RSS ${c.rssMb.toFixed(0)} MB ` +
        `(goal < 300 MB) ${cliOk ? 'met' : 'NOT met'}${c.stderr ? `\n  stderr: ${c.stderr}` : ''}`,
    );
  }

  console.log(
    `\nmemory: the app's query path against a ${(appBytes / 2 ** 30).toFixed(2)} GiB answer (default budget)`,
  );
  // Under node_modules, so the sandbox's native DuckDB binding (external) resolves from the bundle.
  const appBundle = join(root, 'node_modules', '.cache', 'influx-workbench-bench', 'query-app-bench.cjs');
  await build({
    stdin: {
      contents: `import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppContext } from './electron/app/create-app';
import { dispatch } from './electron/app/dispatch';
void (async () => {
const url = process.argv[2];
const log = { info: () => {}, error: () => {} };
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'iwb-bench-app-'));
const ctx = await createAppContext({ mode: 'browser', version: 'bench', dataDir, cipher: null, log });
// What the renderer receives: each answer as the bridge serializes it.
let received = 0;
const call = async (channel, req) => {
  const res = await dispatch(ctx.handlers, channel, req, log);
  received += Buffer.byteLength(JSON.stringify(res));
  if (!res.ok) throw new Error(channel + ': ' + res.error.message);
  return res.data;
};
const c = await call('connections:save', {
  connection: { name: 'bench', url, flavor: '1.x', db: 'd', rp: '', bucket: '', org: '', authScheme: 'none',
    username: '', caPem: '', skipTlsVerify: false, timeoutMs: 3_600_000 },
  token: { action: 'keep' },
});
const run = await call('query:run', { requestId: 'bench', connectionId: c.id, q: 'SELECT * FROM cpu', db: 'd', rp: '',
  epoch: 'ns', chunked: false, chunkSize: 0, params: {}, method: 'auto' });
const runBytes = received;
const s = run.result.statements[0].series[0];
// The table scrolled to its last rows, and a whole-result CSV export (main writes the file).
await call('query:page', { resultId: run.result.resultId, statement: 0, series: 0, offset: s.rowCount - 500, limit: 500 });
const exported = await call('query:export', { resultId: run.result.resultId, statement: 0, format: 'csv', to: 'file' });
fs.rmSync(dataDir, { recursive: true, force: true });
ctx.close();
process.stdout.write(JSON.stringify({ rows: run.result.rowCount, bytes: run.exchange.response?.bodyBytes ?? 0,
  error: run.result.error, runBytes, received, exportedRows: exported.rows, exportedBytes: exported.bytes }));
})();`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['@duckdb/*'],
    target: 'node22',
    outfile: appBundle,
    logLevel: 'warning',
  });
  server = await answerServer(appBytes);
  const t = performance.now();
  const a = await measuredJson([appBundle, server.url]);
  server.stop();
  const appOk = a.code === 0 && a.rssMb < 1024;
  console.log(
    `  exit ${a.code} in ${((performance.now() - t) / 1000).toFixed(0)} ` +
      `s: ${a.json?.rows?.toLocaleString()} rows kept ` +
      `of ${((a.json?.bytes ?? 0) / 2 ** 20).toFixed(0)} MiB read, peak ` +
      `RSS ${a.rssMb.toFixed(0)} MB (goal < 1 GB) ${appOk ? 'met' : 'NOT met'}`,
  );
  console.log(`  result: ${a.json?.error}`);
  console.log(
    `  the renderer received: query:run ${((a.json?.runBytes ?? 0) / 1024).toFixed(0)} KiB; with the last page ` +
      `and a CSV export of ${a.json?.exportedRows?.toLocaleString()} rows (${((a.json?.exportedBytes ?? 0) / 2 ** 20).toFixed(0)} MiB ` +
      `written by main) ${((a.json?.received ?? 0) / 1024).toFixed(0)} KiB in all`,
  );
  if (!cliOk || !appOk) process.exitCode = 1;
}

async function measuredJson(nodeArgs) {
  const { spawn } = await import('node:child_process');
  const report = join(dir, 'report-rss.cjs');
  const child = spawn(process.execPath, ['-r', report, ...nodeArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  let json = null;
  try {
    json = JSON.parse(out);
  } catch {
    console.log(`  output: ${out.slice(0, 500)} ${err.slice(0, 500)}`);
  }
  return { code, rssMb: Number(/PEAK_RSS_KB (\d+)/.exec(err)?.[1] ?? NaN) / 1024, json };
}
