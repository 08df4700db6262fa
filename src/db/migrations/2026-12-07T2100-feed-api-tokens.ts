import { sql, type Kysely } from 'kysely';

// Issue #18, item 4: the API tokens of integrations on the office network (the Fachverfahren, a
// ticket printer) work at the office's branch node too. The change feed carries the tokens scoped
// to the office — name, role and the SHA-256 hash of a 256-bit random secret, which is safe to hold
// on an office PC (unlike a password hash, it cannot be guessed back) — and drops a token from the
// branch when it is revoked or loses the office. Admin tokens belong to no office and stay central.
// `last_used_at` is not watched: a token in use would otherwise note a change every minute for
// every branch of the installation.
// Upgrading a running installation, as 2026-12-07T1500-feed-queue-settings: rows that exist are
// noted once centrally, and a branch loads its image again with its next pull.
// Forward-only; PostgreSQL 15+ and PGlite.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TRIGGER api_token_sync AFTER INSERT OR DELETE OR UPDATE OF name, role, token_hash, revoked_at ON api_token
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('', 'api_token', 'id');
    CREATE TRIGGER api_token_office_sync AFTER INSERT OR UPDATE OR DELETE ON api_token_office
      FOR EACH ROW EXECUTE FUNCTION sync_log_change('office_id', 'api_token', 'token_id');
    INSERT INTO sync_change (office_id, entity, entity_key)
      SELECT office_id, 'api_token', token_id::text FROM api_token_office WHERE NOT EXISTS (SELECT 1 FROM branch_sync_state);
    UPDATE branch_sync_state SET feed_position = '0';
  `.execute(db);
}
