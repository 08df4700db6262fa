import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, json, loadOf, postJson, type Fixture } from '../helpers/fixture.ts';
import { appointmentByToken, confirmationCode, contains, html, postForm, tokenFrom } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

// The pages behind the secret link in the mail. GET only shows; every change is a POST + 303.

describe(`citizen manage pages on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
  });
  afterAll(async () => f.close());

  let client = 0;
  async function bookViaPage(start: string, overrides: Record<string, string> = {}) {
    const fields = {
      services: 'long',
      office: 'test',
      start,
      name: 'Erika Mustermann',
      email: 'erika@example.org',
      phone: '',
      terms: 'ja',
      ...overrides,
    };
    const res = await postForm(f.app, '/buchen/angaben', fields, { 'x-test-client': `client-${client++}` });
    expect(res.status).toBe(303);
    const token = tokenFrom(res.headers.get('location'));
    return { token, reference: (await appointmentByToken(f, token)).reference };
  }

  it('the confirm link from the mail shows a button; opening it changes nothing (link scanners)', async () => {
    const { token, reference } = await bookViaPage('2026-11-26T08:00:00+01:00');
    const code = await confirmationCode(f, reference);
    const mail = await f.database.db
      .selectFrom('outbox')
      .select('body_text')
      .where('body_text', 'like', `%${reference}%`)
      .executeTakeFirstOrThrow();
    expect(mail.body_text).toContain(`http://schalter.test/termin/${token}/bestaetigen?code=${code}`);

    const page = await html(f.app.request(`/termin/${token}/bestaetigen?code=${code}`));
    contains(page, 'Termin bestätigen', `value="${code}"`, `action="/termin/${token}/bestaetigen"`);
    expect((await appointmentByToken(f, token)).status).toBe('reserved');

    const wrong = await postForm(f.app, `/termin/${token}/bestaetigen`, { code: '000000' });
    expect(wrong.status).toBe(422);
    contains(await wrong.text(), 'href="#code"', 'Der Bestätigungscode ist nicht richtig');

    const ok = await postForm(f.app, `/termin/${token}/bestaetigen`, { code });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/termin/${token}?erfolg=bestaetigt`);
    expect((await appointmentByToken(f, token)).status).toBe('confirmed');
    contains(await html(f.app.request(ok.headers.get('location')!)), 'Ihr Termin ist bestätigt.', 'Bestätigt');
    contains(await html(f.app.request(`/termin/${token}/bestaetigen?code=${code}`)), 'Ihr Termin ist bereits bestätigt.');
  });

  it('the manage page shows the appointment, what to bring, the calendar file and the way to move or cancel', async () => {
    const { token } = await bookViaPage('2026-11-26T09:00:00+01:00');
    const res = await f.app.request(`/termin/${token}`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await res.text();
    contains(
      page,
      'Reserviert – noch nicht bestätigt',
      'Do., 26.11.2026, 09:00 Uhr – 09:20 Uhr',
      '<a class="kern-link" href="/standorte/test">Testamt</a>, Teststraße 1, 12345 Teststadt',
      'Passfoto',
      '37,00 €',
    );
    contains(
      page,
      `href="/termin/${token}/verschieben"`,
      `href="/termin/${token}/absagen"`,
      `href="/termin/${token}/bestaetigen"`,
      `/termin/${token}/termin.ics`,
    );
  });

  it('offers an .ics file in UTC with the same UID as the mail', async () => {
    const { token, reference } = await bookViaPage('2026-11-26T09:30:00+01:00');
    const res = await f.app.request(`/termin/${token}/termin.ics`);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="termin-${reference}.ics"`);
    const ics = await res.text();
    expect(ics).toContain('DTSTART:20261126T083000Z');
    expect(ics).toContain(`UID:${reference}@schalter`);
    expect(ics).toContain('STATUS:TENTATIVE');
  });

  it('cancelling needs a confirmation step: GET asks, POST cancels and frees the time', async () => {
    const start = '2026-11-26T10:00:00+01:00';
    const { token } = await bookViaPage(start);
    const question = await html(f.app.request(`/termin/${token}/absagen`));
    contains(question, 'Möchten Sie diesen Termin wirklich absagen?', 'Ja, Termin absagen', 'Nein, Termin behalten');
    expect(await loadOf(f, start)).toBe(1);

    const res = await postForm(f.app, `/termin/${token}/absagen`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/termin/${token}?erfolg=abgesagt`);
    expect(await loadOf(f, start)).toBe(0);
    const page = await html(f.app.request(res.headers.get('location')!));
    contains(page, 'Ihr Termin wurde abgesagt.', 'Neuen Termin buchen');
    expect(page).not.toContain(`/termin/${token}/verschieben`);
    contains(await html(f.app.request(`/termin/${token}/absagen`)), 'Dieser Termin kann nicht mehr geändert werden.');
  });

  it('moves through the same calendar: pick, confirm old vs new, POST moves atomically', async () => {
    const { token } = await bookViaPage('2026-11-27T08:00:00+01:00');
    const picker = await html(f.app.request(`/termin/${token}/verschieben?day=2026-11-27`));
    contains(picker, 'Termin verschieben', 'Freie Uhrzeiten am Freitag, 27. November 2026');
    const confirmHref = `/termin/${token}/verschieben/bestaetigen?office=test&amp;start=2026-11-27T09%3A00%3A00%2B01%3A00`;
    contains(picker, confirmHref);

    const confirm = await html(f.app.request(confirmHref.replace(/&amp;/g, '&')));
    contains(confirm, 'Fr., 27.11.2026, 08:00 Uhr – 08:20 Uhr, Testamt', 'Fr., 27.11.2026, 09:00 Uhr – 09:20 Uhr, Testamt');
    expect((await appointmentByToken(f, token)).start).toBe('2026-11-27T08:00:00+01:00');

    const res = await postForm(f.app, `/termin/${token}/verschieben/bestaetigen`, { office: 'test', start: '2026-11-27T09:00:00+01:00' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/termin/${token}?erfolg=verschoben`);
    expect((await appointmentByToken(f, token)).start).toBe('2026-11-27T09:00:00+01:00');
    expect(await loadOf(f, '2026-11-27T08:00:00+01:00')).toBe(0);
  });

  it('a move to a time taken meanwhile keeps the old appointment and offers the nearest free times', async () => {
    const { token } = await bookViaPage('2026-11-27T10:00:00+01:00');
    const target = '2026-11-27T11:00:00+01:00';
    expect(
      (
        await postJson(f.app, '/api/v1/appointments', {
          officeId: 'test',
          start: target,
          services: [{ serviceId: 'short' }],
          citizen: { name: 'Quick', phone: '0221 4710 2' },
        })
      ).status,
    ).toBe(201);
    const res = await postForm(f.app, `/termin/${token}/verschieben/bestaetigen`, { office: 'test', start: target });
    expect(res.status).toBe(409);
    const page = await res.text();
    contains(
      page,
      'Dieser Termin ist leider nicht mehr frei',
      'name="taken" value="2026-11-27T11:00:00+01:00"',
      'value="2026-11-27T11:10:00+01:00"',
    );
    expect((await appointmentByToken(f, token)).start).toBe('2026-11-27T10:00:00+01:00');
    expect(await loadOf(f, '2026-11-27T10:00:00+01:00')).toBe(1);

    const none = await postForm(f.app, `/termin/${token}/verschieben/bestaetigen`, { office: 'test', taken: target });
    expect(none.status).toBe(422);
    contains(await none.text(), 'Bitte wählen Sie eine Zeit aus.');

    const moved = await postForm(f.app, `/termin/${token}/verschieben/bestaetigen`, {
      office: 'test',
      taken: target,
      start: '2026-11-27T11:10:00+01:00',
    });
    expect(moved.status).toBe(303);
    expect((await appointmentByToken(f, token)).start).toBe('2026-11-27T11:10:00+01:00');
  });

  it('an unknown or malformed link gets an HTML page that explains, with status 404', async () => {
    for (const path of [`/termin/${'A'.repeat(43)}`, '/termin/kaputt', `/termin/${'A'.repeat(43)}/absagen`]) {
      const res = await f.app.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      contains(await res.text(), 'Termin nicht gefunden');
    }
    const res = await postForm(f.app, `/termin/${'A'.repeat(43)}/absagen`, {});
    expect(res.status).toBe(404);
  });

  it('a booking with a phone number only is confirmed at once and says so in English', async () => {
    const res = await postForm(
      f.app,
      '/buchen/angaben',
      {
        services: 'short',
        office: 'test',
        start: '2026-11-30T08:00:00+01:00',
        name: 'Ali',
        email: '',
        phone: '+49 221 4710 300',
        terms: 'ja',
      },
      { 'accept-language': 'en', 'x-test-client': 'phone' },
    );
    const token = tokenFrom(res.headers.get('location'));
    const page = await html(f.app.request(`/termin/${token}/gebucht`, { headers: { 'accept-language': 'en' } }));
    contains(page, 'Your appointment is booked', 'You did not give an email address', 'Mon, 30 Nov 2026, 8:00 AM – 8:10 AM');
    const { appointment } = await json(f.app.request(`/api/v1/appointments/${token}`));
    expect(appointment).toMatchObject({ status: 'confirmed', language: 'en' });
  });
});
