import { sql, type Insertable, type Kysely } from 'kysely';
import type { MessageKind } from '../domain/message-template.ts';
import type { DB } from '../db/schema.ts';
import { applyCapacityDay, type CapacityDayUnit } from '../db/capacity-units.ts';
import { inTransaction, type Trx } from '../db/transaction.ts';
import type { FeedPage, FeedRecord } from './change-feed.ts';

// The branch's side of the change feed: pulls pages after its cursor and applies each page together
// with the new cursor in one local transaction, so a crash repeats at most one page (harmlessly).
// What the office itself changed at its counters (checked-in appointments, handed-out documents)
// is never overwritten by an older central view of it.

export type FeedPullerOptions = {
  db: Kysely<DB>;
  branchId: string;
  officeId: string;
  centralUrl: string;
  token: string;
  now?: () => number;
  intervalMs?: number;
  requestTimeoutMs?: number;
  log?: (line: string) => void;
};

export type FeedPuller = { pullNow(): Promise<number>; stop(): Promise<void> };

export function feedUrl(centralUrl: string, officeId: string, since: string): string {
  return `${centralUrl.replace(/\/$/, '')}/api/v1/sync/offices/${encodeURIComponent(officeId)}/changes?since=${encodeURIComponent(since)}`;
}

export function startFeedPuller(options: FeedPullerOptions): FeedPuller {
  const now = options.now ?? Date.now;
  let stopped = false;
  let running: Promise<number> | null = null;
  // Stopping cancels a request in flight: a central server that never answers must not hold a
  // shutdown for the retries' timeouts.
  const stopping = new AbortController();

  /** Pulls until the feed has nothing more; returns the number of records applied. */
  const pull = async (): Promise<number> => {
    let applied = 0;
    for (;;) {
      const state = await options.db
        .selectFrom('branch_sync_state')
        .select('feed_position')
        .where('branch_id', '=', options.branchId)
        .executeTakeFirstOrThrow();
      const res = await fetchWithRetry(feedUrl(options.centralUrl, options.officeId, state.feed_position), {
        headers: { authorization: `Bearer ${options.token}` },
        timeoutMs: options.requestTimeoutMs ?? 15_000,
        signal: stopping.signal,
      });
      if (res.status !== 200) throw new Error(`change feed answered ${res.status}`);
      const page = (await res.json()) as FeedPage;
      await applyFeedPage(options.db, { branchId: options.branchId, officeId: options.officeId, page, at: now() });
      applied += page.records.length;
      if (!page.hasMore || stopped) return applied;
    }
  };
  const pullNow = () => (running ??= pull().finally(() => (running = null)));
  const timer = setInterval(
    () => pullNow().catch((error) => options.log?.(`Änderungen der Zentrale nicht abrufbar / change feed: ${(error as Error).message}`)),
    options.intervalMs ?? 3_000,
  );
  timer.unref();
  return {
    pullNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      stopping.abort();
      await running?.catch(() => {});
    },
  };
}

/** A kept-alive connection the server has just closed fails at once; one more try on a fresh one settles it. */
async function fetchWithRetry(
  url: string,
  init: { headers: Record<string, string>; timeoutMs: number; signal: AbortSignal },
  attempts = 3,
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { headers: init.headers, signal: AbortSignal.any([init.signal, AbortSignal.timeout(init.timeoutMs)]) });
    } catch (error) {
      if (attempt >= attempts || init.signal.aborted || (error as Error).name === 'TimeoutError') throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

export async function applyFeedPage(
  db: Kysely<DB>,
  input: { branchId: string; officeId: string; page: FeedPage; at: number },
): Promise<void> {
  await inTransaction(db, async (trx) => {
    for (const record of input.page.records) await applyRecord(trx, input.officeId, record);
    await trx
      .updateTable('branch_sync_state')
      .set({ feed_position: input.page.next, feed_synced_at: new Date(input.at) })
      .where('branch_id', '=', input.branchId)
      .execute();
  });
}

async function applyRecord(trx: Trx, officeId: string, record: FeedRecord): Promise<void> {
  const { entity, key, data } = record;
  switch (entity) {
    case 'office':
    case 'service':
      if (data) await upsert(trx, entity, ['id'], data);
      return;
    case 'office_service':
      if (data) await upsert(trx, entity, ['office_id', 'service_id'], data);
      else await trx.deleteFrom('office_service').where('office_id', '=', officeId).where('service_id', '=', key).execute();
      return;
    case 'counter':
      if (data) await upsert(trx, entity, ['office_id', 'number'], data);
      else await trx.deleteFrom('counter').where('office_id', '=', officeId).where('number', '=', Number(key)).execute();
      return;
    case 'staffing_rule':
      if (data) await upsert(trx, entity, ['id'], data);
      else await trx.deleteFrom('staffing_rule').where('id', '=', Number(key)).execute();
      return;
    case 'branch_account': {
      if (!data) {
        // Gone from this office: no more logins here (the row stays for the audit trail).
        await trx
          .updateTable('staff_user')
          .set({ disabled_at: new Date() })
          .where('id', '=', key)
          .where('disabled_at', 'is', null)
          .execute();
        await trx.deleteFrom('staff_user_office').where('user_id', '=', key).execute();
        await trx.deleteFrom('staff_session').where('user_id', '=', key).execute();
        return;
      }
      await applyBranchAccount(trx, officeId, data as BranchAccount);
      return;
    }
    case 'appointment': {
      if (!data) return; // out of the window: the branch keeps what it has (tickets may point at it)
      const { services, ...appointment } = data as { services: { service_id: string; persons: number }[] | null; municipality_id?: string };
      // A central server from before the distribution column (decision 0014) sends no town: the office's is the row's.
      const municipalityId = appointment.municipality_id ?? (await townOfOffice(trx, officeId));
      // The counter's states belong to the branch while the day runs there.
      await upsert(
        trx,
        entity,
        ['id'],
        { ...appointment, municipality_id: municipalityId },
        sql`appointment.status NOT IN ('checked_in', 'called', 'served', 'no_show')`,
      );
      await trx.deleteFrom('appointment_service').where('appointment_id', '=', key).execute();
      if (services?.length)
        await trx
          .insertInto('appointment_service')
          .values(services.map((s) => ({ appointment_id: key, municipality_id: municipalityId, ...s })))
          .execute();
      return;
    }
    case 'document_order':
      if (data) await upsert(trx, entity, ['id'], data, sql`document_order.state NOT IN ('handed_out', 'returned')`);
      return;
    case 'capacity_day':
      // The units' town is the office's, which the branch has (the office comes first in the feed).
      if (data) await applyCapacityDay(trx, { officeId, municipalityId: await townOfOffice(trx, officeId) }, (data as CapacityDay).units);
      return;
    case 'office_queue_settings':
      // The central server's rules are the ones it replays the office's tickets and check-ins with.
      if (data) await upsert(trx, entity, ['office_id'], data);
      else await trx.deleteFrom('office_queue_settings').where('office_id', '=', officeId).execute();
      return;
    case 'release_policy':
      if (data) await upsert(trx, entity, ['office_id'], data);
      else await trx.deleteFrom('release_policy').where('office_id', '=', officeId).execute();
      return;
    case 'display_notice':
      if (data) await upsert(trx, entity, ['office_id'], data);
      else await trx.deleteFrom('display_notice').where('office_id', '=', officeId).execute();
      return;
    case 'staffing_exception':
      if (data) await upsert(trx, entity, ['id'], data);
      else await trx.deleteFrom('staffing_exception').where('id', '=', Number(key)).execute();
      return;
    case 'counter_service': {
      // The whole list of the counter: what is not in it any more goes.
      await trx.deleteFrom('counter_service').where('office_id', '=', officeId).where('counter_number', '=', Number(key)).execute();
      const serviceIds = (data as { service_ids: string[] } | null)?.service_ids ?? [];
      if (serviceIds.length > 0)
        await trx
          .insertInto('counter_service')
          .values(serviceIds.map((service_id) => ({ office_id: officeId, counter_number: Number(key), service_id })))
          .execute();
      return;
    }
    case 'service_fee_rule': {
      await trx.deleteFrom('service_fee_rule').where('service_id', '=', key).execute();
      const rules = (data as { rules: Insertable<DB['service_fee_rule']>[] } | null)?.rules ?? [];
      if (rules.length > 0) await trx.insertInto('service_fee_rule').values(rules).execute();
      return;
    }
    case 'municipality':
      // null: another town's (the log notes every town's changes for every office) — ours stays.
      if (data) await upsert(trx, entity, ['id'], data);
      return;
    case 'api_token':
      // Gone or revoked centrally: refused here at once. Kept: `last_used_at` is the branch's own.
      await trx.deleteFrom('api_token_office').where('token_id', '=', key).execute();
      if (!data) await trx.deleteFrom('api_token').where('id', '=', key).execute();
      else {
        await upsert(trx, entity, ['id'], data);
        await trx.insertInto('api_token_office').values({ token_id: key, office_id: officeId }).execute();
      }
      return;
    case 'message_template': {
      // The kind's texts in both languages: what is not in the record any more goes back to built-in.
      await trx
        .deleteFrom('message_template')
        .where('kind', '=', key as MessageKind)
        .execute();
      const texts = (data as { rows: Insertable<DB['message_template']>[] } | null)?.rows ?? [];
      if (texts.length > 0) await trx.insertInto('message_template').values(texts).execute();
      return;
    }
    default:
      // An entity this version does not know, e.g. `staff_user` from a central server older than
      // issue 15, which still carried password hashes: nothing of it is stored.
      return;
  }
}

type BranchAccount = {
  id: string;
  email: string;
  display_name: string;
  role: 'clerk' | 'teamlead';
  disabled_at: string | null;
  pin_hash: string | null;
};

/** Never verifies: the login of an account without a branch PIN fails like a wrong one. */
export const NO_BRANCH_LOGIN = '!no-branch-pin';

/**
 * A person of the office as the office PC knows them. The login here checks `password_hash`, so that
 * column holds the branch PIN's hash — the only credential this node has for them; no TOTP secret,
 * no central password hash. A changed PIN (or none any more) ends their sessions here.
 */
async function applyBranchAccount(trx: Trx, officeId: string, account: BranchAccount): Promise<void> {
  const verifier = account.pin_hash ?? NO_BRANCH_LOGIN;
  await trx
    .deleteFrom('staff_session')
    .where('user_id', '=', account.id)
    .where('user_id', 'in', sql<string>`(SELECT id FROM staff_user WHERE password_hash <> ${verifier})`)
    .execute();
  const row = {
    id: account.id,
    email: account.email,
    display_name: account.display_name,
    role: account.role,
    password_hash: verifier,
    must_change_password: false,
    totp_secret: null,
    totp_last_counter: null,
    disabled_at: account.disabled_at,
  };
  await upsert(trx, 'staff_user', ['id'], row);
  await trx.deleteFrom('staff_user_office').where('user_id', '=', account.id).execute();
  await trx.insertInto('staff_user_office').values({ user_id: account.id, office_id: officeId }).execute();
}

/** The central capacity plan of a day with the branch lease (applied by db/capacity-units.ts, which owns the table). */
type CapacityDay = { date: string; units: CapacityDayUnit[] };

/** INSERT … ON CONFLICT DO UPDATE of a whole row given as JSON (jsonb_populate_record fills every column). */
async function townOfOffice(trx: Trx, officeId: string): Promise<string> {
  const office = await trx.selectFrom('office').select('municipality_id').where('id', '=', officeId).executeTakeFirstOrThrow();
  return office.municipality_id;
}

async function upsert(
  trx: Trx,
  table: string,
  keys: string[],
  data: Record<string, unknown>,
  onlyIf?: ReturnType<typeof sql>,
): Promise<void> {
  const columns = Object.keys(data).filter((c) => !keys.includes(c));
  const set = columns.length > 0 ? sql.join(columns.map((c) => sql`${sql.id(c)} = EXCLUDED.${sql.id(c)}`)) : null;
  const conflict = sql.join(keys.map((k) => sql.id(k)));
  const action = set ? sql`DO UPDATE SET ${set}${onlyIf ? sql` WHERE ${onlyIf}` : sql``}` : sql`DO NOTHING`;
  const list = sql.join(Object.keys(data).map((c) => sql.id(c)));
  await sql`INSERT INTO ${sql.table(table)} (${list}) SELECT ${list} FROM jsonb_populate_record(NULL::${sql.table(table)}, ${JSON.stringify(data)}::jsonb) ON CONFLICT (${conflict}) ${action}`.execute(
    trx,
  );
}
