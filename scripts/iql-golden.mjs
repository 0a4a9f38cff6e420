#!/usr/bin/env node
// Regenerates test/fixtures/iql/differential.ndjson: the verdicts of influxd 1.6's own InfluxQL parser
// (the Go reference checker in ../shared/tools/iqlcheck) for the seeded query list of
// test/shared/influxql/mutate.ts. Run it after changing the seeds or the generator; `npm test` then
// compares our parser with the committed verdicts and needs no Go.
//
//   node scripts/iql-golden.mjs            # builds iqlcheck into a temp dir (needs golang-go and
//                                          # golang-github-influxdata-influxql-dev, see build-go.sh)
//   IQLCHECK=/path/to/iqlcheck node scripts/iql-golden.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iql-golden-'));

function iqlcheckBinary() {
  if (process.env.IQLCHECK) return process.env.IQLCHECK;
  const src = path.resolve(root, '../shared/tools/iqlcheck/main.go');
  if (!fs.existsSync(src)) throw new Error(`no reference checker source at ${src}; set IQLCHECK`);
  // Build offline in GOPATH mode against Debian's Go sources, as shared/tools/build-go.sh does, but
  // into a temp dir so the shared tree stays untouched.
  const dir = path.join(tmp, 'iqlcheck');
  fs.mkdirSync(dir);
  fs.copyFileSync(src, path.join(dir, 'main.go'));
  const env = {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: '/usr/share/gocode',
    GOFLAGS: '',
    GOCACHE: path.join(tmp, 'gocache'),
  };
  execFileSync('go', ['build', '-o', 'iqlcheck', '.'], { cwd: dir, env, stdio: 'inherit' });
  return path.join(dir, 'iqlcheck');
}

async function loadGenerator() {
  const out = path.join(tmp, 'mutate.mjs');
  await build({
    entryPoints: [path.join(root, 'test/shared/influxql/mutate.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: out,
    logLevel: 'warning',
  });
  return import(pathToFileURL(out).href);
}

const bin = iqlcheckBinary();
const { generateDifferentialQueries } = await loadGenerator();
const queries = generateDifferentialQueries();

// Line mode is fast but splits on newlines and drops a trailing \r, so such queries go one by one
// through standard input, which the checker reads whole.
const verdicts = new Map();
const simple = queries.filter((q) => !/[\r\n]/.test(q) && !q.includes('\u0000'));
const lineOut = spawnSync(bin, ['-lines', '-echo'], { input: simple.join('\n') + '\n', maxBuffer: 1 << 28 });
for (const line of lineOut.stdout.toString('utf8').trim().split('\n')) {
  const v = JSON.parse(line);
  verdicts.set(v.query, v);
}
for (const q of queries) {
  if (verdicts.has(q)) continue;
  const r = spawnSync(bin, ['-echo'], { input: q });
  const v = JSON.parse(r.stdout.toString('utf8'));
  v.query = q;
  verdicts.set(q, v);
}
const lines = queries.map((q) => {
  const v = verdicts.get(q);
  if (!v) throw new Error(`no verdict for ${JSON.stringify(q)}`);
  // server_error is always "error parsing query: " + error; not worth committing twice.
  delete v.server_error;
  return JSON.stringify(v);
});
const file = path.join(root, 'test/fixtures/iql/differential.ndjson');
fs.writeFileSync(file, lines.join('\n') + '\n');
// Bound parameters: the same checker with -params, as influxd binds the `params` form field.
const PARAM_CASES = [
  [{ h: 'a' }, 'SELECT * FROM cpu WHERE host = $h'],
  [{ h: 'a' }, 'SELECT * FROM cpu WHERE host = $x'],
  [{ n: 5 }, 'SELECT * FROM cpu LIMIT $n'],
  [{ n: -5 }, 'SELECT * FROM cpu LIMIT $n'],
  [{ f: 1.5 }, 'SELECT * FROM cpu WHERE v > $f'],
  [{ b: true }, 'SELECT * FROM cpu WHERE v = $b'],
  [{ m: { identifier: 'cpu' } }, 'SELECT * FROM $m'],
  [{ m: { ident: 'cpu load' } }, 'SELECT $m FROM cpu'],
  [{ r: { regex: '^web' } }, 'SELECT * FROM cpu WHERE host =~ $r'],
  [{ r: { regex: '[a' } }, 'SELECT * FROM cpu WHERE host =~ $r'],
  [{ d: { duration: '1h' } }, 'SELECT * FROM cpu WHERE time > now() - $d'],
  [{ d: { duration: 3600000000000 } }, 'SELECT * FROM cpu WHERE time > now() - $d'],
  [{ d: { duration: 'xyz' } }, 'SELECT * FROM cpu WHERE time > now() - $d'],
  [{ s: { string: 'x' } }, 'SELECT * FROM cpu WHERE host = $s'],
  [{ i: { integer: 7 } }, 'SELECT * FROM cpu WHERE v = $i'],
  [{ i: { integer: 'seven' } }, 'SELECT * FROM cpu WHERE v = $i'],
  [{ o: { a: 1, b: 2 } }, 'SELECT * FROM cpu WHERE v = $o'],
  [{ o: { bogus: 1 } }, 'SELECT * FROM cpu WHERE v = $o'],
  [{ a: [1, 2] }, 'SELECT * FROM cpu WHERE v = $a'],
  [{ z: null }, 'SELECT * FROM cpu WHERE v = $z'],
  [{ db: 'telegraf' }, 'SHOW MEASUREMENTS ON $db'],
  [{ db: { identifier: 'telegraf' } }, 'SHOW MEASUREMENTS ON $db'],
  [{}, 'SELECT * FROM cpu WHERE v = $'],
  [{}, 'SELECT * FROM cpu WHERE v = $"quoted name"'],
  [{ 'quoted name': 3 }, 'SELECT * FROM cpu WHERE v = $"quoted name"'],
  [{ q: 12 }, 'KILL QUERY $q'],
  [{ q: -12 }, 'KILL QUERY $q'],
  [{ r: 2 }, 'CREATE RETENTION POLICY rp ON db DURATION 1d REPLICATION $r'],
];
const paramLines = PARAM_CASES.map(([params, q]) => {
  const r = spawnSync(bin, ['-echo', '-params', JSON.stringify(params), '--', q]);
  const v = JSON.parse(r.stdout.toString('utf8'));
  delete v.server_error;
  return JSON.stringify({ params, ...v });
});
fs.writeFileSync(path.join(root, 'test/fixtures/iql/params.ndjson'), paramLines.join('\n') + '\n');
console.log(`wrote ${paramLines.length} bound-parameter verdicts to test/fixtures/iql/params.ndjson`);

const rejected = lines.filter((l) => JSON.parse(l).ok === false).length;
console.log(
  `wrote ${lines.length} verdicts (${lines.length - rejected} accepted, ${rejected} rejected) to ${path.relative(root, file)}`,
);
fs.rmSync(tmp, { recursive: true, force: true });
