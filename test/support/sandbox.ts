import { type ChildProcess, spawn } from 'node:child_process';

import { requireBuilt, ROOT } from './built';

/**
 * Runs the built `influx-workbench sandbox --json` as a user runs it, on a free port (`--port 0`),
 * and waits for its first stdout line (printed once the port is listening). Stopped by pid.
 */
export interface SandboxProcess {
  readonly url: string;
  /** the token printed on first start; null when the data folder existed */
  readonly token: string | null;
  readonly database: string;
  readonly profile: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** everything printed on stdout/stderr so far */
  output(): { stdout: string; stderr: string };
  /** SIGTERM and wait for the exit code */
  stop(): Promise<number | null>;
  /** SIGKILL (`kill -9`) and wait for the exit */
  kill9(): Promise<void>;
}

export async function startSandboxProcess(args: readonly string[]): Promise<SandboxProcess> {
  requireBuilt('out/cli/index.cjs');
  const child = spawn(process.execPath, [requireBuilt('bin/influx-workbench.cjs'), 'sandbox', '--json', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const nl = stdout.indexOf('\n');
      if (nl >= 0) resolve(stdout.slice(0, nl));
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    void exited.then((code) => reject(new Error(`sandbox exited with ${code} before listening: ${stderr}`)));
  });
  const info = JSON.parse(first) as { url: string; token: string | null; database: string; profile: string };
  return {
    ...info,
    pid: child.pid!,
    child,
    output: () => ({ stdout, stderr }),
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs a sandbox command to completion (management commands, a start that must fail). */
export function runSandboxCli(
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  requireBuilt('out/cli/index.cjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [requireBuilt('bin/influx-workbench.cjs'), 'sandbox', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `sandbox token create --json` in a data folder (extra args: `--read DB`, `--write DB`); the token. */
export async function createSandboxToken(dir: string, args: readonly string[] = []): Promise<string> {
  const r = await runSandboxCli(['token', 'create', '--data-dir', dir, '--json', ...args]);
  if (r.code !== 0 || r.stderr !== '') throw new Error(`token create exited ${r.code}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { token: string }).token;
}

/** A fetch against the sandbox returning status, headers and the body text. */
export async function call(
  url: string,
  init: RequestInit & { token?: string } = {},
): Promise<{ status: number; body: string; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('Authorization', `Bearer ${init.token}`);
  const res = await fetch(url, { ...init, headers });
  return { status: res.status, body: await res.text(), headers: res.headers };
}
