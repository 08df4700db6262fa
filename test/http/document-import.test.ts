import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, json, postJson, type Fixture } from '../helpers/fixture.ts';
import { addStaff, addToken, bearer, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #15, item 10: a cell 'a@x, victim@y' or a quoted value with a line break in the producer's CSV
// reached several recipients with the ready notice. Every door that stores a citizen's address now
// uses the API's one definition of an email address and a phone number.

const HEADER = 'Vorgangsnummer;Dokument;Name;E-Mail;Telefon;Status';
const BAD_CELLS = [
  ['an address list', 'anna@example.org, victim@example.net'],
  ['a quoted line break with a header after it', '"anna@example.org\r\nBcc: victim@example.net"'],
  ['a quoted bare line feed', '"anna@example.org\nvictim@example.net"'],
  ['a display name', 'Anna <victim@example.net>'],
] as const;

const victimMail = (f: Fixture) => f.ctx.db.selectFrom('outbox').select(['recipient']).where('recipient', 'like', '%victim%').execute();

describe(`contacts in the document import and the other doors (${testDbKind})`, () => {
  let f: Fixture;
  let clerk: Record<string, string>;
  beforeAll(async () => {
    f = await createFixture();
    clerk = bearer(await addToken(f, { role: 'clerk', officeIds: ['test'] }));
  });
  afterAll(async () => f?.close());

  const importCsv = (csv: string) =>
    f.app.request('/api/v1/staff/offices/test/documents/import', {
      method: 'POST',
      headers: { ...clerk, 'content-type': 'text/csv' },
      body: csv,
    });

  it.each(BAD_CELLS)('a CSV cell with %s refuses the file and names row and field; no message is queued', async (_what, cell) => {
    const csv = `${HEADER}\r\nPA-2026-0101;Personalausweis;Ben Ott;ben@example.org;;abholbereit\r\nPA-2026-0102;Personalausweis;Anna Alt;${cell};;abholbereit\r\n`;
    const res = await importCsv(csv);
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.fields).toEqual([expect.objectContaining({ path: 'row 3.email', row: 3, field: 'email' })]);
    expect(await f.ctx.db.selectFrom('document_order').select('order_number').execute()).toEqual([]);
    expect(await victimMail(f)).toEqual([]);
  });

  it('rows are numbered as the spreadsheet shows them, blank lines and the header included', async () => {
    const csv = `${HEADER}\nPA-2026-0201;Reisepass;Ben Ott;;0170 1234567;\n\nPA-2026-0202;Reisepass;Anna Alt;;call me maybe;\n`;
    const body = await json(importCsv(csv));
    expect(body.error.details.fields).toEqual([expect.objectContaining({ path: 'row 4.phone', row: 4, field: 'phone' })]);
  });

  it('a file without bad cells is still imported, and each address gets its own mail', async () => {
    const csv = `${HEADER}\nPA-2026-0301;Personalausweis;Ben Ott; ben@example.org ;;abholbereit\n`;
    expect(await json(importCsv(csv))).toEqual({ created: 1, ready: 0, unchanged: 0 });
    const mail = await f.ctx.db.selectFrom('outbox').select('recipient').where('dedupe_key', 'like', 'document-ready:%').execute();
    expect(mail).toEqual([{ recipient: 'ben@example.org' }]);
  });

  it('the API refuses the same address list for one document and for a booking, naming the field', async () => {
    const document = await postJson(
      f.app,
      '/api/v1/staff/offices/test/documents',
      {
        orderNumber: 'PA-2026-0401',
        kind: 'id_card',
        holderName: 'Anna Alt',
        email: 'anna@example.org, victim@example.net',
        state: 'ready',
      },
      clerk,
    );
    expect(document.status).toBe(422);
    expect((await json(document)).error.details.fields).toEqual([expect.objectContaining({ path: 'email' })]);
    const booking = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start: '2026-11-27T09:00:00+01:00',
      services: [{ serviceId: 'short' }],
      citizen: { name: 'Anna', email: 'anna@example.org,victim@example.net' },
    });
    expect((await json(booking)).error.details.fields).toEqual([expect.objectContaining({ path: 'citizen.email' })]);
    expect(await victimMail(f)).toEqual([]);
  });

  describe('the staff pages', () => {
    let b: StaffBrowser;
    beforeAll(async () => {
      await addStaff(f, { email: 'sachbearbeitung@stadt.example', role: 'clerk', officeIds: ['test'] });
      b = new StaffBrowser(f, 'clerk');
      await b.post('/staff/login', { email: 'sachbearbeitung@stadt.example', password: STAFF_PASSWORD });
      await b.page('/staff/standort');
      await b.post('/staff/standort', { office: 'test' });
    });

    it('reading the list tells the clerk which row to correct', async () => {
      await b.page('/staff/abholung');
      const csv = `${HEADER}\nPA-2026-0501;Personalausweis;Anna Alt;anna@example.org, victim@example.net;;abholbereit\n`;
      const res = await b.post('/staff/abholung/einlesen', { csv });
      expect(res.status).toBe(422);
      const page = await res.text();
      expect(page).toContain('Die Liste wurde nicht eingelesen');
      expect(page).toContain('Zeile 2: keine gültige E-Mail-Adresse');
    });

    it('registering one document at the counter refuses the address list', async () => {
      await b.page('/staff/abholung');
      const res = await b.post('/staff/abholung/erfassen', {
        orderNumber: 'PA-2026-0601',
        kind: 'id_card',
        holderName: 'Anna Alt',
        email: 'anna@example.org, victim@example.net',
        ready: 'on',
      });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('keine gültige E-Mail-Adresse');
      expect(await f.ctx.db.selectFrom('document_order').select('id').where('order_number', '=', 'PA-2026-0601').execute()).toEqual([]);
    });

    it('a phone booking refuses the address list and a phone number that is none', async () => {
      await b.page('/staff/telefon?service=short');
      const res = await b.post('/staff/telefon', {
        service: 'short',
        persons: '1',
        name: 'Anna Alt',
        email: 'anna@example.org, victim@example.net',
        phone: 'call me',
        start: '2026-11-27T10:00:00+01:00',
      });
      expect(res.status).toBe(422);
      const page = await res.text();
      expect(page).toContain('Bitte genau eine E-Mail-Adresse eintragen');
      expect(page).toContain('Bitte eine Telefonnummer nur aus Ziffern');
      expect(await f.ctx.db.selectFrom('appointment').select('id').where('citizen_email', 'like', '%victim%').execute()).toEqual([]);
      expect(await victimMail(f)).toEqual([]);
    });
  });
});
