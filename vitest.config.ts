import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each integration file creates its own database (PGlite needs a few seconds to initialise).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
