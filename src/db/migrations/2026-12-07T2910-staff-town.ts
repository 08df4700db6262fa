import { sql, type Kysely } from 'kysely';

// Issue #20, staff stay inside their town (docs/decisions/0003, "Town scope"). An account or an API
// token belongs to one municipality, or to none: the whole Kreis (only admins are meant to be so).
// personal_data is a Kreis admin's grant to see citizens' personal data; a town's own staff see their
// town's data by their role, so the column means nothing for them. Backfill: on an installation with
// exactly one town every account and token belongs to it, so nothing changes for today's single
// towns; with none (not set up yet) or several, the operator decides (`schalter user town`).
// Not part of the change feed: a branch node scopes its people by their offices.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE staff_user ADD COLUMN municipality_id text REFERENCES municipality(id);
    ALTER TABLE staff_user ADD COLUMN personal_data boolean NOT NULL DEFAULT false;
    ALTER TABLE api_token ADD COLUMN municipality_id text REFERENCES municipality(id);
    CREATE INDEX staff_user_municipality ON staff_user (municipality_id);
    UPDATE staff_user SET municipality_id = (SELECT id FROM municipality) WHERE (SELECT count(*) FROM municipality) = 1;
    UPDATE api_token SET municipality_id = (SELECT id FROM municipality) WHERE (SELECT count(*) FROM municipality) = 1;
  `.execute(db);
}
