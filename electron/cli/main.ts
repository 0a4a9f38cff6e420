import { runCli } from './index';

async function readStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function stdinBytes(): AsyncIterable<Uint8Array> | null {
  return process.stdin.isTTY ? null : (process.stdin as AsyncIterable<Uint8Array>);
}

// A closed pipe (`query … | head -2`) is the reader saying it has read enough: exit quietly, as the
// `influx` CLI does, instead of dying on the unhandled EPIPE with a stack trace and status 1.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  drain: () =>
    process.stdout.writableNeedDrain
      ? new Promise<void>((resolve) => {
          // A closed pipe (`| head`) never drains: stop waiting then too.
          const done = (): void => {
            process.stdout.off('drain', done).off('close', done).off('error', done);
            resolve();
          };
          process.stdout.once('drain', done).once('close', done).once('error', done);
        })
      : Promise.resolve(),
  readStdin,
  stdinBytes,
  stderrIsTTY: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`influx-workbench: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
