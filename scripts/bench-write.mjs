// `npm run bench:write`: loads the same generated 100 MB file into a real influxd 1.x in one run
//   - `influx-workbench write --batch-lines 5000 --concurrency 1` vs `curl --data-binary` of the file
//     pre-split into 5,000-line files, one after the other (xargs -P1);
//   - `--concurrency 2` vs two curl processes in parallel (xargs -P2);
// each into its own fresh database, best of ROUNDS (order alternated), and prints throughput, the
// ratio to curl (goal: at least 1.0x) and the workbench's peak RSS. Needs `npm run build`, influxd
// (INFLUXD_BIN) and curl. A benchmark, not a test: the machine may be shared, so runs vary.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startInfluxdProcess, stopProcess } from './influxd-process.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'influx-workbench.cjs');
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const MB = Number(process.env.MB ?? 100);
const LINES_PER_FILE = 5000;

if (!fs.existsSync(path.join(ROOT, 'out', 'cli', 'index.cjs'))) {
  console.error('bench:write: run `npm run build` first');
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iwb-bench-write-'));
function generate(file, bytes) {
  const fd = fs.openSync(file, 'w');
  let size = 0;
  let i = 0;
  const split = path.join(tmp, 'split');
  fs.mkdirSync(split);
  let part = [];
  let parts = 0;
  const flush = () => {
    fs.writeFileSync(path.join(split, `part-${String(parts++).padStart(5, '0')}.lp`), part.join(''));
    part = [];
  };
  let buf = [];
  while (size < bytes) {
    const line = `bench,host=h${i % 100},region=r${i % 7} usage=${(i % 1000) / 10},idle=${i}i,msg="entry ${i}" ${1_700_000_000 + i}\n`;
    buf.push(line);
    part.push(line);
    if (part.length === LINES_PER_FILE) flush();
    size += line.length;
    i++;
    if (buf.length === 10_000) {
      fs.writeSync(fd, buf.join(''));
      buf = [];
    }
  }
  fs.writeSync(fd, buf.join(''));
  fs.closeSync(fd);
  if (part.length > 0) flush();
  return { size, lines: i, split };
}

async function query(url, q, db) {
  const body = new URLSearchParams({ q, ...(db ? { db } : {}) });
  return (await fetch(`${url}/query`, { method: 'POST', body })).json();
}

async function count(url, db) {
  const r = await query(url, 'SELECT COUNT(idle) FROM bench', db);
  return r.results?.[0]?.series?.[0]?.values?.[0]?.[1] ?? 0;
}

function timed(cmd, args, options = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { maxBuffer: 64 << 20, ...options });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  return { s, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

const probe = path.join(tmp, 'maxrss.cjs');
fs.writeFileSync(
  probe,
  "process.on('exit', () => require('node:fs').writeSync(2, `MAXRSS_KB ${process.resourceUsage().maxRSS}\\n`));\n",
);

let dbN = 0;
async function run(kind, url, data) {
  const db = `b${dbN++}`;
  await query(url, `CREATE DATABASE ${db}`);
  let r;
  let rss = null;
  if (kind.startsWith('curl')) {
    const p = kind === 'curl-P2' ? '2' : '1';
    const files = fs
      .readdirSync(data.split)
      .map((f) => path.join(data.split, f))
      .join('\n');
    r = timed(
      'xargs',
      [
        '-P',
        p,
        '-I{}',
        'curl',
        '-sS',
        '-f',
        '-o',
        '/dev/null',
        '--data-binary',
        '@{}',
        `${url}/write?db=${db}&precision=s`,
      ],
      { input: files },
    );
  } else {
    const c = kind === 'workbench-c2' ? '2' : '1';
    r = timed(process.execPath, [
      '-r',
      probe,
      CLI,
      'write',
      '--url',
      url,
      '--db',
      db,
      '--precision',
      's',
      '--batch-lines',
      '5000',
      '--concurrency',
      c,
      '--no-progress',
      '--json',
      path.join(tmp, 'bench.lp'),
    ]);
    rss = Number(/MAXRSS_KB (\d+)/.exec(r.stderr)?.[1]) / 1024;
  }
  const n = await count(url, db);
  if (n !== data.lines) throw new Error(`${kind}: ${n} points landed, expected ${data.lines}`);
  await query(url, `DROP DATABASE ${db}`);
  return { s: r.s, rss };
}

const data = generate(path.join(tmp, 'bench.lp'), MB * 1e6);
console.log(
  `file: ${(data.size / 1e6).toFixed(1)} MB, ${data.lines} ` +
    `lines, ${fs.readdirSync(data.split).length} curl files of ${LINES_PER_FILE} ` +
    `lines; ${os.cpus().length} CPUs (load avg ${os.loadavg()[0].toFixed(1)})`,
);
const influx = await startInfluxdProcess(path.join(tmp, 'influxd'), { maxBodySize: 0 });
try {
  const best = {};
  const pairs = [
    ['workbench-c1', 'curl-P1'],
    ['workbench-c2', 'curl-P2'],
  ];
  for (let round = 0; round < ROUNDS; round++) {
    for (const pair of pairs) {
      const order = round % 2 === 0 ? pair : [...pair].reverse();
      for (const kind of order) {
        const r = await run(kind, influx.url, data);
        console.log(
          `  round ${round + 1} ${kind.padEnd(13)} ${r.s.toFixed(2)} ` +
            `s  ${(data.size / 1e6 / r.s).toFixed(1)} ` +
            `MB/s${r.rss ? `  peak RSS ${r.rss.toFixed(0)} MiB` : ''}`,
        );
        if (!best[kind] || r.s < best[kind].s) best[kind] = r;
      }
    }
  }
  console.log('\nbest of each:');
  for (const [wb, curl] of pairs) {
    const ratio = best[curl].s / best[wb].s;
    console.log(
      `  ${wb} ${(data.size / 1e6 / best[wb].s).toFixed(1)} MB/s ` +
        `vs ${curl} ${(data.size / 1e6 / best[curl].s).toFixed(1)} ` +
        `MB/s: ${ratio.toFixed(2)}x ${ratio >= 1 ? '(goal met)' : '(below the 1.0x goal)'}; peak ` +
        `RSS ${best[wb].rss.toFixed(0)} MiB`,
    );
  }
} finally {
  await stopProcess(influx.child);
  fs.rmSync(tmp, { recursive: true, force: true });
}
