import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, json, postJson, WEDNESDAY_0800, type Fixture } from '../helpers/fixture.ts';
import { addOfficeNord, addStaff, addToken, auditRows, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #22, appointment handling: one search field finds an appointment by name, Buchungsnummer, phone
// or email, case-insensitive, in the clerk's offices only; upcoming first, at most 50, German dates.

type Hit = { id: string; reference: string; start: string; citizen: { name: string } };

describe(`searching appointments by name, Buchungsnummer, phone or email (${testDbKind})`, () => {
  let f: Fixture;
  let clerk: Record<string, string>;
  const refs: Record<string, string> = {};
  const book = async (office: string, start: string, citizen: Record<string, string>) => {
    const admin = bearer(await addToken(f, { role: 'admin', officeIds: [], name: `booker-${start}-${office}` }));
    const res = await postJson(
      f.app,
      `/api/v1/staff/offices/${office}/appointments`,
      { start, services: [{ serviceId: 'short', persons: 1 }], citizen },
      admin,
    );
    expect(res.status).toBe(201);
    return ((await json(res)) as { appointment: Hit }).appointment;
  };
  const search = async (query: string, headers = clerk) => {
    const res = await f.app.request(`/api/v1/staff/appointments?query=${encodeURIComponent(query)}`, { headers });
    expect(res.status).toBe(200);
    return ((await json(res)) as { appointments: Hit[] }).appointments;
  };

  beforeAll(async () => {
    f = await createFixture({ counters: 1 });
    await addOfficeNord(f);
    clerk = bearer(await addToken(f, { role: 'clerk', officeIds: ['test'], name: 'clerk-test' }));
    // Wednesday 09:00 will be past once the clock moves to 10:00; the others are to come.
    refs.wed = (await book('test', '2026-11-25T09:00:00+01:00', { name: 'Paula Mustermann', phone: '0201 111' })).reference;
    refs.mon = (await book('test', '2026-11-30T09:00:00+01:00', { name: 'Max Mustermann', email: 'max@example.org' })).reference;
    refs.thu = (
      await book('test', '2026-11-26T11:00:00+01:00', { name: 'Erika Mustermann', phone: '0201 123456', email: 'Erika.M@Example.org' })
    ).reference;
    refs.fri = (await book('test', '2026-11-27T09:00:00+01:00', { name: 'Jörg Mustermann', phone: '0171 2345678' })).reference;
    refs.nord = (await book('nord', '2026-11-26T09:00:00+01:00', { name: 'Nora Mustermann', phone: '0201 123456' })).reference;
    f.clock.set(WEDNESDAY_0800 + 2 * 60 * 60_000);
  });
  afterAll(async () => f.close());

  it('finds by part of the name in any case: upcoming first, soonest first, then the past', async () => {
    const hits = await search('MUSTERMANN');
    expect(hits.map((h) => h.reference)).toEqual([refs.thu, refs.fri, refs.mon, refs.wed]);
    expect((await auditRows(f, 'appointment.search')).at(-1)!.details).toMatchObject({ query: 'MUSTERMANN' });
  });

  it('finds by Buchungsnummer however it is typed', async () => {
    const typed = refs.fri!.toLowerCase().replace('-', ' ');
    expect((await search(typed)).map((h) => h.reference)).toEqual([refs.fri]);
  });

  it('finds by phone number in another spelling, and by part of the email address in any case', async () => {
    expect((await search('+49 171 234 56 78')).map((h) => h.reference)).toEqual([refs.fri]);
    expect((await search('0201/123456')).map((h) => h.reference)).toEqual([refs.thu]);
    expect((await search('erika.m@EXAMPLE')).map((h) => h.reference)).toEqual([refs.thu]);
    expect((await search('max@example.org')).map((h) => h.reference)).toEqual([refs.mon]);
  });

  it('never shows another office’s appointments to a clerk, however the search is put', async () => {
    for (const query of ['Nora', '0201 123456', refs.nord!])
      expect((await search(query)).map((h) => h.citizen.name)).not.toContain('Nora Mustermann');
    const nordClerk = bearer(await addToken(f, { role: 'clerk', officeIds: ['nord'], name: 'clerk-nord' }));
    expect((await search('Mustermann', nordClerk)).map((h) => h.reference)).toEqual([refs.nord]);
  });

  it('answers at most 50 appointments', async () => {
    const rows = Array.from({ length: 55 }, (_, i) => ({
      reference: `V${String(i).padStart(2, '0')}-AAA`,
      municipality_id: 'test',
      office_id: 'test',
      starts_at: new Date(Date.parse('2026-12-01T08:00:00Z') + i * 5 * 60_000),
      ends_at: new Date(Date.parse('2026-12-01T08:05:00Z') + i * 5 * 60_000),
      status: 'confirmed' as const,
      source: 'phone' as const,
      language: 'de' as const,
      citizen_name: `Vielfach ${i}`,
      manage_token_hash: `many-${i}`,
    }));
    await f.ctx.db.insertInto('appointment').values(rows).execute();
    expect(await search('vielfach')).toHaveLength(50);
  });

  it('the search page: one field, German dates in the office’s time, office names, no ids; a clerk of Nord sees none of these', async () => {
    await addStaff(f, { email: 'suche@stadt.example', role: 'clerk', officeIds: ['test'] });
    const b = new StaffBrowser(f, 'search-1');
    await b.post('/staff/login', { email: 'suche@stadt.example', password: STAFF_PASSWORD });
    const empty = await b.page('/staff/suche');
    expect(empty.html).toContain('Name, Buchungsnummer, Telefonnummer oder E-Mail-Adresse');
    const found = await b.page('/staff/suche?q=erika.m%40example');
    expect(found.status).toBe(200);
    expect(found.html).toContain('1 Termin gefunden, kommende zuerst.');
    expect(found.html).toContain('Do., 26.11.2026, 11:00 Uhr');
    expect(found.html).toContain('<td>Testamt</td>');
    expect(found.html).toContain(`>${refs.thu}</a>`);
    expect(found.html).not.toMatch(/2026-11-26|<td>test<\/td>/);
    const many = await b.page('/staff/suche?q=Vielfach');
    expect(many.html).toContain('Es werden nur die ersten 50 Treffer gezeigt.');
    const short = await b.page('/staff/suche?q=x');
    expect(short.status).toBe(422);

    await addStaff(f, { email: 'suche-nord@stadt.example', role: 'clerk', officeIds: ['nord'] });
    const nord = new StaffBrowser(f, 'search-2');
    await nord.post('/staff/login', { email: 'suche-nord@stadt.example', password: STAFF_PASSWORD });
    const other = await nord.page('/staff/suche?q=erika');
    expect(other.html).toContain('Keine Termine gefunden.');
    expect(other.html).not.toContain('Erika');
  });
});
