import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { createAppContext, defaultLogsDir } from '../app/create-app';
import { createLogger, LOG_FILE_NAME, rotatingFileSink, teeSink } from '../app/logger';
import { APP_VERSION } from '../app/version';
import { startWebServer } from './server';

/**
 * `npm run web`: browser mode. Prints the URL (with its one-time key) to open in a browser.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      'no-sandbox': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(
      'Usage: npm run web -- [--port N] [--data-dir DIR] [--no-sandbox]\n\n' +
        'Serves Influx Workbench on http://127.0.0.1 (a random free port by default) and prints the URL to open.\n' +
        'Tokens are kept in memory only in browser mode.\n' +
        'The local InfluxDB 3 sandbox starts with it (its data under DIR/sandbox); --no-sandbox leaves it off.\n',
    );
    return;
  }
  // Arguments first: nothing is opened for a command line that cannot work.
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, not ${values.port}`);
  const dataDir = values['data-dir'] ?? path.join(os.homedir(), '.config', 'influx-workbench', 'browser-mode');
  const log = createLogger(
    teeSink((l) => process.stderr.write(`${l}\n`), rotatingFileSink(path.join(defaultLogsDir(dataDir), LOG_FILE_NAME))),
  );
  const ctx = await createAppContext({
    mode: 'browser',
    version: APP_VERSION,
    dataDir,
    cipher: null,
    noCipherReason: 'Browser mode keeps tokens in memory only: they are gone when `npm run web` stops.',
    log,
    sandbox: values['no-sandbox'] !== true,
  });
  const server = await startWebServer({ ctx, staticDir: path.join(__dirname, '..', 'renderer'), port }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        throw new Error(
          `Port ${port} on 127.0.0.1 is already in use. Pick another with --port N, or leave --port out for a free one.`,
        );
      }
      throw err;
    },
  );
  const sandbox = values['no-sandbox'] ? null : await ctx.handlers['sandbox:status']({});
  process.stdout.write(
    `Influx Workbench (browser mode) is running.\nOpen: ${server.url}\nData: ${dataDir}\n` +
      (sandbox ? `Sandbox: ${sandbox.url ?? sandbox.reason}\n` : '') +
      'Press Ctrl-C to stop.\n',
  );
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
