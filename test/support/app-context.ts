import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { type AppContext, createAppContext } from '../../electron/app/create-app';
import { createLogger } from '../../electron/app/logger';

/**
 * An app context as browser mode wires it (tokens in memory), on a new data folder under the system's
 * temp (or on `dataDir`, for a restart), with the app's own sandbox when asked.
 */
export async function browserModeContext(
  prefix: string,
  options: { sandbox?: boolean; dataDir?: string } = {},
): Promise<{ ctx: AppContext; dir: string }> {
  const dir = options.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  const ctx = await createAppContext({
    mode: 'browser',
    version: 'test',
    dataDir: dir,
    cipher: null,
    log: createLogger(() => {}),
    sandbox: options.sandbox === true,
  });
  return { ctx, dir };
}
