import { sql } from 'kysely';
import { staffIdOfActor, type ActorRefusal, type OfficeStaff } from '../domain/branch-credentials.ts';
import type { Trx } from '../db/transaction.ts';

// Whom the central server knows among the actors a branch names in its journal (item 8 of issue 15,
// docs/decisions/0009-branch-credentials.md): the office's staff decide what is applied, the names
// only make the Klärfall readable for the team lead.

export type ActorLookup = { staff: OfficeStaff; names: ReadonlyMap<string, string> };

/** One query per batch: every staff id the entries name, with whether it belongs to the office. */
export async function lookUpActors(trx: Trx, officeId: string, actors: readonly string[]): Promise<ActorLookup> {
  const ids = [...new Set(actors.map(staffIdOfActor).filter((id): id is string => id !== null))];
  if (ids.length === 0) return { staff: new Map(), names: new Map() };
  const rows = await trx
    .selectFrom('staff_user as u')
    .select([
      'u.id',
      'u.display_name',
      'u.disabled_at',
      sql<boolean>`EXISTS (SELECT 1 FROM staff_user_office o WHERE o.user_id = u.id AND o.office_id = ${officeId})`.as('of_office'),
    ])
    .where('u.id', 'in', ids)
    .execute();
  return {
    staff: new Map(rows.filter((r) => r.of_office).map((r) => [r.id, { disabledAt: r.disabled_at?.getTime() ?? null }])),
    names: new Map(rows.map((r) => [r.id, r.display_name])),
  };
}

/** Who the branch named, in words for the team lead (no ids on pages). */
export function actorInWords(actor: string, lookup: ActorLookup, reason: ActorRefusal): string {
  const id = staffIdOfActor(actor);
  const name = id ? lookup.names.get(id) : undefined;
  if (!name) return 'eine Person, die zentral nicht bekannt ist';
  return reason === 'disabled' ? `${name} (Konto zu der Zeit gesperrt)` : `${name} (nicht diesem Standort zugeordnet)`;
}
