#!/usr/bin/env node
// Entry point of `npx influx-workbench`: runs the bundled CLI built by `npm run build`.
const path = require('node:path');
const fs = require('node:fs');
const cli = path.join(__dirname, '..', 'out', 'cli', 'index.cjs');
if (!fs.existsSync(cli)) {
  process.stderr.write('influx-workbench: not built yet. Run `npm run build` first.\n');
  process.exit(2);
}
require(cli);
