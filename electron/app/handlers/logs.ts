import fs from 'node:fs/promises';

import type { AppDeps, DomainHandlers } from './index';

/** The log folder: opened by main where it can (desktop), otherwise only named (browser mode). */
export function logHandlers(deps: AppDeps): DomainHandlers<'logs:open'> {
  return {
    'logs:open': async () => {
      const dir = deps.logs.dir;
      const open = deps.logs.open;
      if (!open) return { path: dir, opened: false, error: null };
      // The file is created with the first line; before that the folder may not exist yet.
      await fs.mkdir(dir, { recursive: true });
      const error = await open(dir);
      return { path: dir, opened: error === '', error: error === '' ? null : error };
    },
  };
}
