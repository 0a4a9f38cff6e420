import type { ChildProcess } from 'node:child_process';

export function freePort(): Promise<number>;

export function influxdConfig(options: {
  dir: string;
  port: number;
  rpcPort: number;
  auth: boolean;
  maxBodySize: number;
}): string;

export function startInfluxdProcess(
  dir: string,
  options?: { auth?: boolean; maxBodySize?: number; startTimeoutMs?: number },
): Promise<{ url: string; port: number; child: ChildProcess }>;

export function stopProcess(child: ChildProcess, graceMs?: number): Promise<void>;
