import { sql } from 'kysely';
import { staffIdOfActor, tokenIdOfActor, type ActorRefusal, type OfficeStaff, type OfficeTokens } from '../domain/branch-credentials.ts';
import type { Trx } from '../db/transaction.ts';

// Whom the central server knows among the actors a branch names in its journal (item 8 of issue 15,
// docs/decisions/0009-branch-credentials.md): the office's staff and API tokens decide what is
// applied, the names only make the Klärfall readable for the team lead.

export type ActorLookup = { staff: OfficeStaff; tokens: OfficeTokens; names: ReadonlyMap<string, string> };

/** Two queries per batch at most: every staff and token id the entries name, with whether it belongs to the office. */
export async function lookUpActors(trx: Trx, officeId: string, actors: readonly string[]): Promise<ActorLookup> {
  const staffIds = [...new Set(actors.map(staffIdOfActor).filter((id): id is string => id !== null))];
  const tokenIds = [...new Set(actors.map(tokenIdOfActor).filter((id): id is string => id !== null))];
  const people =
    staffIds.length === 0
      ? []
      : await trx
          .selectFrom('staff_user as u')
          .select([
            'u.id',
            'u.display_name',
            'u.disabled_at',
            sql<boolean>`EXISTS (SELECT 1 FROM staff_user_office o WHERE o.user_id = u.id AND o.office_id = ${officeId})`.as('of_office'),
          ])
          .where('u.id', 'in', staffIds)
          .execute();
  const tokens =
    tokenIds.length === 0
      ? []
      : await trx
          .selectFrom('api_token as t')
          .select([
            't.id',
            't.name',
            't.revoked_at',
            sql<boolean>`EXISTS (SELECT 1 FROM api_token_office o WHERE o.token_id = t.id AND o.office_id = ${officeId})`.as('of_office'),
          ])
          .where('t.id', 'in', tokenIds)
          .execute();
  return {
    staff: new Map(people.filter((r) => r.of_office).map((r) => [r.id, { disabledAt: r.disabled_at?.getTime() ?? null }])),
    tokens: new Map(tokens.filter((r) => r.of_office).map((r) => [r.id, { revokedAt: r.revoked_at?.getTime() ?? null }])),
    names: new Map([...people.map((r) => [r.id, r.display_name] as const), ...tokens.map((r) => [r.id, `Zugang „${r.name}“`] as const)]),
  };
}

/** Who the branch named, in words for the team lead (no ids on pages). */
export function actorInWords(actor: string, lookup: ActorLookup, reason: ActorRefusal): string {
  const tokenId = tokenIdOfActor(actor);
  const id = tokenId ?? staffIdOfActor(actor);
  const name = id ? lookup.names.get(id) : undefined;
  if (!name) return tokenId ? 'ein Zugang, der zentral nicht bekannt ist' : 'eine Person, die zentral nicht bekannt ist';
  if (reason === 'disabled') return tokenId ? `${name} (zu der Zeit widerrufen)` : `${name} (Konto zu der Zeit gesperrt)`;
  return `${name} (nicht diesem Standort zugeordnet)`;
}
