import { spawn } from 'node:child_process';

import { requireBuilt, ROOT } from './built';

/** How a child process ended and what it printed. */
export interface NodeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What to give the child: extra node flags, an environment, and standard input (text or a writer). */
export interface NodeRunOptions {
  readonly nodeArgs?: readonly string[];
  /** Replaces the environment (the test's own when absent). */
  readonly env?: Record<string, string>;
  readonly stdin?: string | ((stdin: NodeJS.WritableStream) => Promise<void>);
}

/** Runs `node [nodeArgs] script ...args` in the repository root and collects its output. */
export function runNode(script: string, args: readonly string[], options: NodeRunOptions = {}): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script, ...args], {
      cwd: ROOT,
      ...(options.env ? { env: options.env } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {}); // the child may exit early on bad usage
    const stdin = options.stdin;
    if (typeof stdin === 'function') stdin(child.stdin).then(() => child.stdin.end(), reject);
    else child.stdin.end(stdin ?? '');
  });
}

/**
 * The built CLI (`npx influx-workbench`), run as a user runs it. `env` is added to a bare
 * environment (PATH only), so no token leaks in from the test's own.
 */
export function runCli(
  args: readonly string[],
  options: { stdin?: NodeRunOptions['stdin']; env?: Record<string, string>; nodeArgs?: readonly string[] } = {},
): Promise<NodeRun> {
  requireBuilt('out/cli/index.cjs');
  return runNode(requireBuilt('bin/influx-workbench.cjs'), args, {
    ...options,
    env: { PATH: process.env.PATH ?? '', ...options.env },
  });
}
