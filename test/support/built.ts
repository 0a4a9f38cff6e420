import fs from 'node:fs';
import path from 'node:path';

/** Root of the repository. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Fails loudly (never skips) when the app has not been built: `npm test` builds first. */
export function requireBuilt(relative: string): string {
  const file = path.join(ROOT, relative);
  if (!fs.existsSync(file)) throw new Error(`${relative} is missing: run \`npm run build\` first (npm test does).`);
  return file;
}
