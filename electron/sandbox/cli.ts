/**
 * `influx-workbench sandbox`: serve the sandbox, or manage its databases and tokens.
 */

import os from 'node:os';
import path from 'node:path';

import { type CliIo, parseCommand, UsageError } from '../cli/io';
import type { TokenPermission } from './catalog';
import { SANDBOX_PROFILES, type SandboxProfile } from './errors';
import { DEMO_DATABASE, SandboxEngine, startSandbox } from './index';

export const SANDBOX_HELP = `Usage: influx-workbench sandbox [--port N] [--data-dir DIR | --memory] [--profile P] [--json]
       influx-workbench sandbox database create NAME [--retention DURATION] [--data-dir DIR]
       influx-workbench sandbox database list|delete NAME [--data-dir DIR] [--json]
       influx-workbench sandbox token create [--read DB]... [--write DB]... [--description TEXT] [--data-dir DIR]
       influx-workbench sandbox token list|delete ID [--data-dir DIR] [--json]

Runs a local InfluxDB 3 stand-in on 127.0.0.1 that answers like Cloud Dedicated (default) or Core,
with its data in DuckDB. Prints the URL, the database and the token, then serves until Ctrl-C.
Not a production database; no Flight SQL.

  --port N            port (default: a free one)
  --data-dir DIR      where the data lives (default: ~/.config/influx-workbench/standalone)
  --memory            keep everything in memory (gone when it stops; for tests)
  --profile P         cloud-dedicated (default; also Clustered) | core
  --json              print one JSON line {"url","token","database","profile"} once listening

The token is printed only when it is created (first start of a data folder, or \`token create\`).
Management commands work on a stopped sandbox's folder (the running one holds a lock on it).
  token create        default: read and write on every database (--read/--write DB narrow it; * = all)
  --retention D       database retention, e.g. 30d, 12h (default: infinite)
`;

function defaultDataDir(): string {
  return path.join(os.homedir(), '.config', 'influx-workbench', 'standalone');
}

const DURATION_NS: Record<string, bigint> = {
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
};

function parseRetention(text: string): number {
  const m = /^(\d+)([smhdw])$/.exec(text);
  if (!m) throw new UsageError(`--retention must be a number and a unit (s, m, h, d, w), e.g. 30d; got "${text}"`);
  const ns = BigInt(m[1]!) * DURATION_NS[m[2]!]!;
  if (ns < DURATION_NS.h!) throw new UsageError('--retention must be at least 1h (as on Cloud Dedicated)');
  return Number(ns);
}

const OPTIONS = {
  port: { type: 'string' },
  'data-dir': { type: 'string' },
  memory: { type: 'boolean' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  retention: { type: 'string' },
  read: { type: 'string', multiple: true },
  write: { type: 'string', multiple: true },
  description: { type: 'string' },
} as const;

/** Waits for SIGINT or SIGTERM (the serving command's end). */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string): void => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(sig);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export async function sandboxCommand(args: readonly string[], io: CliIo, stop = untilSignal): Promise<number> {
  const parsed = parseCommand(args, OPTIONS, SANDBOX_HELP, io);
  if (parsed === null) return 0;
  const { values, positionals } = parsed;
  const profile = (values.profile ?? 'cloud-dedicated') as SandboxProfile;
  if (!SANDBOX_PROFILES.includes(profile)) {
    throw new UsageError(`--profile must be ${SANDBOX_PROFILES.join(' or ')}, not "${values.profile}"`);
  }
  if (values.memory && values['data-dir'] !== undefined)
    throw new UsageError('--memory and --data-dir exclude each other');
  const dataDir = values.memory ? undefined : (values['data-dir'] ?? defaultDataDir());
  if (positionals.length > 0) return manage(positionals, values, dataDir, profile, io);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, not ${values.port}`);
  // Listen for the signals before anything is printed: a script may stop us as soon as it reads the URL.
  const stopped = stop();
  const sandbox = await startSandbox({ dataDir, port, profile }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') {
      throw new Error(`port ${port} on 127.0.0.1 is already in use: pick another with --port N, or leave it out`);
    }
    throw err;
  });
  const token = sandbox.firstRunToken;
  if (values.json) {
    io.stdout(JSON.stringify({ url: sandbox.url, token, database: DEMO_DATABASE, profile: sandbox.profile }) + '\n');
  } else {
    io.stdout(
      `Influx Workbench sandbox (${sandbox.profile === 'core' ? 'InfluxDB 3 Core' : 'Cloud Dedicated'} behaviour)\n` +
        `URL:      ${sandbox.url}\n` +
        `Database: ${DEMO_DATABASE}\n` +
        (token
          ? `Token:    ${token}\n          (shown once: keep it; it is stored only as a hash)\n`
          : 'Token:    created earlier and shown then; `influx-workbench sandbox token create` makes a new one\n') +
        `Data:     ${dataDir ?? '(memory only)'}\n` +
        'Press Ctrl-C to stop.\n',
    );
  }
  await stopped;
  await sandbox.close();
  if (!values.json) io.stdout('sandbox stopped\n');
  return 0;
}

async function manage(
  positionals: string[],
  values: { json?: boolean; retention?: string; read?: string[]; write?: string[]; description?: string },
  dataDir: string | undefined,
  profile: SandboxProfile,
  io: CliIo,
): Promise<number> {
  const [noun, verb, arg, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (dataDir === undefined) throw new UsageError('management commands need a data folder (--data-dir), not --memory');
  const need = (what: string): string => {
    if (!arg) throw new UsageError(`sandbox ${noun} ${verb} needs ${what}`);
    return arg;
  };
  const known =
    (noun === 'database' || noun === 'token') && (verb === 'create' || verb === 'list' || verb === 'delete');
  if (!known) throw new UsageError(`unknown sandbox command "${positionals.join(' ')}" (see --help)`);
  const engine = await SandboxEngine.open({ dataDir, config: { profile } });
  try {
    if (noun === 'database') {
      if (verb === 'create') {
        const name = need('a NAME');
        const db = await engine.createDatabase(
          name,
          values.retention ? { retentionPeriod: parseRetention(values.retention) } : {},
        );
        io.stdout(values.json ? JSON.stringify(dbJson(db)) + '\n' : `created database ${db.name}\n`);
      } else if (verb === 'delete') {
        await engine.deleteDatabase(need('a NAME'));
        io.stdout(values.json ? '{"deleted":true}\n' : `deleted database ${arg}\n`);
      } else {
        const dbs = engine.listDatabases();
        if (values.json) io.stdout(JSON.stringify(dbs.map(dbJson)) + '\n');
        else
          for (const db of dbs)
            io.stdout(
              `${db.name}\ttables=${Object.keys(db.measurements).length}` +
                `\tretention=${db.retentionPeriod === 0 ? 'infinite' : `${db.retentionPeriod}ns`}\n`,
            );
      }
    } else if (verb === 'create') {
      if (arg) throw new UsageError(`unexpected argument "${arg}"`);
      const permissions: TokenPermission[] = [
        ...(values.read ?? []).map((resource): TokenPermission => ({ action: 'read', resource })),
        ...(values.write ?? []).map((resource): TokenPermission => ({ action: 'write', resource })),
      ];
      if (permissions.length === 0)
        permissions.push({ action: 'read', resource: '*' }, { action: 'write', resource: '*' });
      const { token, secret } = engine.createToken(values.description ?? 'created with the CLI', permissions);
      io.stdout(
        values.json
          ? JSON.stringify({ ...token, token: secret }) + '\n'
          : `created token ${token.id}\ntoken: ${secret}\n(shown once: it is stored only as a hash)\n`,
      );
    } else if (verb === 'delete') {
      engine.deleteToken(need('a token ID'));
      io.stdout(values.json ? '{"deleted":true}\n' : `deleted token ${arg}\n`);
    } else {
      const tokens = engine.listTokens();
      if (values.json) io.stdout(JSON.stringify(tokens) + '\n');
      else {
        for (const t of tokens) {
          io.stdout(`${t.id}\t${t.permissions.map((p) => `${p.action}:${p.resource}`).join(',')}\t${t.description}\n`);
        }
      }
    }
  } finally {
    await engine.close();
  }
  return 0;
}

function dbJson(db: {
  name: string;
  maxTables: number;
  maxColumnsPerTable: number;
  retentionPeriod: number;
  measurements: object;
}): object {
  return {
    name: db.name,
    maxTables: db.maxTables,
    maxColumnsPerTable: db.maxColumnsPerTable,
    retentionPeriod: db.retentionPeriod,
    tables: Object.keys(db.measurements),
  };
}
