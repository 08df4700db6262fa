import { defineConfig } from 'vitest/config';

// Browser tests: `npm test` runs them after the unit and integration tests. They drive Debian's
// /usr/bin/chromium through playwright-core and skip with a message where it is not installed.
export default defineConfig({
  test: {
    root: '.',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/helpers/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Each file starts a database and a browser; two at a time keeps small CI machines responsive.
    maxWorkers: 2,
  },
});
