// `npm test`'s pretest step: the test suite runs against a real InfluxDB (Debian's `influxdb`,
// 1.6.7) and a real Chromium (Debian's `chromium`). When one is missing it is installed with apt-get
// if we are root; otherwise this stops with the exact command to run. Never a silent skip.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function onPath(cmd) {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, cmd)));
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `\nThe project needs Node.js 22.12 or newer (this is ${process.version}). Without a ` +
      `system Node 22, get one from the npm registry:\n\n` +
      '  npm install --prefix ~/.cache/node22 node@22 && export PATH=~/.cache/node22/node_modules/.bin:$PATH\n',
  );
  process.exit(1);
}

const influxd = process.env.INFLUXD_BIN ?? 'influxd';
const chromium = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium';
const missing = [];
if (!(path.isAbsolute(influxd) ? fs.existsSync(influxd) : onPath(influxd))) missing.push('influxdb');
if (!fs.existsSync(chromium)) missing.push('chromium');
// Real clients for the interoperability tests: the `influx` 1.6 CLI and Debian's python3-influxdb
// (Debian's own /usr/bin/python3, which is where the apt package installs).
if (!onPath('influx')) missing.push('influxdb-client');
if (spawnSync('/usr/bin/python3', ['-c', 'import influxdb'], { stdio: 'ignore' }).status !== 0)
  missing.push('python3-influxdb');

if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !onPath('apt-get')) {
  console.error(
    `\nThe tests need ${missing.join(', ')} (a real InfluxDB, a real Chromium and real ` +
      `InfluxDB clients). Install with:\n\n  sudo ${command}\n`,
  );
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
