// `npm run bench`: every benchmark, each printing its ratio against a reference measured in the
// same run (InfluxDB's Go parser, JSON.parse, the 16 ms frame budget). Needs `npm run build` for the
// editor benchmark; the Go reference is optional (the LP benchmark says how to build it).
import { spawnSync } from 'node:child_process';

const runs = [
  ['line protocol (100 MB)', ['scripts/bench-lp.mjs']],
  ['/query parse (1,000,000 rows)', ['scripts/bench-query.mjs']],
  ['editor (100,000 lines, Chromium)', ['scripts/bench-editor.mjs']],
];
let failed = 0;
for (const [name, args] of runs) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
