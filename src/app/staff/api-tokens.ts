import { isUuid } from '../../domain/uuid.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Principal, StaffRole } from '../../domain/staff-access.ts';
import { inTransaction } from '../../db/transaction.ts';
import { audit, type AuditActor } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { assertOfficesExist } from './staff-accounts.ts';
import { sha256Hex } from './staff-secrets.ts';
import { accountTown, principalScope } from './principal-scope.ts';
import { newToken } from '../shared/ids.ts';

const PREFIX = 'sch_';
const TOKEN_PATTERN = /^sch_[A-Za-z0-9_-]{43}$/;

/** Creates a bearer token for an integration. The token is returned once; only its hash is kept. */
export async function createApiToken(
  ctx: AppContext,
  input: {
    name: string;
    role: StaffRole;
    officeIds: readonly string[];
    /** The integration's town, as for an account (principal-scope.ts accountTown); null: the whole Kreis. */
    municipalityId?: string | null | undefined;
    actor: AuditActor;
  },
): Promise<{ id: string; token: string }> {
  const name = input.name.trim();
  if (!name) throw new DomainError('validation_failed', 'A token needs a name', { fields: [{ path: 'name', message: 'required' }] });
  const officeIds = input.role === 'admin' ? [] : [...new Set(input.officeIds)];
  if (input.role !== 'admin' && officeIds.length === 0) {
    throw new DomainError('validation_failed', 'Tokens other than admin need at least one office', {
      fields: [{ path: 'office', message: 'at least one office' }],
    });
  }
  // The prefix makes leaked tokens easy to find with secret scanners.
  const token = PREFIX + newToken(ctx);
  const now = ctx.now();
  const id = await inTransaction(ctx.db, async (trx) => {
    await assertOfficesExist(trx, officeIds);
    const municipalityId = await accountTown(trx, { role: input.role, officeIds, municipalityId: input.municipalityId });
    const row = await trx
      .insertInto('api_token')
      .values({ name, role: input.role, municipality_id: municipalityId, token_hash: sha256Hex(token), created_at: new Date(now) })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (officeIds.length > 0)
      await trx
        .insertInto('api_token_office')
        .values(officeIds.map((office_id) => ({ token_id: row.id, office_id })))
        .execute();
    await audit(trx, {
      actor: input.actor,
      action: 'api_token.create',
      entity: 'api_token',
      entityId: row.id,
      at: now,
      details: { name, role: input.role, officeIds, municipalityId },
    });
    return row.id;
  });
  return { id, token };
}

/** Revokes by id or by name; returns how many tokens were revoked (0: none matched). */
export async function revokeApiToken(ctx: AppContext, input: { idOrName: string; actor: AuditActor }): Promise<number> {
  const now = ctx.now();
  return inTransaction(ctx.db, async (trx) => {
    const byId = isUuid(input.idOrName);
    const revoked = await trx
      .updateTable('api_token')
      .set({ revoked_at: new Date(now) })
      .where(byId ? 'id' : 'name', '=', input.idOrName)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    for (const { id } of revoked)
      await audit(trx, { actor: input.actor, action: 'api_token.revoke', entity: 'api_token', entityId: id, at: now });
    return revoked.length;
  });
}

export async function listApiTokens(ctx: AppContext) {
  return ctx.db
    .selectFrom('api_token')
    .select(['id', 'name', 'role', 'municipality_id', 'created_at', 'last_used_at', 'revoked_at'])
    .orderBy('created_at')
    .execute();
}

/** The principal behind `Authorization: Bearer …`, or null for unknown and revoked tokens. */
export async function resolveApiToken(ctx: AppContext, token: string): Promise<Principal | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await ctx.db.selectFrom('api_token').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!row || row.revoked_at) return null;
  const now = ctx.now();
  if (!row.last_used_at || now - row.last_used_at.getTime() > 60_000) {
    await ctx.db
      .updateTable('api_token')
      .set({ last_used_at: new Date(now) })
      .where('id', '=', row.id)
      .execute();
  }
  const offices = await ctx.db
    .selectFrom('api_token_office')
    .select('office_id')
    .where('token_id', '=', row.id)
    .orderBy('office_id')
    .execute();
  // A token has no personal-data grant: an integration of the whole Kreis gets set-up and figures only.
  const scope = await principalScope(ctx.db, {
    role: row.role,
    municipalityId: row.municipality_id,
    personalDataGranted: false,
    assignedOfficeIds: offices.map((o) => o.office_id),
  });
  return { kind: 'token', id: row.id, label: row.name, role: row.role, ...scope };
}
