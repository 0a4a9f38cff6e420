import { parseArgs, type ParseArgsConfig } from 'node:util';

import type { SendHttp } from '../services/write-service';

/** What a CLI command reads and writes; injected so tests can run commands in-process. */
export interface CliIo {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Resolves once standard output has room again (absent: writes never wait). */
  readonly drain?: () => Promise<void>;
  /** The whole of standard input, or null when it is a terminal. */
  readonly readStdin: () => Promise<string | null>;
  /** Standard input as raw bytes (null when it is a terminal), for the streaming validator. */
  readonly stdinBytes?: () => AsyncIterable<Uint8Array> | null;
  readonly send?: SendHttp;
  /** Whether standard error is a terminal (the loader draws a progress bar there). */
  readonly stderrIsTTY?: boolean;
}

/** A bad command line: the dispatcher prints the message and exits 2. */
export class UsageError extends Error {}

/** A CLI command: returns its exit code (0 ok, 1 failure, 2 bad usage). */
export type CliCommand = (args: readonly string[], io: CliIo) => Promise<number>;

/** Every command takes -h/--help. */
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses a command's arguments the one way every command does: strict (an unknown option is bad
 * usage), positionals allowed, and -h/--help added. Prints `help` and returns null when it was asked for.
 */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: O,
  help: string,
  io: CliIo,
) {
  const parsed = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { ...options, ...HELP_OPTION },
  });
  if ((parsed.values as { help?: boolean }).help === true) {
    io.stdout(help);
    return null;
  }
  return parsed;
}
