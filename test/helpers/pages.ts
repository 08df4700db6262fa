import type { Fixture } from './fixture.ts';

/** A browser without JavaScript: forms are url-encoded POSTs, every response is read as text. */
export async function postForm(app: Fixture['app'], path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

export async function html(res: Response | Promise<Response>): Promise<string> {
  return (await res).text();
}

/** The booking form's fields (step 3) for the fixture's office and a short service, as Erika fills it in. */
export const bookingForm = (start: string, overrides: Record<string, string> = {}) => ({
  services: 'short',
  office: 'test',
  start,
  name: 'Erika Mustermann',
  email: 'erika@example.org',
  phone: '',
  terms: 'ja',
  ...overrides,
});

/** The manage token from a redirect to /termin/{token}/…. */
export function tokenFrom(location: string | null): string {
  const match = /\/termin\/([A-Za-z0-9_-]{43})/.exec(location ?? '');
  if (!match) throw new Error(`no manage token in ${location}`);
  return match[1]!;
}

export async function confirmationCode(f: Fixture, reference: string): Promise<string> {
  const mail = await f.database.db
    .selectFrom('outbox')
    .select('body_text')
    .where('body_text', 'like', `%${reference}%`)
    .orderBy('created_at')
    .executeTakeFirstOrThrow();
  const match = /code=(\d{6})/.exec(mail.body_text);
  if (!match) throw new Error('no confirmation code in the mail');
  return match[1]!;
}

export async function appointmentByToken(f: Fixture, token: string) {
  const res = await f.app.request(`/api/v1/appointments/${token}`);
  return ((await res.json()) as { appointment: { status: string; start: string; reference: string } }).appointment;
}

/** Like toContain, but a failure prints the missing text and the page's <main>, not 30 KB of HTML. */
export function contains(page: string, ...texts: string[]): void {
  for (const text of texts) {
    if (!page.includes(text)) {
      const main = /<main[\s\S]*<\/main>/.exec(page)?.[0] ?? page;
      throw new Error(
        `page does not contain ${JSON.stringify(text)}\n--- main (first 3000 chars):\n${main
          .replace(/<[^>]+>/g, ' ')
          .replace(/\s+/g, ' ')
          .slice(0, 3000)}`,
      );
    }
  }
}
