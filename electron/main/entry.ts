import { boot } from './index';

// Separate from index.ts so tests can import boot() without starting the app.
boot().catch((err: unknown) => {
  process.stderr.write(`[main] failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
