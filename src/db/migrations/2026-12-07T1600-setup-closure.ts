import { sql, type Kysely } from 'kysely';

// `setup apply --close-affected` (#21, decision 0011 "Never overbook"): a new town set-up with fewer
// seats than are booked hands the appointments that no longer fit to the closure flow. They are
// cancelled in the very transaction that lays out the new plan (the capacity CHECK needs their seats
// given back first), so such a closure's job finds them cancelled already and only tells each person
// and holds a replacement. setup_revision names the set-up change that opened the closure.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE closure ADD COLUMN setup_revision integer REFERENCES setup_revision(revision)`.execute(db);
}
