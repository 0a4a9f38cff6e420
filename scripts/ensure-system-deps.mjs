// `npm test`'s pretest step: the test suite runs against a real InfluxDB (Debian's `influxdb`,
// 1.6.7) and a real Chromium (Debian's `chromium`). When one is missing it is installed with apt-get
// if we are root; otherwise this stops with the exact command to run. Never a silent skip.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, cmd)));
}

const influxd = process.env.INFLUXD_BIN ?? 'influxd';
const chromium = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const missing = [];
if (!(path.isAbsolute(influxd) ? fs.existsSync(influxd) : onPath(influxd))) missing.push('influxdb');
if (!fs.existsSync(chromium)) missing.push('chromium');

if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !onPath('apt-get')) {
  console.error(`\nThe tests need ${missing.join(' and ')} (a real InfluxDB and a real Chromium). Install with:\n\n  sudo ${command}\n`);
  process.exit(1);
}
console.error(`[pretest] installing ${missing.join(', ')} with apt-get…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
const r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
if (r.status !== 0) {
  console.error(`\n[pretest] apt-get failed. Run this yourself and retry:\n\n  ${command}\n`);
  process.exit(1);
}
