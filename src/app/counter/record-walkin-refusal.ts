import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { CounterCommand } from './counter-command.ts';

/** Notes a walk-in turned away at the quota, outside the refused command's (rolled back) transaction. */
export async function recordWalkinRefusal(db: Kysely<DB>, command: Extract<CounterCommand, { type: 'walkin.issue' }>): Promise<void> {
  await db
    .insertInto('walkin_refusal')
    .values({ office_id: command.officeId, service_id: command.payload.serviceId, at: new Date(command.at) })
    .execute();
}
