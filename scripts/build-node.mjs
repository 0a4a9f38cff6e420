// Bundles the main-process side (Electron main, preload, browser-mode server, CLI) with esbuild.
// The renderer is built by Vite (`npm run build:renderer`).
import { readFile } from 'node:fs/promises';

import { build } from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // DuckDB is a native module: loaded from node_modules (app.asar.unpacked when packaged), never bundled.
  external: ['electron', '@duckdb/node-api'],
  define: { __APP_VERSION__: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/entry.ts'], outfile: 'out/main/index.cjs' }),
  // The sandboxed preload gets one CommonJS file and no source map to fetch.
  build({ ...common, entryPoints: ['electron/preload/index.ts'], outfile: 'out/preload/index.cjs', sourcemap: false }),
  build({ ...common, entryPoints: ['electron/web/index.ts'], outfile: 'out/web/index.cjs' }),
  build({ ...common, entryPoints: ['electron/cli/main.ts'], outfile: 'out/cli/index.cjs' }),
]);
console.log('built out/main, out/preload, out/web, out/cli');
