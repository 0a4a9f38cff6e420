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
