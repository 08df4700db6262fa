import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.ts';
import { createFixture, json, loadOf, postJson, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #22, appointment handling: „Bestätigung erneut senden“ queues the confirmation again (a fresh
// manage link, shown in /staff/nachrichten, audited); cancelling by staff needs a reason from a
// short list (words for the citizen with „anderer Grund“) and, on the page, a confirmation step; the
// mail says the reason politely and the time becomes free.

type View = { id: string; reference: string; status: string };
const DE = { 'accept-language': 'de' };

describe(`cancelling with a reason and sending the confirmation again (${testDbKind})`, () => {
  let f: Fixture;
  let clerk: Record<string, string>;
  const book = async (start: string, citizen: Record<string, string>) => {
    const res = await postJson(
      f.app,
      '/api/v1/staff/offices/test/appointments',
      { start, services: [{ serviceId: 'short', persons: 1 }], citizen },
      clerk,
    );
    expect(res.status).toBe(201);
    return ((await json(res)) as { appointment: View }).appointment;
  };
  const mailsTo = (address: string) =>
    f.ctx.db.selectFrom('outbox').select(['subject', 'body_text', 'dedupe_key']).where('recipient', '=', address).orderBy('id').execute();
  const status = async (id: string) =>
    (await f.ctx.db.selectFrom('appointment').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    await addOfficeNord(f);
    clerk = bearer(await addToken(f, { role: 'clerk', officeIds: ['test'], name: 'clerk-test' }));
  });
  afterAll(async () => f.close());

  it('a branch node does not queue the confirmation (mail leaves from the central server only)', async () => {
    const anna = await book('2026-11-27T11:30:00+01:00', { name: 'Anna Filiale', email: 'filiale.anna@example.org' });
    const settings = { ...f.ctx.settings, branchNode: { centralUrl: 'http://zentrale.test' } };
    const atBranch = createHttpApp({ ctx: { ...f.ctx, settings }, dbKind: f.database.kind, rateLimitPerMinute: null, log: () => {} });
    const res = await postJson(atBranch, `/api/v1/staff/appointments/${anna.id}/resend-confirmation`, {}, { ...clerk, ...DE });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('set_centrally');
    expect(await mailsTo('filiale.anna@example.org')).toHaveLength(1);
  });

  it('the API sends the confirmation again with a fresh link, once a minute, audited; without an address it says so in German', async () => {
    const erika = await book('2026-11-26T09:00:00+01:00', { name: 'Erika Mustermann', email: 'erika@example.org' });
    const res = await postJson(f.app, `/api/v1/staff/appointments/${erika.id}/resend-confirmation`, {}, clerk);
    expect(res.status).toBe(200);
    expect((await json(res)).queued).toBe(true);
    const mails = await mailsTo('erika@example.org');
    expect(mails).toHaveLength(2);
    expect(mails[1]!.subject).toBe(mails[0]!.subject);
    const links = mails.map((m) => /termin\/([A-Za-z0-9_-]{43})/.exec(m.body_text)![1]!);
    expect((await f.app.request(`/api/v1/appointments/${links[1]}`)).status).toBe(200);
    expect((await f.app.request(`/api/v1/appointments/${links[0]}`)).status).toBe(404);
    expect(await auditRows(f, 'appointment.resend_confirmation')).toMatchObject([{ entity_id: erika.id, office_id: 'test' }]);

    const twice = await postJson(f.app, `/api/v1/staff/appointments/${erika.id}/resend-confirmation`, {}, clerk);
    expect((await json(twice)).queued).toBe(false);
    expect(await mailsTo('erika@example.org')).toHaveLength(2);

    const paul = await book('2026-11-26T10:00:00+01:00', { name: 'Paul Ohnemail', phone: '0201 555' });
    const none = await postJson(f.app, `/api/v1/staff/appointments/${paul.id}/resend-confirmation`, {}, { ...clerk, ...DE });
    expect(none.status).toBe(409);
    expect((await json(none)).error).toMatchObject({ code: 'no_email_address', message: expect.stringContaining('keine E-Mail-Adresse') });
  });

  it('the API cancels with a reason the mail says politely; „other“ needs words for the citizen, which the mail quotes', async () => {
    const dup = await book('2026-11-26T11:00:00+01:00', { name: 'Doppelt Gebucht', email: 'dup@example.org' });
    expect(await loadOf(f, '2026-11-26T10:00:00Z')).toBe(1);
    const res = await postJson(f.app, `/api/v1/staff/appointments/${dup.id}/cancel`, { reason: 'duplicate' }, clerk);
    expect(res.status).toBe(200);
    expect(await loadOf(f, '2026-11-26T10:00:00Z')).toBe(0);
    const [, cancelled] = await mailsTo('dup@example.org');
    expect(cancelled!.body_text).toContain('weil für Sie ein weiterer Termin für dasselbe Anliegen gebucht war');

    const other = await book('2026-11-26T11:10:00+01:00', { name: 'Anna Anders', email: 'anna@example.org' });
    const bare = await postJson(f.app, `/api/v1/staff/appointments/${other.id}/cancel`, { reason: 'other' }, clerk);
    expect(bare.status).toBe(422);
    expect(await status(other.id)).toBe('confirmed');
    const explained = await postJson(
      f.app,
      `/api/v1/staff/appointments/${other.id}/cancel`,
      { reason: 'other', explanation: 'Ihr Reisepass liegt schon zur Abholung bereit.' },
      clerk,
    );
    expect(explained.status).toBe(200);
    const [, mail] = await mailsTo('anna@example.org');
    contains(
      mail!.body_text,
      'leider müssen wir Ihren Termin',
      'Hinweis Ihres Bürgerbüros: Ihr Reisepass liegt schon zur Abholung bereit.',
    );
    expect((await auditRows(f, 'appointment.cancel')).at(-1)).toMatchObject({
      entity_id: other.id,
      details: { reason: 'other', explanation: 'Ihr Reisepass liegt schon zur Abholung bereit.' },
    });
  });

  it('a clerk of another office is refused both, in the API and on the pages, and nothing changes', async () => {
    const target = await book('2026-11-26T09:30:00+01:00', { name: 'Bleibt Gebucht', email: 'bleibt@example.org' });
    const nord = bearer(await addToken(f, { role: 'clerk', officeIds: ['nord'], name: 'clerk-nord' }));
    expect((await postJson(f.app, `/api/v1/staff/appointments/${target.id}/resend-confirmation`, {}, nord)).status).toBe(404);
    expect((await postJson(f.app, `/api/v1/staff/appointments/${target.id}/cancel`, { reason: 'office' }, nord)).status).toBe(404);
    await addStaff(f, { email: 'nord@stadt.example', role: 'clerk', officeIds: ['nord'] });
    const b = new StaffBrowser(f, 'nord');
    await b.post('/staff/login', { email: 'nord@stadt.example', password: STAFF_PASSWORD });
    await b.page('/staff/tagesplan');
    expect((await b.get(`/staff/termine/${target.id}/absagen`)).status).toBe(404);
    expect((await b.post(`/staff/termine/${target.id}/absagen`, { reason: 'office' })).status).toBe(404);
    expect((await b.post(`/staff/termine/${target.id}/stornieren`, { reason: 'office', bestaetigt: 'ja' })).status).toBe(404);
    expect((await b.post(`/staff/termine/${target.id}/bestaetigung-senden`, {})).status).toBe(404);
    expect(await status(target.id)).toBe('confirmed');
    expect(await mailsTo('bleibt@example.org')).toHaveLength(1);
  });

  it('the pages: resend shows in the messages; cancelling asks for a reason, then for confirmation, then frees the time', async () => {
    const kim = await book('2026-11-27T09:00:00+01:00', { name: 'Kim Beispiel', email: 'kim@example.org', phone: '0201 777' });
    await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'clerk');
    await b.post('/staff/login', { email: 'sb@stadt.example', password: STAFF_PASSWORD });
    const detail = await b.page(`/staff/termine/${kim.id}`);
    contains(detail.html, 'Bestätigung erneut senden', 'Grund der Absage', 'Doppelt gebucht');
    const resent = await b.post(`/staff/termine/${kim.id}/bestaetigung-senden`, {});
    expect(resent.headers.get('location')).toBe(`/staff/termine/${kim.id}?ok=gesendet`);
    contains(
      (await b.page(resent.headers.get('location')!)).html,
      'Die Bestätigung wird erneut per E-Mail gesendet',
      'Bestätigung erneut gesendet von Sachbearbeitung',
    );
    expect((await b.post(`/staff/termine/${kim.id}/bestaetigung-senden`, {})).headers.get('location')).toBe(
      `/staff/termine/${kim.id}?ok=schon-gesendet`,
    );
    await b.page('/staff/standort');
    await b.post('/staff/standort', { office: 'test' });
    const messages = await b.page('/staff/nachrichten');
    // The first confirmation and the one sent again (recipients are shown shortened there).
    expect(messages.html.split(`<td>Terminbestätigung ${kim.reference}:`).length - 1).toBe(2);

    const noReason = await b.post(`/staff/termine/${kim.id}/absagen`, { explanation: '' });
    expect(noReason.status).toBe(422);
    contains(await noReason.text(), 'Bitte wählen Sie einen Grund.');
    const noWords = await b.post(`/staff/termine/${kim.id}/absagen`, { reason: 'other', explanation: '' });
    expect(noWords.status).toBe(422);
    contains(await noWords.text(), 'Bitte erläutern Sie den Grund.');
    // Even a direct POST to the cancel address only asks first.
    const unasked = await b.post(`/staff/termine/${kim.id}/stornieren`, { reason: 'office' });
    expect(unasked.status).toBe(200);
    const confirm = await b.post(`/staff/termine/${kim.id}/absagen`, {
      reason: 'office',
      explanation: 'Der Standort ist an diesem Tag geschlossen.',
    });
    expect(confirm.status).toBe(200);
    contains(
      await confirm.text(),
      `Termin ${kim.reference} wirklich absagen?`,
      'Das Bürgerbüro kann den Termin nicht halten',
      'eine E-Mail an kim@example.org',
      'name="bestaetigt" value="ja"',
      'Nein, zurück zum Termin',
    );
    expect(await status(kim.id)).toBe('confirmed');
    const done = await b.post(`/staff/termine/${kim.id}/stornieren`, {
      reason: 'office',
      explanation: 'Der Standort ist an diesem Tag geschlossen.',
      bestaetigt: 'ja',
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/staff/termine/${kim.id}?ok=storniert`);
    expect(await status(kim.id)).toBe('cancelled');
    expect(await loadOf(f, '2026-11-27T08:00:00Z')).toBe(0);
    const last = (await mailsTo('kim@example.org')).at(-1)!;
    contains(last.body_text, 'leider müssen wir Ihren Termin', 'Hinweis Ihres Bürgerbüros: Der Standort ist an diesem Tag geschlossen.');
  });
});
