import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../src/app/booking/book-appointment.ts';
import { materializeCapacity } from '../../src/app/booking/materialize-capacity.ts';
import { BUILT_IN_TEMPLATES } from '../../src/app/messaging/message-templates.ts';
import { invalidateCatalogue } from '../../src/app/shared/catalogue.ts';
import { totpCodeAt } from '../../src/app/staff/staff-secrets.ts';
import type { Fixture } from '../helpers/fixture.ts';
import { contains } from '../helpers/pages.ts';
import { addStaff, STAFF_PASSWORD } from '../helpers/staff.ts';
import { StaffBrowser } from '../helpers/staff-browser.ts';
import { createThreeTownFixture, TOWN_A, TOWN_B } from '../helpers/staff-towns.ts';
import { testDbKind } from '../helpers/test-db.ts';

// #20, decision 0012/0014: message texts per town. A town's own text wins over the installation's,
// which wins over the built-in one; the texts page edits the staff member's town (a Kreis admin
// chooses); town A's admin can neither read nor change town B's texts; each town's mails say its text.

const PAGE = '/staff/verwaltung/texte/buchung-bestaetigen';
const THU_0900 = Date.parse('2026-11-26T09:00:00+01:00');
const CASTROP = 'Castrop freut sich auf Sie! Bitte bestätigen Sie bis {deadline}:\n{confirm}\n\nIhr Code: {code}';
const DATTELN = 'Datteln hat reserviert. Bestätigen Sie bitte bis {deadline}:\n{confirm}\n\nCode: {code}';
const KREIS = 'Der Kreis hat für Sie reserviert. Bitte bis {deadline} bestätigen:\n{confirm}\n\nCode: {code}';

describe(`message texts per town (${testDbKind})`, () => {
  let f: Fixture;
  let castrop: StaffBrowser;
  let datteln: StaffBrowser;
  let kreis: StaffBrowser;
  const fields = (intro: string) => ({
    'intro-de': intro,
    'intro-en': BUILT_IN_TEMPLATES.booking_confirmation.en.intro,
    aktion: 'speichern',
  });
  const stored = () =>
    f.ctx.db.selectFrom('message_template').select(['municipality_id', 'language', 'intro']).orderBy('municipality_id').execute();

  const login = async (email: string, municipalityId: string | null) => {
    const { totpSecret } = await addStaff(f, { email, role: 'admin', officeIds: [], municipalityId });
    const b = new StaffBrowser(f, email);
    await b.post('/staff/login', { email, password: STAFF_PASSWORD });
    await b.page('/staff/code');
    await b.post('/staff/code', { code: totpCodeAt(totpSecret!, f.clock.now()) });
    return b;
  };

  beforeAll(async () => {
    f = await createThreeTownFixture();
    invalidateCatalogue(f.ctx.db);
    await materializeCapacity(f.ctx);
    castrop = await login('it@castrop.example', TOWN_A);
    datteln = await login('it@datteln.example', TOWN_B);
    kreis = await login('it@kreis.example', null);
  }, 120_000);
  afterAll(async () => f?.close());

  it('a town admin saves the own town’s text; another town named in the address is not found, nothing is stored', async () => {
    await castrop.page(PAGE);
    const saved = await castrop.post(PAGE, fields(CASTROP));
    expect(saved.status).toBe(303);
    contains((await castrop.page(saved.headers.get('location')!)).html, 'Der Text ist gespeichert.', 'Castrop freut sich auf Sie!');
    expect(await stored()).toEqual([{ municipality_id: 'castrop', language: 'de', intro: CASTROP }]);

    expect((await castrop.get(`${PAGE}?stadt=${TOWN_B}`)).status).toBe(404);
    expect((await castrop.get(`/staff/verwaltung/texte?stadt=${TOWN_B}`)).status).toBe(404);
    expect((await castrop.post(`${PAGE}?stadt=${TOWN_B}`, fields('{confirm} {code} aus Castrop'))).status).toBe(404);
    // Datteln's admin sees the text Datteln sends: the built-in one, not Castrop's.
    const own = await datteln.page(PAGE);
    expect(own.status).toBe(200);
    expect(own.html).not.toContain('Castrop freut sich');
    expect(await stored()).toEqual([{ municipality_id: 'castrop', language: 'de', intro: CASTROP }]);
    // Nor through the log: the entry (with before and after) is Castrop's to read, not Datteln's.
    const entry = 'Text an Bürgerinnen und Bürger „Buchung bestätigen';
    expect((await castrop.page('/staff/verwaltung/protokoll')).html).toContain(entry);
    expect((await datteln.page('/staff/verwaltung/protokoll')).html).not.toContain(entry);
  });

  it('a Kreis admin chooses the town first, then edits that town’s texts', async () => {
    const chooser = await kreis.page('/staff/verwaltung/texte');
    contains(chooser.html, 'Bitte wählen Sie die Stadt', `href="/staff/verwaltung/texte?stadt=${TOWN_B}"`, 'Stadt Datteln');
    const list = await kreis.page(`/staff/verwaltung/texte?stadt=${TOWN_A}`);
    contains(list.html, `href="${PAGE}?stadt=${TOWN_A}"`);
    const page = await kreis.page(`${PAGE}?stadt=${TOWN_B}`);
    contains(page.html, `action="${PAGE}?stadt=${TOWN_B}"`);
    const saved = await kreis.post(`${PAGE}?stadt=${TOWN_B}`, fields(DATTELN));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`${PAGE}?ok=1&stadt=${TOWN_B}`);
    expect((await kreis.get(`${PAGE}?stadt=gibtesnicht`)).status).toBe(404);
    expect(await stored()).toEqual([
      { municipality_id: 'castrop', language: 'de', intro: CASTROP },
      { municipality_id: 'datteln', language: 'de', intro: DATTELN },
    ]);
  });

  it('each town’s booking mail says its own text; a town without one the installation’s', async () => {
    // The installation's text, from before texts were per town: Waltrop has none of its own.
    await f.ctx.db
      .insertInto('message_template')
      .values({
        municipality_id: '',
        kind: 'booking_confirmation',
        language: 'de',
        intro: KREIS,
        sms: null,
        updated_by: 'test',
        updated_at: new Date(),
      })
      .execute();
    const mailOf = async (officeId: string, serviceId: string, email: string) => {
      await bookAppointment(f.ctx, {
        officeId,
        start: THU_0900,
        services: [{ serviceId, persons: 1 }],
        citizen: { name: 'Erika Mustermann', email },
        language: 'de',
      });
      return (await f.ctx.db.selectFrom('outbox').select('body_text').where('recipient', '=', email).executeTakeFirstOrThrow()).body_text;
    };
    f.clock.advance(10_000); // past the texts' cache
    const inCastrop = await mailOf('castrop-rathaus', 'castrop-wohnsitz', 'anna@example.org');
    const inDatteln = await mailOf('datteln-rathaus', 'datteln-personalausweis', 'bert@example.org');
    const inWaltrop = await mailOf('waltrop-rathaus', 'waltrop-wohnsitz', 'clara@example.org');
    expect(inCastrop).toContain('Castrop freut sich auf Sie!');
    expect(inDatteln).toContain('Datteln hat reserviert.');
    expect(inWaltrop).toContain('Der Kreis hat für Sie reserviert.');
    for (const [mail, foreign] of [
      [inCastrop, ['Datteln hat', 'Der Kreis hat']],
      [inDatteln, ['Castrop freut', 'Der Kreis hat']],
      [inWaltrop, ['Castrop freut', 'Datteln hat']],
    ] as const)
      for (const text of foreign) expect(mail).not.toContain(text);
  });
});
