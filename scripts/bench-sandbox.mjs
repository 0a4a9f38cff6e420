#!/usr/bin/env node
// `npm run bench:sandbox [-- MEGABYTES]`: ingest the same generated line-protocol file (100 MB by default)
// in 5,000-line batches, posted one after the other (as curl in a loop would), into the built sandbox
// (`influx-workbench sandbox`, a file database) and into a real influxd 1.6.7, in the same run. Prints
// both rates, the ratio (goal: the sandbox ≥ 2×) and the sandbox's peak RSS (goal: < 1 GB). Then the query
// half (bench-sandbox-queries.mjs): 10 fixed queries timed on both, and a streamed 1,000,000-row SELECT *.
// `--ingest-only` skips the query half (while iterating on the write path). `--keep` leaves both servers'
// data (and the sandbox token) in the printed folder; `--queries DIR` then runs only the 10 queries on it.
// Needs `npm run build` and Debian's `influxdb` package.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { benchQueries, benchStream, loadStreamRows } from './bench-sandbox-queries.mjs';
import { benchLines } from './gen-lp.mjs';
import { startInfluxdProcess } from './influxd-process.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ingestOnly = args.includes('--ingest-only');
const keep = args.includes('--keep');
const reuse = args.includes('--queries') ? args[args.indexOf('--queries') + 1] : undefined;
if (args.includes('--queries') && !reuse) throw new Error('--queries needs the folder a --keep run printed');
const megabytes = Number(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--queries') ?? 100);
const BATCH = 5_000;
const tmp = reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), 'iwb-bench-sandbox-'));
const children = [];

async function startInfluxd() {
  const { url, child } = await startInfluxdProcess(path.join(tmp, 'influxd'), { maxBodySize: 0 });
  children.push(child);
  await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q: 'CREATE DATABASE bench' }) });
  return { url, pid: child.pid, write: `${url}/write?db=bench`, headers: {} };
}

async function startSandbox() {
  const cli = path.join(root, 'bin', 'influx-workbench.cjs');
  if (!fs.existsSync(path.join(root, 'out', 'cli', 'index.cjs'))) throw new Error('run `npm run build` first');
  // SANDBOX_NODE_ARGS: extra node flags for the sandbox process (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
  const nodeArgs = (process.env.SANDBOX_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, cli, 'sandbox', '--json', '--data-dir', path.join(tmp, 'sandbox')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
  });
  const info = JSON.parse(line);
  // A reused folder prints no token (only the first run creates one): the --keep run saved it.
  const tokenFile = path.join(tmp, 'token');
  if (info.token) fs.writeFileSync(tokenFile, info.token);
  else info.token = fs.readFileSync(tokenFile, 'utf8');
  return {
    url: info.url,
    pid: child.pid,
    write: `${info.url}/write?db=demo`,
    headers: { Authorization: `Bearer ${info.token}` },
  };
}

/** CPU seconds (user + system) a process has used: the load-independent half of the comparison. */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRss(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) * 1024;
}

async function ingest(target, batches) {
  const cpu = cpuSeconds(target.pid);
  const start = process.hrtime.bigint();
  for (const body of batches) {
    const res = await fetch(target.write, { method: 'POST', body, headers: target.headers });
    if (res.status !== 204) throw new Error(`${target.write}: HTTP ${res.status} ${await res.text()}`);
  }
  target.cpu = cpuSeconds(target.pid) - cpu;
  return Number(process.hrtime.bigint() - start) / 1e9;
}

try {
  main: {
    if (reuse) {
      const influxd = await startInfluxd();
      const sandbox = await startSandbox();
      await benchQueries(
        { url: influxd.url, db: 'bench', headers: {}, pid: influxd.pid },
        { url: sandbox.url, db: 'demo', headers: sandbox.headers, pid: sandbox.pid },
      );
      break main;
    }
    // The batches, built once (the generator is deterministic): both servers get the same bytes.
    const batches = [];
    let lines = [];
    let bytes = 0;
    for (const l of benchLines(megabytes * 1_000_000)) {
      lines.push(l);
      bytes += l.length;
      if (lines.length === BATCH) {
        batches.push(lines.join(''));
        lines = [];
      }
    }
    if (lines.length > 0) batches.push(lines.join(''));
    const count = (batches.length - 1) * BATCH + (lines.length || BATCH);
    console.log(`${(bytes / 1e6).toFixed(1)} MB, ${count} lines, ${batches.length} batches of ≤ ${BATCH} lines`);

    const influxd = await startInfluxd();
    const tInfluxd = await ingest(influxd, batches);
    console.log(
      `influxd 1.6: ${tInfluxd.toFixed(1)} s, ${Math.round(count / tInfluxd)} lines/s, ${(bytes / 1e6 / tInfluxd).toFixed(1)} MB/s, ` +
        `${influxd.cpu.toFixed(1)} CPU s`,
    );
    // Paused (not killed) while the sandbox ingests, so it costs no CPU there and still holds the data for the
    // query half.
    process.kill(influxd.pid, 'SIGSTOP');

    const sandbox = await startSandbox();
    const tSandbox = await ingest(sandbox, batches);
    const rss = peakRss(sandbox.pid);
    console.log(
      `sandbox:     ${tSandbox.toFixed(1)} s, ${Math.round(count / tSandbox)} lines/s, ${(bytes / 1e6 / tSandbox).toFixed(1)} MB/s, ` +
        `${sandbox.cpu.toFixed(1)} CPU s`,
    );
    // Acknowledged writes reach DuckDB in the background: the first read waits for the rest.
    const readStart = process.hrtime.bigint();
    const check = await fetch(
      `${sandbox.url}/query?db=demo&q=${encodeURIComponent('SELECT count(usage_user) FROM cpu')}`,
      { headers: sandbox.headers },
    );
    console.log(
      `sandbox check (first read, ${(Number(process.hrtime.bigint() - readStart) / 1e6).toFixed(0)} ms): ${await check.text()}`,
    );
    const ratio = tInfluxd / tSandbox;
    console.log(`ratio: sandbox is ${ratio.toFixed(2)}× influxd 1.6 (goal ≥ 2×) ${ratio >= 2 ? '✔' : '✘'}`);
    console.log(`sandbox peak RSS: ${(rss / 1e6).toFixed(0)} MB (goal < 1000 MB) ${rss < 1e9 ? '✔' : '✘'}`);

    // Query half (issue 10): the same queries on both servers, then a streamed 1,000,000-row SELECT *.
    process.kill(influxd.pid, 'SIGCONT');
    if (!ingestOnly) {
      await benchQueries(
        { url: influxd.url, db: 'bench', headers: {}, pid: influxd.pid },
        { url: sandbox.url, db: 'demo', headers: sandbox.headers, pid: sandbox.pid },
      );
      await loadStreamRows({ url: sandbox.url, db: 'demo', headers: sandbox.headers }, 1_000_000);
      // Restarted on the same folder, so the peak RSS is the query's, not the ingest's page cache.
      const old = children.pop();
      const exited = new Promise((r) => old.once('exit', r));
      old.kill('SIGTERM');
      await exited;
      const again = await startSandbox();
      await benchStream({ url: again.url, db: 'demo', headers: sandbox.headers, pid: again.pid }, 1_000_000);
    }
  }
} finally {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  if (keep || reuse) console.log(`data kept in ${tmp} (npm run bench:sandbox -- --queries ${tmp})`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
