// `npm start`'s prestart step. npm ci skips Electron's download script (package.json allowScripts) so
// that installs work offline; the first `npm start` fetches the binary, with a clear message if it can't.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronPath() {
  try {
    return require('electron');
  } catch {
    return null;
  }
}

if (electronPath()) process.exit(0);
console.error('[prestart] Electron binary not installed yet; downloading it once…');
const installer = require.resolve('electron/install.js');
const r = spawnSync(process.execPath, [installer], { stdio: 'inherit' });
if (r.status !== 0 || !electronPath()) {
  console.error(
    '\n[prestart] Could not download Electron (it comes from GitHub). On a machine without internet, use\n' +
      'browser mode instead:  npm run web\n',
  );
  process.exit(1);
}
