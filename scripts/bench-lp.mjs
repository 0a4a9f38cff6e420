#!/usr/bin/env node
// Line-protocol validator benchmark (a benchmark, not a test):
//   node scripts/bench-lp.mjs [MEGABYTES=100] [--runs=3] [--flavor=1.x]
// Bundles shared/lp with esbuild, generates a deterministic file (scripts/gen-lp.mjs) into a temp
// dir if it is not there yet, validates it streaming (1 MiB chunks, as the CLI reads a
// file, as bytes), and prints MB/s and peak RSS. When InfluxDB's own Go parser benchmark `lpbench` is
// available (env LPBENCH, or ../shared/tools/lpbench/lpbench built by ../shared/tools/build-go.sh)
// it is timed on the same file in the same run and the ratio is printed.
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

import { benchLines } from './gen-lp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const mb = Number(args.find((a) => /^\d+$/.test(a)) ?? 100);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const flavor = args.find((a) => a.startsWith('--flavor='))?.slice(9) ?? '1.x';

const dir = join(tmpdir(), 'influx-workbench-bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `lp-${mb}mb.lp`);
if (!existsSync(file) || statSync(file).size < mb * 1e6) {
  process.stdout.write(`generating ${mb} MB into ${file} ... `);
  const parts = [];
  let size = 0;
  const chunks = [];
  for (const line of benchLines(mb * 1e6)) {
    parts.push(line);
    size += line.length;
    if (size > 8 << 20) {
      chunks.push(parts.join(''));
      parts.length = 0;
      size = 0;
    }
  }
  chunks.push(parts.join(''));
  writeFileSync(file, chunks.join(''));
  console.log('done');
}
const bytes = statSync(file).size;

// Bundle shared/lp exactly as the app ships it.
const bundle = join(dir, 'lp-bundle.mjs');
await build({
  stdin: {
    contents: "export * from './shared/lp/stream';\nexport * from './shared/lp/document';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2023',
  outfile: bundle,
  logLevel: 'error',
});
const { createLpStream, createLpDocument } = await import(pathToFileURL(bundle).href);

async function once() {
  let entries = 0;
  let errors = 0;
  const stream = createLpStream({ flavor, precision: 'ns' }, (e) => {
    entries++;
    if (!e.ok) errors++;
  });
  const t0 = process.hrtime.bigint();
  await new Promise((resolve, reject) => {
    // Bytes, as the CLI reads a file: the validator decodes only what it must.
    const rs = createReadStream(file, { highWaterMark: 1 << 20 });
    rs.on('data', (chunk) => stream.write(chunk));
    rs.on('end', resolve);
    rs.on('error', reject);
  });
  const stats = stream.end();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { s, entries, errors, stats };
}

let best = Infinity;
let last;
for (let i = 0; i < runs; i++) {
  last = await once();
  best = Math.min(best, last.s);
  console.log(
    `run ${i + 1}: ${(bytes / 1e6 / last.s).toFixed(1)} MB/s (${last.entries} entries, ${last.errors} with errors)`,
  );
}
const ours = bytes / 1e6 / best;
const rssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  `validator (${flavor} rules, streaming, best of ${runs}): ${ours.toFixed(1)} MB/s ` +
    `on ${(bytes / 1e6).toFixed(1)} MB; peak RSS ${rssMb.toFixed(0)} MB`,
);

const candidates = [process.env.LPBENCH, join(root, '..', 'shared', 'tools', 'lpbench', 'lpbench')].filter(Boolean);
const lpbench = candidates.find((p) => existsSync(p));
if (lpbench === undefined) {
  console.log(
    'Go reference lpbench: missing. Build it with ../shared/tools/build-go.sh (needs: apt-get install -y golang-go',
  );
  console.log(
    '  golang-github-influxdb-influxdb-dev golang-github-influxdata-influxql-dev), or point LPBENCH at a built binary.',
  );
} else {
  const res = spawnSync(lpbench, ['-n', String(runs), file], { encoding: 'utf8' });
  if (res.status !== 0) {
    console.log(`Go reference lpbench failed (${res.status ?? res.error?.message}): ${(res.stderr ?? '').trim()}`);
  } else {
    const go = JSON.parse(res.stdout.trim().split('\n').pop());
    console.log(
      `Go reference (InfluxDB models.ParsePointsWithPrecision, whole file in memory): ${go.mb_per_s.toFixed(1)} MB/s (${go.points} points)`,
    );
    console.log(`ratio validator / Go parser: ${(ours / go.mb_per_s).toFixed(2)}x`);
  }
}

// Editor: keystroke → updated diagnostics in a 100 000-line document (Node, without Monaco's own
// rendering; the in-browser number is measured separately through browser mode).
{
  const n = 100_000;
  const lines = Array.from(
    { length: n },
    (_, i) => `cpu,host=h${i % 50},region=eu usage_user=${i}.5,usage_system=${i % 7}.25,n=${i}i ${1700000000 + i}`,
  );
  const t0 = process.hrtime.bigint();
  const doc = createLpDocument({ flavor, precision: 's' }, lines.join('\n'));
  doc.diagnostics();
  const load = Number(process.hrtime.bigint() - t0) / 1e6;
  const times = [];
  for (let k = 0; k < 500; k++) {
    const at = 2 + ((k * 7919) % (n - 10));
    const text = lines[at - 1];
    // Mostly typing inside values; every fifth keystroke makes a type conflict (n becomes a float).
    const edited = k % 5 === 0 ? text.replace(/,n=(\d+)i/, ',n=$1.5') : text.replace('.5,', '.55,');
    const t = process.hrtime.bigint();
    if (k % 7 === 0) doc.update(at, at - 1, ['']);
    else doc.update(at, at, [edited]);
    doc.diagnostics();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
  console.log(
    `editor model (${n} lines): load ${load.toFixed(0)} ms; keystroke → diagnostics ` +
      `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms (${doc.diagnostics().length} ` +
      `diagnostics at the end)`,
  );
}
