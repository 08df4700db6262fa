import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { localDate, localDayStart, localPlainDate } from '../domain/zoned-time.ts';

// The central server's change feed for one office: what a branch node needs to serve the office on
// its own. A new branch (cursor "0") first reads an image of every entity, page by page; after that,
// the keys noted by the sync_change triggers since its cursor, with the current rows. Every record
// is a whole row (or null: gone or out of scope), so applying a page twice changes nothing.

export type FeedRecord = { entity: FeedEntity; key: string; data: Record<string, unknown> | null };
export type FeedPage = { records: FeedRecord[]; next: string; hasMore: boolean };

/**
 * In dependency order: a branch applies them in this order. `branch_account` took the place of
 * `staff_user` (issue 15): a branch that does not know the name yet skips those records instead of
 * storing anything, and a branch that does ignores `staff_user` records from a central server that
 * has not been upgraded — neither ever stores a central secret again. New entities go at the end: an
 * image cursor (`i:<n>:<seq>`) names its entity by position. Every table the branch's counter day
 * reads is fed or local to the branch by design (test/sync/branch-feed-coverage.test.ts).
 */
export const FEED_ENTITIES = [
  'office',
  'service',
  'office_service',
  'counter',
  'staffing_rule',
  'branch_account',
  'appointment',
  'document_order',
  'capacity_day',
  'office_queue_settings',
  'staffing_exception',
  'counter_service',
  'service_fee_rule',
  'municipality',
  'api_token',
  'message_template',
  'display_notice',
  'release_policy',
] as const;
export type FeedEntity = (typeof FEED_ENTITIES)[number];

/** The change log (sync_change) names the table a trigger watched; the feed may call it otherwise. */
const LOGGED_AS: Partial<Record<FeedEntity, string>> = { branch_account: 'staff_user' };

type Scope = { officeId: string; from: Date; until: Date; timeZone: string };

/** Appointments of today and the next two working days (five calendar days cover a weekend). */
export function appointmentWindow(timeZone: string, now: number): { from: Date; until: Date } {
  const today = localPlainDate(now, timeZone);
  const start = localDayStart(today, timeZone);
  const end = localDayStart(today.add({ days: 5 }), timeZone);
  return { from: new Date(start), until: new Date(end) };
}

/** data null: the entity is gone (or out of scope); the branch removes or keeps its copy as the entity's rule says. */
type Loaded = { key: string; data: Record<string, unknown> | null };
type Loader = (db: Kysely<DB>, scope: Scope, keys: string[] | null) => Promise<Loaded[]>;

const rows = async (query: ReturnType<typeof sql<Loaded>>, db: Kysely<DB>) => (await query.execute(db)).rows;
const keyFilter = (column: ReturnType<typeof sql.ref>, keys: string[] | null) =>
  keys === null ? sql`true` : sql`${column}::text = ANY(${keys}::text[])`;

const LOADERS: Record<FeedEntity, Loader> = {
  office: (db, s, keys) =>
    rows(sql`SELECT o.id AS key, to_jsonb(o) AS data FROM office o WHERE o.id = ${s.officeId} AND ${keyFilter(sql.ref('o.id'), keys)}`, db),
  service: (db, s, keys) =>
    rows(
      sql`SELECT v.id AS key, to_jsonb(v) AS data FROM service v WHERE v.id IN (SELECT service_id FROM office_service WHERE office_id = ${s.officeId}) AND ${keyFilter(sql.ref('v.id'), keys)}`,
      db,
    ),
  office_service: (db, s, keys) =>
    rows(
      sql`SELECT x.service_id AS key, to_jsonb(x) AS data FROM office_service x WHERE x.office_id = ${s.officeId} AND ${keyFilter(sql.ref('x.service_id'), keys)}`,
      db,
    ),
  counter: (db, s, keys) =>
    rows(
      sql`SELECT c.number::text AS key, to_jsonb(c) AS data FROM counter c WHERE c.office_id = ${s.officeId} AND ${keyFilter(sql.ref('c.number'), keys)}`,
      db,
    ),
  staffing_rule: (db, s, keys) =>
    rows(
      sql`SELECT r.id::text AS key, to_jsonb(r) AS data FROM staffing_rule r WHERE r.office_id = ${s.officeId} AND ${keyFilter(sql.ref('r.id'), keys)}`,
      db,
    ),
  // Who may log in at the office PC, and with what (docs/decisions/0009-branch-credentials.md): the
  // people assigned to this office, with the hash of their branch PIN — never the password hash or
  // the TOTP secret, and no admin (admins belong to no office; one assigned all the same is a team
  // lead there, with no other office to see).
  branch_account: (db, s, keys) =>
    rows(
      sql`SELECT u.id::text AS key, jsonb_build_object('id', u.id, 'email', u.email, 'display_name', u.display_name, 'role', CASE WHEN u.role = 'admin' THEN 'teamlead' ELSE u.role END,
                 'disabled_at', u.disabled_at, 'pin_hash', u.branch_pin_hash) AS data
          FROM staff_user u JOIN staff_user_office o ON o.user_id = u.id AND o.office_id = ${s.officeId}
          WHERE ${keyFilter(sql.ref('u.id'), keys)}`,
      db,
    ),
  // Minimal data: no email, no phone, no secrets of the citizen's links, no staff note (#22).
  appointment: (db, s, keys) =>
    rows(
      sql`SELECT a.id::text AS key,
                 (to_jsonb(a) - 'citizen_email' - 'citizen_phone' - 'confirmation_code_hash' - 'staff_note') || jsonb_build_object('manage_token_hash', 'not-at-branch:' || a.id::text,
                   'services', (SELECT jsonb_agg(jsonb_build_object('service_id', x.service_id, 'persons', x.persons)) FROM appointment_service x WHERE x.appointment_id = a.id)) AS data
          FROM appointment a WHERE a.office_id = ${s.officeId} AND a.starts_at >= ${s.from} AND a.starts_at < ${s.until} AND ${keyFilter(sql.ref('a.id'), keys)}`,
      db,
    ),
  // The capacity plan of a day, keyed by office-local date: every unit with its seats and the branch
  // lease (issue #6), so the branch knows which seats it may give away while cut off.
  capacity_day: (db, s, keys) =>
    rows(
      sql`SELECT d.day AS key, jsonb_build_object('date', d.day, 'units', jsonb_agg(jsonb_build_object(
                 'starts_at', d.starts_at, 'capacity', d.capacity, 'held_back', d.held_back, 'phone_reserved', d.phone_reserved,
                 'closed', d.closed, 'rebooking_only', d.rebooking_only, 'load', d.load, 'leased', d.leased, 'lease_load', d.lease_load) ORDER BY d.starts_at)) AS data
          FROM (SELECT (u.starts_at AT TIME ZONE ${s.timeZone})::date::text AS day, u.* FROM capacity_unit u
                WHERE u.office_id = ${s.officeId} AND u.starts_at >= ${s.from} AND u.starts_at < ${s.until}) d
          WHERE ${keyFilter(sql.ref('d.day'), keys)}
          GROUP BY d.day`,
      db,
    ),
  document_order: (db, s, keys) =>
    rows(
      sql`SELECT d.id::text AS key, to_jsonb(d) - 'citizen_email' - 'citizen_phone' AS data FROM document_order d
          WHERE d.office_id = ${s.officeId} AND d.state = 'ready' AND ${keyFilter(sql.ref('d.id'), keys)}`,
      db,
    ),
  // Walk-in quota and check-in window as the team lead set them (issue #18): the branch gives tickets
  // and checks in by the same rules the central server replays them with. Always one record, null
  // when the office has none (the quota then follows the staffing plan on both sides), so the image
  // also clears settings a branch kept from before they were fed.
  office_queue_settings: (db, s, keys) =>
    rows(
      sql`SELECT o.id AS key, CASE WHEN q.office_id IS NULL THEN NULL ELSE to_jsonb(q) END AS data FROM office o LEFT JOIN office_queue_settings q ON q.office_id = o.id
          WHERE o.id = ${s.officeId} AND ${keyFilter(sql.ref('o.id'), keys)}`,
      db,
    ),
  // The office's release policy: the schedule the branch reads (loadOfficeSchedules) needs it.
  release_policy: (db, s, keys) =>
    rows(
      sql`SELECT o.id AS key, CASE WHEN p.office_id IS NULL THEN NULL ELSE to_jsonb(p) END AS data FROM office o LEFT JOIN release_policy p ON p.office_id = o.id
          WHERE o.id = ${s.officeId} AND ${keyFilter(sql.ref('o.id'), keys)}`,
      db,
    ),
  // The call display's notice line (#22): one record, null when the team lead removed it.
  display_notice: (db, s, keys) =>
    rows(
      sql`SELECT o.id AS key, CASE WHEN n.office_id IS NULL THEN NULL ELSE to_jsonb(n) END AS data FROM office o LEFT JOIN display_notice n ON n.office_id = o.id
          WHERE o.id = ${s.officeId} AND ${keyFilter(sql.ref('o.id'), keys)}`,
      db,
    ),
  // The town set-up of issue #21 that the office's day uses: the staffing plan's exceptions …
  staffing_exception: (db, s, keys) =>
    rows(
      sql`SELECT e.id::text AS key, to_jsonb(e) AS data FROM staffing_exception e WHERE e.office_id = ${s.officeId} AND ${keyFilter(sql.ref('e.id'), keys)}`,
      db,
    ),
  // … which services each counter calls (one record per counter, services the office offers only,
  // so every one exists at the branch) …
  counter_service: (db, s, keys) =>
    rows(
      sql`SELECT c.number::text AS key, jsonb_build_object('counter_number', c.number, 'service_ids', coalesce((
                 SELECT jsonb_agg(x.service_id ORDER BY x.service_id) FROM counter_service x
                 WHERE x.office_id = c.office_id AND x.counter_number = c.number AND x.service_id IN (SELECT service_id FROM office_service WHERE office_id = ${s.officeId})), '[]'::jsonb)) AS data
          FROM counter c WHERE c.office_id = ${s.officeId} AND ${keyFilter(sql.ref('c.number'), keys)}`,
      db,
    ),
  // … the fee rules of the services it offers (one record per service) …
  service_fee_rule: (db, s, keys) =>
    rows(
      sql`SELECT v.id AS key, jsonb_build_object('service_id', v.id, 'rules', coalesce((SELECT jsonb_agg(to_jsonb(r) ORDER BY r.position) FROM service_fee_rule r WHERE r.service_id = v.id), '[]'::jsonb)) AS data
          FROM service v WHERE v.id IN (SELECT service_id FROM office_service WHERE office_id = ${s.officeId}) AND ${keyFilter(sql.ref('v.id'), keys)}`,
      db,
    ),
  // … and the town's name, texts, legal links and logo for the pages the office PC shows.
  municipality: (db, s, keys) =>
    rows(
      sql`SELECT m.id AS key, to_jsonb(m) AS data FROM municipality m JOIN office o ON o.municipality_id = m.id WHERE o.id = ${s.officeId} AND ${keyFilter(sql.ref('m.id'), keys)}`,
      db,
    ),
  // The API tokens of the office's integrations (issue #18 item 4): the hash of a 256-bit random
  // secret, never guessable back; revoked or no longer of the office → null, and the branch drops it.
  api_token: (db, s, keys) =>
    rows(
      sql`SELECT t.id::text AS key, jsonb_build_object('id', t.id, 'name', t.name, 'role', t.role, 'token_hash', t.token_hash, 'created_at', t.created_at) AS data
          FROM api_token t JOIN api_token_office o ON o.token_id = t.id AND o.office_id = ${s.officeId}
          WHERE t.revoked_at IS NULL AND t.role <> 'admin' AND ${keyFilter(sql.ref('t.id'), keys)}`,
      db,
    ),
  // The municipality's wording of citizen messages (#19): the branch writes the document-ready notice
  // when its counter marks a document ready. One record per kind with both languages; none left → [].
  // Per town (#20): the office's town's own texts and the installation's (''), never another town's.
  message_template: (db, s, keys) =>
    rows(
      sql`SELECT k.kind AS key, jsonb_build_object('kind', k.kind, 'rows', coalesce((SELECT jsonb_agg(to_jsonb(t) ORDER BY t.municipality_id, t.language) FROM message_template t
            WHERE t.kind = k.kind AND t.municipality_id IN ('', (SELECT municipality_id FROM office WHERE id = ${s.officeId}))), '[]'::jsonb)) AS data
          FROM (SELECT DISTINCT kind FROM message_template UNION SELECT unnest(${keys ?? []}::text[])) k WHERE ${keyFilter(sql.ref('k.kind'), keys)}`,
      db,
    ),
};

/**
 * One page of the feed after `since`: "0" (or empty) starts the image; "i:<n>:<seq>" continues it at
 * entity n; "c:<seq>:<date>" reads the change log after seq. The answer's `next` is the cursor to send next.
 */
export async function readChangeFeed(
  db: Kysely<DB>,
  input: { officeId: string; since: string; now: number; limit?: number },
): Promise<FeedPage> {
  const limit = input.limit ?? 1000;
  const office = await db.selectFrom('office').select('time_zone').where('id', '=', input.officeId).executeTakeFirstOrThrow();
  const scope: Scope = { officeId: input.officeId, timeZone: office.time_zone, ...appointmentWindow(office.time_zone, input.now) };
  const today = localDate(input.now, office.time_zone);
  const cursor = parseCursor(input.since);
  if (cursor.kind === 'image') {
    // The log position is taken before the image is read: a change during the image is read again later, never lost.
    const seq = cursor.seq ?? (await lastChange(db));
    const entity = FEED_ENTITIES[cursor.entity]!;
    const found = await LOADERS[entity](db, scope, null);
    const records = found.map((r) => ({ entity, key: r.key, data: r.data }));
    const isLast = cursor.entity === FEED_ENTITIES.length - 1;
    return { records, next: isLast ? `c:${seq}:${today}` : `i:${cursor.entity + 1}:${seq}`, hasMore: !isLast };
  }
  // A new day moves the window: its last day's plan and appointments never changed, so the log does
  // not name them. The cursor remembers the day it was written on; on the first read of a new day the
  // whole window comes along once.
  const rolled: FeedRecord[] = [];
  if (cursor.day !== today) {
    for (const entity of ['appointment', 'capacity_day'] as const) {
      for (const r of await LOADERS[entity](db, scope, null)) rolled.push({ entity, key: r.key, data: r.data });
    }
  }
  const changes = await db
    .selectFrom('sync_change')
    .select(['seq', 'entity', 'entity_key'])
    .where('seq', '>', String(cursor.seq) as never)
    .where((eb) => eb.or([eb('office_id', '=', input.officeId), eb('office_id', 'is', null)]))
    .orderBy('seq')
    .limit(limit)
    .execute();
  if (changes.length === 0) return { records: rolled, next: `c:${cursor.seq}:${today}`, hasMore: false };
  const records: FeedRecord[] = [...rolled];
  for (const entity of FEED_ENTITIES) {
    const logged = LOGGED_AS[entity] ?? entity;
    const keys = [...new Set(changes.filter((c) => c.entity === logged).map((c) => c.entity_key))];
    if (keys.length === 0) continue;
    const found = new Map((await LOADERS[entity](db, scope, keys)).map((r) => [r.key, r.data]));
    for (const key of keys) records.push({ entity, key, data: found.get(key) ?? null });
  }
  return { records, next: `c:${changes.at(-1)!.seq}:${today}`, hasMore: changes.length === limit };
}

async function lastChange(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('sync_change')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

type Cursor = { kind: 'image'; entity: number; seq: number | null } | { kind: 'changes'; seq: number; day: string | null };

export function parseCursor(since: string): Cursor {
  if (since === '' || since === '0') return { kind: 'image', entity: 0, seq: null };
  const image = /^i:(\d+):(\d+)$/.exec(since);
  if (image && Number(image[1]) < FEED_ENTITIES.length) return { kind: 'image', entity: Number(image[1]), seq: Number(image[2]) };
  // 'c:<seq>' (before the lease, issue #6) or 'c:<seq>:<office-local date the cursor was written on>'.
  const changes = /^c:(\d+)(?::(\d{4}-\d{2}-\d{2}))?$/.exec(since);
  if (changes) return { kind: 'changes', seq: Number(changes[1]), day: changes[2] ?? null };
  throw new Error(`invalid cursor ${since}`);
}
