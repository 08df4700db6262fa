import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/app/app-context.ts';
import { applySetup } from '../../../src/app/setup/apply-town-file.ts';
import { exportSetup, townFileToYaml } from '../../../src/app/setup/export-town-file.ts';
import { checkTownFile } from '../../../src/app/setup/town-file.ts';
import { canonicalJson, rowsToTown, townToRows, type TownRows } from '../../../src/app/setup/town-rows.ts';
import type { AppContext } from '../../../src/app/shared/context.ts';
import type { Database } from '../../../src/db/connection.ts';
import { createTestDb } from '../../helpers/test-db.ts';
import { town } from '../../helpers/town-file-arbitrary.ts';

// #21 "done when": for generated towns, apply → export → apply is a no-op, and the export is the
// applied file's normalized document. The towns are applied one after the other to the same
// database, so each run also changes one town into another (offices and services come and go).

const NOW = Date.parse('2026-12-07T08:00:00Z');
let database: Database;
let ctx: AppContext;

beforeAll(async () => {
  database = await createTestDb();
  ctx = createAppContext({
    db: database.db,
    now: () => NOW,
    randomBytes: (n) => randomBytes(n),
    settings: { publicUrl: 'http://localhost:3000', confirmation: 'email', reservationMinutes: 30, capacityDays: 14 },
  });
});
afterAll(async () => database.close());

const sortedRows = (rows: TownRows) =>
  Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, Array.isArray(v) ? v.map(canonicalJson).sort() : canonicalJson(v)]));

describe('generated towns, applied', () => {
  it('apply → export → apply changes nothing, and export is the normalized file', async () => {
    await fc.assert(
      fc.asyncProperty(town, async (t) => {
        const text = stringify(t);
        const parsed = checkTownFile(text).town!;
        const applied = await applySetup(ctx, text, { actor: 'cli' });
        expect(applied.affectedAppointments).toEqual([]);

        const exported = await exportSetup(ctx);
        expect(exported).toEqual(rowsToTown(townToRows(parsed)));
        const yaml = townFileToYaml(exported);
        const reread = checkTownFile(yaml);
        expect(reread.problems).toEqual([]);
        expect(sortedRows(townToRows(reread.town!))).toEqual(sortedRows(townToRows(parsed)));

        const again = await applySetup(ctx, yaml, { actor: 'cli' });
        expect(again).toMatchObject({ applied: false, changes: [] });
        expect(again.sha256).toBe(applied.sha256);
      }),
      { seed: 2123, numRuns: 25 },
    );
  });
});
