import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';

// Each municipality is its own data controller (decision 0014) and may keep personal data for its
// own number of days (`retentionDays` in the town file, municipality.retention_days); a town without
// it keeps the installation's SCHALTER_RETENTION_DAYS. A record belongs to the town of its office;
// one without an office (an audit entry about a login, a message about nothing of a town) keeps the
// installation's days. The branch node is fed its town's row, so it applies the same days.

const DAY_MS = 86_400_000;

export type RetentionCutoffs = {
  /** The installation's days (SCHALTER_RETENTION_DAYS), for towns without their own and rows without a town. */
  defaultDays: number;
  /** Towns with days of their own: id → days. */
  townDays: Record<string, number>;
  /** The installation's cutoff: older rows without a town are due. */
  cutoff: Date;
  /** The latest cutoff of any town (the fewest days): nothing younger is due anywhere — the bound an index can use. */
  latest: Date;
  /** The earliest cutoff of the towns present (the most days): copies outside the database older than this are due everywhere. */
  earliest: Date;
  /** The cutoff of the row whose office is `officeId` (SQL), the installation's when the office is NULL or unknown. */
  of(officeId: RawBuilder<unknown>): RawBuilder<Date>;
};

export async function readRetentionCutoffs(db: Kysely<DB>, now: number, defaultDays: number): Promise<RetentionCutoffs> {
  const towns = await db.selectFrom('municipality').select(['id', 'retention_days']).execute();
  const townDays = Object.fromEntries(towns.filter((t) => t.retention_days !== null).map((t) => [t.id, t.retention_days!]));
  const effective = towns.map((t) => t.retention_days ?? defaultDays);
  const at = (days: number) => new Date(now - days * DAY_MS);
  const cutoff = at(defaultDays);
  return {
    defaultDays,
    townDays,
    cutoff,
    latest: at(Math.min(defaultDays, ...effective)),
    earliest: at(effective.length ? Math.max(...effective) : defaultDays),
    // Hours, not days: `timestamptz - interval '1 day'` follows the session's DST, the JS cutoff does not.
    of: (officeId) =>
      sql<Date>`COALESCE((SELECT ${new Date(now)}::timestamptz - make_interval(hours => 24 * m.retention_days)
                          FROM office o JOIN municipality m ON m.id = o.municipality_id
                          WHERE o.id = ${officeId} AND m.retention_days IS NOT NULL), ${cutoff}::timestamptz)`,
  };
}
