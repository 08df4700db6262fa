import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

// #23 item 2: no personal data and no token in any log line. The check reads what a run put into
// the database — every citizen's and staff member's name, email and phone, every mail's recipient,
// every token and confirmation code the mails carried — and looks for each of them in the log.

const TOKEN = /[A-Za-z0-9_-]{43,}/g;
const CONFIRM_CODE = /[?&]code=(\d{6})/g;

/** What must never stand in a log line, read from the run's database. */
export async function secretsOfRun(db: Kysely<DB>): Promise<string[]> {
  const values = new Set<string>();
  const add = (...texts: (string | null | undefined)[]) => {
    for (const text of texts) {
      const value = text?.trim();
      // Short values (initials, „Li“) would be found in any log by chance and prove nothing.
      if (value && value.length >= 5) values.add(value);
    }
  };
  for (const r of await db.selectFrom('appointment').select(['citizen_name', 'citizen_email', 'citizen_phone']).execute())
    add(r.citizen_name, r.citizen_email, r.citizen_phone);
  for (const r of await db.selectFrom('waiting_list_entry').select(['citizen_name', 'citizen_email', 'citizen_phone']).execute())
    add(r.citizen_name, r.citizen_email, r.citizen_phone);
  for (const r of await db
    .selectFrom('document_order')
    .select(['holder_name', 'citizen_email', 'citizen_phone', 'authorised_name'])
    .execute())
    add(r.holder_name, r.citizen_email, r.citizen_phone, r.authorised_name);
  for (const r of await db.selectFrom('staff_user').select(['email', 'display_name']).execute()) add(r.email, r.display_name);
  for (const r of await db.selectFrom('outbox').select(['recipient', 'body_text']).execute()) {
    add(r.recipient);
    for (const token of r.body_text.match(TOKEN) ?? []) add(token);
    for (const [, code] of r.body_text.matchAll(CONFIRM_CODE)) add(`code=${code}`);
  }
  return [...values];
}

/** The secrets found in the log, each with the line it stands in (empty when the log keeps them). */
export function leaksIn(log: string, secrets: string[]): string[] {
  const lines = log.split('\n');
  const lower = lines.map((line) => line.toLowerCase());
  return secrets.flatMap((secret) => {
    const i = lower.findIndex((line) => line.includes(secret.toLowerCase()));
    return i < 0 ? [] : [`${secret} in: ${lines[i]}`];
  });
}
