import { defineConfig } from 'vitest/config';

// Tiers, so a change can be checked at the speed it needs (`npm test` runs them all):
// unit — pure rules, no database, seconds; int — a database per file (PGlite, or PostgreSQL with
// DATABASE_URL); slow — real processes started, killed and restarted.
const UNIT = [
  'test/domain/**/*.test.ts',
  'test/random-pool.test.ts',
  'test/log-masking.test.ts',
  'test/logger.test.ts',
  'test/config-limits.test.ts',
  'test/config-office-networks.test.ts',
  'test/config-sso.test.ts',
  'test/app/messaging/calendar-event.test.ts',
  'test/app/messaging/appointment-messages.test.ts',
  'test/app/messaging/channel-policy.test.ts',
  'test/app/shared/ids.test.ts',
  'test/architecture/**/*.test.ts',
  // The town file's reader and commands; applying it (apply-*, second-town-day) needs a database.
  'test/app/setup/town-file*.test.ts',
  'test/app/setup/setup-command.test.ts',
];
const SLOW = [
  'test/cli/**/*.test.ts',
  'test/http/crash-durability.test.ts',
  'test/sync/branch-process.test.ts',
  'test/sync/branch-sigkill.test.ts',
];

export default defineConfig({
  test: {
    // Each integration file creates its own database (PGlite needs a few seconds to initialise), and
    // some tests seed a whole demo town or start real server processes: generous limits keep a busy
    // 2-core CI machine from turning slowness into failures. Bench figures live in bench/, not here.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest runs cores − 1 files at once: one on a 2-core CI machine, which then waits on
    // PostgreSQL and on spawned servers with the other core idle. Two at a time use both.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      { extends: true, test: { name: 'int', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...SLOW] } },
      { extends: true, test: { name: 'slow', include: SLOW } },
    ],
  },
});
