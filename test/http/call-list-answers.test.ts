import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireOffers } from '../../src/app/closures/replacement-offers.ts';
import { closeDayWithCallList } from '../helpers/closure-call-list.ts';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #22 defect 2: without an SMS gateway, everyone without email answers a held replacement on the
// phone. „Erreicht“ alone left the hold waiting for a click that never came, and it lapsed. The
// call list now records the answer, and the appointment page can accept a held replacement.

type Entry = {
  id: string;
  name: string;
  phone: string;
  state: string;
  lastOutcome: string | null;
  held: { reference: string; offerState: string };
};

describe(`answers to a held replacement on the call list (${testDbKind})`, () => {
  let f: Fixture;
  let clerk: string;
  let browser: StaffBrowser;

  beforeAll(async () => {
    f = await createFixture({ counters: 2, settings: { confirmation: 'none' } });
    clerk = await addToken(f, { role: 'clerk', officeIds: ['test'] });
    const names = ['Anna Ja', 'Bernd Nein', 'Clara Später', 'Dieter Schalter'];
    await closeDayWithCallList(
      f,
      names.map((name, i) => ({ name, phone: `0221 4710 10${i}` })),
    );
    await addStaff(f, { email: 'anruf@stadt.example', role: 'clerk', officeIds: ['test'] });
    browser = new StaffBrowser(f, 'browser-answers');
    await browser.post('/staff/login', { email: 'anruf@stadt.example', password: STAFF_PASSWORD });
  });
  afterAll(async () => f?.close());

  const entries = async (): Promise<Entry[]> =>
    (await json(f.app.request('/api/v1/offices/test/call-list?all=true', { headers: bearer(clerk) }))).entries;
  const entryOf = async (name: string) => (await entries()).find((e) => e.name === name)!;
  const heldOf = async (reference: string) =>
    f.database.db.selectFrom('appointment').select(['id', 'status']).where('reference', '=', reference).executeTakeFirstOrThrow();

  it('the page offers the three answers while a replacement waits, with German dates and the office by name', async () => {
    const page = await browser.page('/staff/anrufliste');
    expect(page.html).toContain('Erreicht – nimmt den Ersatztermin an');
    expect(page.html).toContain('Erreicht – möchte eine andere Zeit');
    expect(page.html).toContain('Erreicht – braucht keinen Termin mehr');
    expect(page.html).toMatch(/Do\., 26\.11\.2026, 08:00/);
    expect(page.html).toContain('(Testamt)');
    expect(page.html).not.toMatch(/2026-11-2\dT?\s?\d\d:\d\d/);
  });

  it('accepted: the held replacement is confirmed at once', async () => {
    const entry = await entryOf('Anna Ja');
    const res = await json(postJson(f.app, `/api/v1/call-list/${entry.id}`, { outcome: 'accepted' }, bearer(clerk)));
    const held = await heldOf(entry.held.reference);
    expect(res).toEqual({ state: 'reached', appointmentId: held.id });
    expect(held.status).toBe('confirmed');
    expect(await entryOf('Anna Ja')).toMatchObject({ state: 'reached', lastOutcome: 'accepted', held: { offerState: 'accepted' } });
    expect(await auditRows(f, 'call_list.outcome')).not.toHaveLength(0);
  });

  it('declined: the hold is released and the person leaves the list', async () => {
    const entry = await entryOf('Bernd Nein');
    const res = await browser.post(`/staff/anrufliste/${entry.id}`, { outcome: 'declined' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/staff/anrufliste?ok=declined');
    expect((await heldOf(entry.held.reference)).status).toBe('cancelled');
    expect(await entryOf('Bernd Nein')).toMatchObject({ state: 'reached', lastOutcome: 'declined', held: { offerState: 'declined' } });
    expect((await browser.page('/staff/anrufliste?ok=declined')).html).toContain('Der Ersatztermin wurde freigegeben.');
  });

  it('other time: the hold is released and the clerk lands in phone booking with the person filled in', async () => {
    const entry = await entryOf('Clara Später');
    const res = await browser.post(`/staff/anrufliste/${entry.id}`, { outcome: 'other_time' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/telefon?anruf=${entry.id}`);
    expect((await heldOf(entry.held.reference)).status).toBe('cancelled');
    const phone = await browser.page(`/staff/telefon?anruf=${entry.id}`);
    expect(phone.status).toBe(200);
    expect(phone.html).toContain('value="Clara Später"');
    expect(phone.html).toContain('value="0221 4710 102"');
    expect(phone.html).toMatch(/<option[^>]*value="short"[^>]*selected/);
  });

  it('the appointment page accepts a held replacement for the person; the call list records it', async () => {
    const entry = await entryOf('Dieter Schalter');
    const held = await heldOf(entry.held.reference);
    const page = await browser.page(`/staff/termine/${held.id}`);
    expect(page.html).toContain('Ersatztermin wartet auf Antwort');
    const res = await browser.post(`/staff/termine/${held.id}/ersatz-annehmen`, {});
    expect(res.status).toBe(303);
    expect((await heldOf(entry.held.reference)).status).toBe('confirmed');
    expect((await browser.page(`/staff/termine/${held.id}?ok=angenommen`)).html).toContain('Der Ersatztermin ist bestätigt.');
    expect(await entryOf('Dieter Schalter')).toMatchObject({ state: 'reached', lastOutcome: 'accepted' });
    expect(await auditRows(f, 'replacement.accept_for_citizen')).toHaveLength(1);
  });

  it('an answer to a replacement that is no longer waiting is refused, and nothing changes', async () => {
    const entry = await entryOf('Bernd Nein');
    const res = await postJson(f.app, `/api/v1/call-list/${entry.id}`, { outcome: 'accepted' }, bearer(clerk));
    expect(res.status).toBe(409);
    expect((await heldOf(entry.held.reference)).status).toBe('cancelled');
  });

  it('when the offers run out, the replacements accepted by phone stay confirmed', async () => {
    f.clock.advance(7 * 24 * 3_600_000);
    await expireOffers(f.ctx);
    expect((await heldOf((await entryOf('Anna Ja')).held.reference)).status).toBe('confirmed');
    expect((await heldOf((await entryOf('Dieter Schalter')).held.reference)).status).toBe('confirmed');
  });
});
