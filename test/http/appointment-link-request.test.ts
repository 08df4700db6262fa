import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparablePhone } from '../../src/domain/contact.ts';
import { readContact } from '../../src/http/pages/appointment-link-request-page.tsx';
import { createFixture, type Fixture } from '../helpers/fixture.ts';
import { bookingForm, contains, html, postForm, tokenFrom } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #22 defect 1: booking again for a service the person already has an appointment for gave a 500
// page. #24 item 2: a lost confirmation mail can be sent again, and the answer never tells whether
// an address has appointments.

const form = bookingForm;

const manageLinks = async (f: Fixture, recipient: string) =>
  (
    await f.database.db.selectFrom('outbox').select(['body_text', 'dedupe_key']).where('recipient', '=', recipient).orderBy('id').execute()
  ).map((row) => /\/termin\/([A-Za-z0-9_-]{43})(?![A-Za-z0-9_/-])/.exec(row.body_text)?.[1] ?? null);

describe(`a lost or repeated booking link on ${testDbKind}`, () => {
  let f: Fixture;
  let firstToken: string;
  beforeAll(async () => {
    f = await createFixture({ counters: 1, settings: { openAppointmentsPerContact: 1 } });
    const res = await postForm(f.app, '/buchen/angaben', form('2026-11-26T09:00:00+01:00'), { 'x-test-client': 'a' });
    expect(res.status).toBe(303);
    firstToken = tokenFrom(res.headers.get('location'));
  });
  afterAll(async () => f.close());

  it('a second booking for the same service is a page that explains and offers the confirmation again, never a 5xx', async () => {
    const res = await postForm(f.app, '/buchen/angaben', form('2026-11-26T10:00:00+01:00', { email: 'Erika@Example.org' }), {
      'x-test-client': 'b',
    });
    expect(res.status).toBe(409);
    const page = await res.text();
    contains(page, 'Sie haben schon einen Termin für dieses Anliegen', 'Terminbestätigung erneut senden');
    expect(page).toContain('action="/termin-link"');
    expect(page).toContain('name="kontakt" value="Erika@Example.org"');
    // Whoever typed the address learns nothing about the appointment itself.
    const reference = (await f.database.db.selectFrom('appointment').select('reference').executeTakeFirstOrThrow()).reference;
    expect(page).not.toContain(reference);
    expect(page).not.toContain('26.11.2026');
  });

  it('asking for the link sends the confirmation with a new working link; the old one stops; asking again within the hour sends nothing more', async () => {
    const before = await manageLinks(f, 'erika@example.org');
    const res = await postForm(f.app, '/termin-link', { kontakt: ' ERIKA@example.org ' }, { 'x-test-client': 'c' });
    expect(res.status).toBe(200);
    const answer = await res.text();
    contains(answer, 'Wenn unter dieser Adresse oder Nummer ein Termin gebucht ist');
    const after = await manageLinks(f, 'erika@example.org');
    expect(after).toHaveLength(before.length + 1);
    const newToken = after.at(-1)!;
    expect(newToken).not.toBe(firstToken);
    expect((await f.app.request(`/termin/${newToken}`)).status).toBe(200);
    expect((await f.app.request(`/termin/${firstToken}`)).status).toBe(404);
    // The reservation still waits for its code: the resent mail carries a fresh one that confirms it.
    const mail = (
      await f.database.db
        .selectFrom('outbox')
        .select('body_text')
        .where('recipient', '=', 'erika@example.org')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).body_text;
    expect(mail).toMatch(/code=\d{6}/);

    const again = await postForm(f.app, '/termin-link', { kontakt: 'erika@example.org' }, { 'x-test-client': 'c' });
    expect(await again.text()).toBe(answer);
    expect(await manageLinks(f, 'erika@example.org')).toHaveLength(after.length);
    expect((await f.app.request(`/termin/${newToken}`)).status).toBe(200);
  });

  it('an address without appointments gets the very same answer and no mail', async () => {
    const known = await html(postForm(f.app, '/termin-link', { kontakt: 'erika@example.org' }, { 'x-test-client': 'd' }));
    const unknown = await html(postForm(f.app, '/termin-link', { kontakt: 'niemand@example.org' }, { 'x-test-client': 'd' }));
    expect(unknown).toBe(known);
    expect(await manageLinks(f, 'niemand@example.org')).toHaveLength(0);
  });

  it('a phone-only booking is found by its number in any spelling; without an SMS gateway its link stays valid', async () => {
    const res = await postForm(
      f.app,
      '/buchen/angaben',
      form('2026-11-26T11:00:00+01:00', { email: '', phone: '0171 2345678', name: 'Udo Telefon' }),
      {
        'x-test-client': 'e',
      },
    );
    expect(res.status).toBe(303);
    const token = tokenFrom(res.headers.get('location'));
    const answer = await html(postForm(f.app, '/termin-link', { kontakt: '+49 (171) 234-5678' }, { 'x-test-client': 'e' }));
    contains(answer, 'Eine SMS können wir nur schicken');
    expect((await f.app.request(`/termin/${token}`)).status).toBe(200);
    expect(comparablePhone('+49 (171) 234-5678')).toBe(comparablePhone('0171/2345678'));
  });

  it('input that is neither an address nor a number keeps the form with a message; a client is limited per hour', async () => {
    const res = await postForm(f.app, '/termin-link', { kontakt: 'erika(at)example' }, { 'x-test-client': 'f' });
    expect(res.status).toBe(422);
    contains(await res.text(), 'Bitte geben Sie eine E-Mail-Adresse (mit @) oder eine Telefonnummer ein.', 'value="erika(at)example"');
    expect(readContact('0171 2345678')).toEqual({ email: null, phone: '0171 2345678' });
    let status = 0;
    for (let i = 0; i < 11; i++)
      status = (await postForm(f.app, '/termin-link', { kontakt: `x${i}@example.org` }, { 'x-test-client': 'g' })).status;
    expect(status).toBe(429);
  });

  it('the form, the start page and the page for an unknown link lead to it, in English too', async () => {
    contains(
      await html(f.app.request('/termin-link?lang=en')),
      'Send the link to your appointment again',
      'Email address or mobile number',
    );
    contains(await html(f.app.request('/')), 'href="/termin-link"');
    const unknown = await f.app.request(`/termin/${'x'.repeat(43)}`);
    expect(unknown.status).toBe(404);
    contains(await unknown.text(), 'href="/termin-link"', 'Neuen Link anfordern');
  });
});
