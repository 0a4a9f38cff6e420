import fs from 'node:fs/promises';
import path from 'node:path';

import { mimeType } from './csp';

/** A static file to serve, or null when the path is outside the root or missing. */
export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
}

/**
 * Resolves a URL path inside `root`, refusing traversal (`..`, encoded or not, and absolute paths)
 * and symlinks that lead out of the root. `/` serves index.html.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const rootReal = await fs.realpath(root);
  const candidate = path.resolve(rootReal, rel);
  if (candidate !== rootReal && !candidate.startsWith(rootReal + path.sep)) return null;
  try {
    const real = await fs.realpath(candidate);
    if (!real.startsWith(rootReal + path.sep)) return null;
    const stat = await fs.stat(real);
    if (!stat.isFile()) return null;
    return { body: await fs.readFile(real), contentType: mimeType(real) };
  } catch {
    return null;
  }
}
