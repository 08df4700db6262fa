import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each integration file creates its own database (PGlite needs a few seconds to initialise), and
    // some tests seed a whole demo town or start real server processes: generous limits keep a busy
    // 2-core CI machine from turning slowness into failures. Bench figures live in bench/, not here.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest runs cores − 1 files at once: one on a 2-core CI machine, which then waits on
    // PostgreSQL and on spawned servers with the other core idle. Two at a time use both.
    maxWorkers: 2,
  },
});
