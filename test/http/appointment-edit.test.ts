import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import { createFixture, json, loadOf, postJson, type Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addOfficeNord, addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #22, appointment handling: a clerk corrects contact data, services and a staff note — on the staff
// page (POST, redirect, GET; no JavaScript) and in the staff API. Services change only while the
// longer appointment still fits; every change is audited with before and after.

type View = { id: string; reference: string; end: string; services: { serviceId: string; persons: number }[] };

const patch = (f: Fixture, id: string, body: unknown, headers: Record<string, string>) =>
  f.app.request(`/api/v1/staff/appointments/${id}`, {
    method: 'PATCH',
    headers: { ...headers, 'content-type': 'application/json', 'accept-language': 'de' },
    body: JSON.stringify(body),
  });

describe(`correcting an appointment (${testDbKind})`, () => {
  let f: Fixture;
  let clerk: Record<string, string>;
  let erika: View;
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

  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    await addOfficeNord(f);
    clerk = bearer(await addToken(f, { role: 'clerk', officeIds: ['test'], name: 'clerk-test' }));
    // Erika 09:00–09:10, then 10 free minutes, then someone else at 09:20.
    erika = await book('2026-11-26T09:00:00+01:00', { name: 'Erika Mustermann', phone: '0201 111', email: 'erika@example.org' });
    await book('2026-11-26T09:20:00+01:00', { name: 'Otto Später', phone: '0201 222' });
  });
  afterAll(async () => f.close());

  it('the API corrects the contact and sets a note; the audit keeps before and after; the citizen never sees the note', async () => {
    const res = await patch(
      f,
      erika.id,
      { citizen: { name: 'Erika Mustermann', phone: '0201 999', email: 'erika@example.org' }, staffNote: 'Bringt Dolmetscherin mit' },
      clerk,
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ staffNote: 'Bringt Dolmetscherin mit', changed: ['phone', 'staffNote'] });
    expect(body.appointment.citizen.phone).toBe('0201 999');
    expect(body.appointment).not.toHaveProperty('staffNote');
    const [entry] = await auditRows(f, 'appointment.edit');
    expect(entry).toMatchObject({
      entity_id: erika.id,
      office_id: 'test',
      details: { before: { phone: '0201 111', staffNote: null }, after: { phone: '0201 999', staffNote: 'Bringt Dolmetscherin mit' } },
    });
    const detail = await json(f.app.request(`/api/v1/staff/appointments/${erika.id}`, { headers: clerk }));
    expect(detail.staffNote).toBe('Bringt Dolmetscherin mit');
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['booked', 'edited']);
    // Nothing was mailed, and the mail the citizen has carries no note; neither does the branch's copy.
    const mails = await f.ctx.db.selectFrom('outbox').select(['body_text']).where('recipient', '=', 'erika@example.org').execute();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).not.toContain('Dolmetscherin');
    const token = /termin\/([A-Za-z0-9_-]{43})/.exec(mails[0]!.body_text)![1]!;
    expect(await (await f.app.request(`/api/v1/appointments/${token}`)).text()).not.toContain('Dolmetscherin');

    // The same values again change nothing and are not audited.
    const again = await patch(f, erika.id, { citizen: { name: 'Erika Mustermann', phone: '0201 999', email: 'erika@example.org' } }, clerk);
    expect((await json(again)).changed).toEqual([]);
    expect(await auditRows(f, 'appointment.edit')).toHaveLength(1);
    // Neither phone nor email: refused, nothing changed.
    const bare = await patch(f, erika.id, { citizen: { name: 'Erika Mustermann', phone: null, email: null } }, clerk);
    expect(bare.status).toBe(422);
    expect((await json(bare)).error.code).toBe('contact_required');
  });

  it('a longer service list takes the free minutes after the appointment; one that does not fit is refused in German and changes nothing', async () => {
    const longer = await patch(f, erika.id, { services: [{ serviceId: 'long', persons: 1 }] }, clerk);
    expect(longer.status).toBe(200);
    expect((await json(longer)).appointment).toMatchObject({
      end: '2026-11-26T09:20:00+01:00',
      services: [{ serviceId: 'long', persons: 1 }],
    });
    expect(await loadOf(f, '2026-11-26T08:15:00Z')).toBe(1);

    const tooLong = await patch(
      f,
      erika.id,
      {
        services: [
          { serviceId: 'short', persons: 1 },
          { serviceId: 'long', persons: 1 },
        ],
      },
      clerk,
    );
    expect(tooLong.status).toBe(409);
    const error = (await json(tooLong)).error;
    expect(error.code).toBe('services_do_not_fit');
    expect(error.message).toContain('Der Termin bleibt, wie er war.');
    const detail = await json(f.app.request(`/api/v1/staff/appointments/${erika.id}`, { headers: clerk }));
    expect(detail.appointment).toMatchObject({ end: '2026-11-26T09:20:00+01:00', services: [{ serviceId: 'long', persons: 1 }] });
    expect(await loadOf(f, '2026-11-26T08:15:00Z')).toBe(1);
    expect(await loadOf(f, '2026-11-26T08:20:00Z')).toBe(1);

    // Back to the short service: the last ten minutes are free again.
    const shorter = await patch(f, erika.id, { services: [{ serviceId: 'short', persons: 1 }] }, clerk);
    expect((await json(shorter)).appointment.end).toBe('2026-11-26T09:10:00+01:00');
    expect(await loadOf(f, '2026-11-26T08:10:00Z')).toBe(0);
    expect(await loadOf(f, '2026-11-26T08:00:00Z')).toBe(1);
    const services = (await auditRows(f, 'appointment.edit')).at(-1)!.details as { before: unknown; after: unknown };
    expect(services).toMatchObject({ before: { services: '1 × Lang' }, after: { services: '1 × Kurz' } });
  });

  it('a clerk of another office is refused: 404 in the API and on the pages, nothing changes', async () => {
    const nord = bearer(await addToken(f, { role: 'clerk', officeIds: ['nord'], name: 'clerk-nord' }));
    const res = await patch(f, erika.id, { staffNote: 'fremd' }, nord);
    expect(res.status).toBe(404);
    await addStaff(f, { email: 'nord@stadt.example', role: 'clerk', officeIds: ['nord'] });
    const b = new StaffBrowser(f, 'nord');
    await b.post('/staff/login', { email: 'nord@stadt.example', password: STAFF_PASSWORD });
    await b.page('/staff/tagesplan');
    expect((await b.get(`/staff/termine/${erika.id}/bearbeiten`)).status).toBe(404);
    expect((await b.post(`/staff/termine/${erika.id}/bearbeiten`, { name: 'X', phone: '0201 1', note: 'fremd' })).status).toBe(404);
    const detail = await json(f.app.request(`/api/v1/staff/appointments/${erika.id}`, { headers: clerk }));
    expect(detail.staffNote).toBe('Bringt Dolmetscherin mit');
  });

  it('the page: a form without JavaScript, problems shown at their fields, then back to the appointment with the note; the log shows before → after', async () => {
    await addStaff(f, { email: 'sb@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'clerk');
    await b.post('/staff/login', { email: 'sb@stadt.example', password: STAFF_PASSWORD });
    const detail = await b.page(`/staff/termine/${erika.id}`);
    contains(
      detail.html,
      'Notiz (nur intern)',
      'Bringt Dolmetscherin mit',
      'Kurz (1 Person)',
      `href="/staff/termine/${erika.id}/bearbeiten"`,
    );
    const form = await b.page(`/staff/termine/${erika.id}/bearbeiten`);
    contains(form.html, 'value="0201 999"', 'Bringt Dolmetscherin mit</textarea>', 'for="persons-long"', 'Kurz: Personen');
    const fields = {
      name: 'Erika Musterfrau',
      phone: '0201 999',
      email: 'erika@example.org',
      note: 'Kommt mit Kinderwagen',
      'persons-short': '1',
      'persons-long': '0',
      'persons-counter-only': '0',
    };

    const bad = await b.post(`/staff/termine/${erika.id}/bearbeiten`, { ...fields, phone: 'abc' });
    expect(bad.status).toBe(422);
    contains(await bad.text(), 'Bitte eine Telefonnummer aus Ziffern eingeben', 'value="Erika Musterfrau"');
    const tooLong = await b.post(`/staff/termine/${erika.id}/bearbeiten`, { ...fields, 'persons-long': '1' });
    expect(tooLong.status).toBe(409);
    contains(await tooLong.text(), 'Für diese Dienstleistungen reicht die Zeit des Termins nicht');

    const saved = await b.post(`/staff/termine/${erika.id}/bearbeiten`, fields);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/staff/termine/${erika.id}?ok=geaendert`);
    const after = await b.page(saved.headers.get('location')!);
    contains(
      after.html,
      'Die Änderungen sind gespeichert.',
      'Erika Musterfrau',
      'Kommt mit Kinderwagen',
      'geändert (Kontaktdaten, Dienstleistungen oder Notiz) von Sachbearbeitung',
    );

    const { totpSecret } = await addStaff(f, { email: 'leitung@stadt.example', role: 'teamlead', officeIds: ['test'] });
    const lead = new StaffBrowser(f, 'lead');
    await lead.post('/staff/login', { email: 'leitung@stadt.example', password: STAFF_PASSWORD });
    await lead.page('/staff/code');
    await lead.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    const log = await lead.page('/staff/verwaltung/protokoll?aktion=appointment.edit');
    contains(
      log.html,
      'Termin geändert (Kontaktdaten, Dienstleistungen, Notiz)',
      'Name: Erika Mustermann → Erika Musterfrau',
      'Notiz für Mitarbeitende: Bringt Dolmetscherin mit → Kommt mit Kinderwagen',
    );
  });
});
