import { CompiledQuery, sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextWithDatabase } from '../../src/app/app-context.ts';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { searchAvailability } from '../../src/app/booking/search-availability.ts';
import { lockLeaseUnits } from '../../src/db/capacity-unit-reads.ts';
import { takeFreeSeats, takeLeaseSeats } from '../../src/db/capacity-units.ts';
import { inTransaction } from '../../src/db/transaction.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { createFixture } from '../helpers/fixture.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Decision 0014, docs/scaling.md "Past one database": on Citus the hot-path tables are distributed
// by municipality_id, and a statement is routed to one worker only if it names the town. So every
// hot-path statement — the slot search, the one-statement booking, the seat claim of a move, the
// counter's walk-in slot from the branch lease — must carry a condition on municipality_id in the
// scan of each distributed table, which this test reads from the statements' plans (EXPLAIN (FORMAT
// JSON), with the values they ran with; the custom plan and the generic one a prepared statement keeps).

const DISTRIBUTED = new Set(['capacity_unit', 'appointment', 'appointment_service']);
const SCANS = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Tid Scan', 'Tid Range Scan']);

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Alias?: string; Plans?: PlanNode[] } & Record<string, unknown>;

/** Every statement run through the database it wraps, compiled as it was sent: text and values. */
class StatementRecorder implements KyselyPlugin {
  readonly statements: CompiledQuery[] = [];
  constructor(private readonly compile: (args: PluginTransformQueryArgs) => CompiledQuery) {}
  transformQuery(args: PluginTransformQueryArgs) {
    this.statements.push(this.compile(args));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs) {
    return args.result;
  }
}

/** The conditions a scan checks, its own and (for a bitmap scan) those of the index scans under it. */
function conditions(node: PlanNode): string[] {
  const own = ['Index Cond', 'Filter', 'Recheck Cond'].map((k) => node[k]).filter((c): c is string => typeof c === 'string');
  const bitmaps = node['Node Type'] === 'Bitmap Heap Scan' ? (node.Plans ?? []).flatMap(conditions) : [];
  return [...own, ...bitmaps];
}

/** Scans of distributed tables in a plan: table, and whether any of its conditions names municipality_id. */
function distributedScans(node: PlanNode): { table: string; byTown: boolean; conditions: string[] }[] {
  const here =
    SCANS.has(node['Node Type']) && node['Relation Name'] && DISTRIBUTED.has(node['Relation Name'])
      ? [
          {
            table: node['Relation Name'],
            byTown: conditions(node).some((c) => /\bmunicipality_id\b/.test(c)),
            conditions: conditions(node),
          },
        ]
      : [];
  // InitPlans and SubPlans are children too; a bitmap scan's index scans were read with it.
  return [...here, ...(node.Plans ?? []).flatMap(distributedScans)];
}

describe(`hot-path statements name the town (the distribution column) on ${testDbKind}`, () => {
  let f: Fixture;
  let recorder: StatementRecorder;
  const run = async (work: (ctx: Fixture['ctx']) => Promise<unknown>) => {
    recorder.statements.length = 0;
    const db = f.ctx.db;
    const recording = db.withPlugin(recorder);
    await work(contextWithDatabase(f.ctx, recording));
    return recorder.statements.filter((s) => [...DISTRIBUTED].some((t) => new RegExp(`\\b${t}\\b`).test(s.sql)));
  };

  /** The plans of a statement with its values: custom (planned for them) and generic (as a prepared statement keeps it). */
  async function plans(statement: CompiledQuery): Promise<PlanNode[]> {
    const result: PlanNode[] = [];
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      await sql`SELECT set_config('plan_cache_mode', ${mode}, false)`.execute(f.ctx.db);
      const { rows } = await f.ctx.db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>(
        CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${statement.sql}`, [...statement.parameters]),
      );
      const raw = rows[0]!['QUERY PLAN'];
      result.push((typeof raw === 'string' ? (JSON.parse(raw) as [{ Plan: PlanNode }]) : raw)[0].Plan);
    }
    await sql`RESET plan_cache_mode`.execute(f.ctx.db);
    return result;
  }

  async function expectEveryScanByTown(statements: CompiledQuery[]): Promise<string[]> {
    const tables: string[] = [];
    for (const statement of statements) {
      for (const plan of await plans(statement)) {
        for (const scan of distributedScans(plan)) {
          tables.push(scan.table);
          expect(
            scan.byTown,
            `${scan.table} scanned without municipality_id (${scan.conditions.join(' / ') || 'no condition'}) in:\n${statement.sql}`,
          ).toBe(true);
        }
      }
    }
    return tables;
  }

  beforeAll(async () => {
    f = await createFixture({ counters: 2, poolSize: 1, settings: { openAppointmentsPerContact: 1 } });
    recorder = new StatementRecorder((args) => f.ctx.db.getExecutor().compileQuery(args.node, args.queryId));
    // A second town with an office of the same plan: the statements must pick one town's rows among several.
    await sql`INSERT INTO office (id, municipality_id, name, address) VALUES ('nachbar', 'nachbarstadt', 'Nachbaramt', 'Weg 2')`.execute(
      f.ctx.db,
    );
    await sql`INSERT INTO capacity_unit (municipality_id, office_id, starts_at, capacity)
      SELECT 'nachbarstadt', 'nachbar', starts_at, capacity FROM capacity_unit WHERE office_id = 'test'`.execute(f.ctx.db);
    await sql`ANALYZE capacity_unit`.execute(f.ctx.db);
  });
  afterAll(async () => f?.close());

  it('the slot search reads the units of the town’s offices only', async () => {
    const statements = await run((ctx) => searchAvailability(ctx, { services: [{ serviceId: 'short', persons: 1 }], officeId: 'test' }));
    expect(await expectEveryScanByTown(statements)).toContain('capacity_unit');
  });

  it('the one-statement booking locks, claims and inserts within the town, with the per-contact limit', async () => {
    const statements = await run((ctx) =>
      bookAppointment(ctx, {
        officeId: 'test',
        start: Date.parse('2026-11-26T09:00:00+01:00'),
        services: [{ serviceId: 'long', persons: 1 }],
        citizen: { name: 'Erika Mustermann', email: 'erika@example.org' },
        language: 'de',
      }),
    );
    const booking = statements.filter((s) => s.sql.includes('INSERT INTO appointment '));
    expect(booking).toHaveLength(1);
    // The seat lock and the seat update each scan capacity_unit, in both plans.
    expect((await expectEveryScanByTown(booking)).filter((t) => t === 'capacity_unit').length).toBeGreaterThanOrEqual(4);
    expect(await expectEveryScanByTown(statements)).toContain('capacity_unit');
    const [row] = await f.ctx.db.selectFrom('appointment').select('municipality_id').execute();
    expect(row?.municipality_id).toBe('test');
  });

  it('the seat claim of a move or a waiting-list offer takes the town’s units', async () => {
    const statements = await run((ctx) =>
      inTransaction(ctx.db, (trx) =>
        takeFreeSeats(trx, { officeId: 'test', municipalityId: 'test' }, [Date.parse('2026-11-26T10:00:00+01:00')], {
          heldBackReleasedFrom: 0,
          heldBackReleasedUntil: 0,
          phoneSeatsUsable: false,
        }),
      ),
    );
    expect(await expectEveryScanByTown(statements)).toContain('capacity_unit');
  });

  it('the counter’s walk-in slot locks and takes lease seats of the town’s units', async () => {
    const office = { officeId: 'test', municipalityId: 'test' };
    const starts = [Date.parse('2026-11-26T11:00:00+01:00'), Date.parse('2026-11-26T11:05:00+01:00')];
    const statements = await run((ctx) =>
      inTransaction(ctx.db, async (trx) => {
        await lockLeaseUnits(trx, office, starts);
        await takeLeaseSeats(trx, office, starts);
      }),
    );
    expect((await expectEveryScanByTown(statements)).filter((t) => t === 'capacity_unit').length).toBeGreaterThanOrEqual(4);
  });
});
