import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { expect } from 'vitest';

import { ROOT } from './built';
import { runCli } from './run-node';

const run = promisify(execFile);

/**
 * Runs "Copy as" snippets the way a user would: `influx-workbench export` prints one, it is saved
 * under the file name it states and run unedited (bash, node, Debian's /usr/bin/python3 with
 * python3-influxdb) from a folder whose node_modules is the project's, as a user's project would have.
 * Used by the export round-trip tests (influxd 1.6.7 and the sandbox).
 */
export interface SnippetRunner {
  /** The snippet for `--format format ...args file`; fails unless export exits 0 without the token in it. */
  exportSnippet(format: string, args: readonly string[], file: string): Promise<string>;
  /** Saves and runs a snippet unedited; rejects (with the exit code) when it exits non-zero. */
  runSnippet(kind: 'bash' | 'cjs' | 'mjs' | 'py', snippet: string): Promise<void>;
  /** A scratch folder for bodies and snippets. */
  readonly dir: string;
  /** Removes the scratch folder. */
  dispose(): Promise<void>;
}

export async function createSnippetRunner(env: { INFLUX_TOKEN: string }): Promise<SnippetRunner> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iwb-rt-'));
  await fs.symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return {
    dir,
    async exportSnippet(format, args, file) {
      const r = await runCli(['export', '--format', format, ...args, file], { env });
      if (r.code !== 0) throw new Error(`export ${format} exited ${r.code}: ${r.stderr}`);
      expect(r.stdout).not.toContain(env.INFLUX_TOKEN);
      return r.stdout;
    },
    async runSnippet(kind, snippet) {
      const file = path.join(dir, `write.${kind === 'bash' ? 'sh' : kind}`);
      await fs.writeFile(file, snippet);
      const cmd = kind === 'bash' ? 'bash' : kind === 'py' ? '/usr/bin/python3' : process.execPath;
      await run(cmd, [file], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env } });
    },
    dispose: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
