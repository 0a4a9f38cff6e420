import { defineConfig } from 'vitest/config';

// Three projects so a newcomer can run the fast part alone (`npm run test:unit`), while `npm test`
// runs all of them: integration needs a real influxd, e2e a real Chromium and the built app.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/shared/**/*.spec.ts', 'test/electron/**/*.spec.ts', 'test/renderer/**/*.spec.ts'],
          environment: 'node',
          // Some unit tests handle the real 64 MiB / 1 GiB limits; on a busy 2-core machine (CI with other
          // work running) they took 7 s, past Vitest's 5 s default. A timeout is a ceiling, not a wait.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      // E2e tests run shuffled (package.json's test:e2e passes --sequence.shuffle): Vitest 4.1 ignores a
      // project's own `sequence` (workers take it from the root config), and shuffling at the root would
      // shuffle the unit and integration projects too.
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
