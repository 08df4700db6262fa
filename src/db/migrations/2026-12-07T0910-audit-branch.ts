import { sql, type Kysely } from 'kysely';

// Issue 15, item 8 (docs/decisions/0009-branch-credentials.md): the central server records through
// which branch node an operation arrived with every audit entry it writes while applying that
// branch's journal. Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The branch node through which an entry arrived (NULL: written by this node itself).
    ALTER TABLE audit_log ADD COLUMN branch_id text;
  `.execute(db);
}
