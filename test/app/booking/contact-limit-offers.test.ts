import { afterEach, describe, expect, it } from 'vitest';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { runClosure } from '../../../src/app/closures/run-closure.ts';
import { openClosure } from '../../../src/app/closures/open-closure.ts';
import { cancelAppointment } from '../../../src/app/appointments/manage-appointment.ts';
import { acceptOffer } from '../../../src/app/closures/replacement-offers.ts';
import { acceptWaitingOffer, joinWaitingList, readWaitingEntry } from '../../../src/app/waiting-list/waiting-list.ts';
import { sweepWaitingList } from '../../../src/app/waiting-list/sweep-waiting-list.ts';
import { createFixture, json, postJson, type Fixture } from '../../helpers/fixture.ts';
import { contains, html, postForm } from '../../helpers/pages.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// SCHALTER_CONTACT_LIMIT (one open appointment per person and service) also holds for the ways into
// an appointment that are not online booking: accepting a waiting-list offer and taking a
// replacement after a closure. The appointment the office cancelled never blocks its own replacement.

const at = (local: string) => Date.parse(`${local}+01:00`);
const short = [{ serviceId: 'short', persons: 1 }];
const codeOf = (error: unknown) => (error as { code?: string }).code ?? String(error);

async function fillHour(f: Fixture, day: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < 6; i++) {
    const booked = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at(`${day}T08:00:00`) + i * 600_000,
      services: short,
      citizen: { name: `Filler ${i}`, email: `fill-${day}-${i}@example.org` },
      language: 'de',
    });
    tokens.push(booked.manageToken);
  }
  return tokens;
}

const wish = (email: string, day: string) => ({
  services: short,
  officeIds: ['test'],
  earliestDate: day,
  latestDate: day,
  weekdays: [4, 5],
  fromTime: '08:00',
  toTime: '09:00',
  citizen: { name: 'Erika Mustermann', email },
  language: 'de' as const,
});

async function closeThursday(f: Fixture): Promise<Map<string, string>> {
  const opened = await openClosure(f.ctx, {
    officeId: 'test',
    from: at('2026-11-26T00:00:00'),
    to: at('2026-11-27T00:00:00'),
    reason: 'Stromausfall',
    counters: null,
    notify: true,
    offerReplacements: true,
    actor: 'cli',
  });
  await runClosure(f.ctx, opened.closure.id);
  const notices = await f.ctx.db.selectFrom('outbox').select(['recipient', 'body_text']).where('dedupe_key', 'like', 'closure:%').execute();
  return new Map(notices.map((n) => [n.recipient, /\/angebot\/([A-Za-z0-9_-]{43})/.exec(n.body_text)![1]!]));
}

describe(`the per-contact limit when an offer is accepted, on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  it('a waiting-list offer is refused (API 409 JSON, page 409 in German and English) while the person holds another appointment, and accepted once that is cancelled', async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none', openAppointmentsPerContact: 1 } });
    const fillers = await fillHour(f, '2026-11-26');
    const { token } = await joinWaitingList(f.ctx, wish('erika@example.org', '2026-11-26'));
    await cancelAppointment(f.ctx, fillers[0]!);
    expect((await sweepWaitingList(f.ctx)).offered).toBe(1);
    // Meanwhile Erika books Friday herself (the seat held for her is not hers until she accepts, so that is allowed).
    const friday = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-27T09:00:00'),
      services: short,
      citizen: { name: 'Erika Mustermann', email: 'Erika@Example.org' },
      language: 'de',
    });

    const api = await postJson(f.app, `/api/v1/waiting-list/${token}/accept`, {});
    expect(api.status).toBe(409);
    const body = await json(api);
    expect(body.error).toMatchObject({ code: 'contact_limit_reached', details: { max: 1 } });
    expect(body.error.message).toContain('schon einen offenen Termin');

    const page = await f.app.request(`/warteliste/${token}/annehmen`, { method: 'POST' });
    expect(page.status).toBe(409);
    contains(await page.text(), 'Sie haben schon einen Termin', 'sagen Sie zuerst den anderen ab', 'Mi., 25.11.2026, 10:00');
    const english = await postForm(f.app, `/warteliste/${token}/annehmen`, {}, { cookie: 'lang=en' });
    contains(await html(english), 'You already have an appointment', 'first cancel the other');

    // Nothing changed: the offer is still held for her, the seat still taken.
    const entry = await readWaitingEntry(f.ctx, token);
    expect(entry.state).toBe('offered');
    const hold = await f.ctx.db
      .selectFrom('appointment')
      .select('status')
      .where('reference', '=', entry.offer!.reference)
      .executeTakeFirstOrThrow();
    expect(hold.status).toBe('reserved');

    await cancelAppointment(f.ctx, friday.manageToken);
    const accepted = await f.app.request(`/warteliste/${token}/annehmen`, { method: 'POST' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toMatch(/^\/termin\/[A-Za-z0-9_-]{43}\/gebucht$/);
    expect((await readWaitingEntry(f.ctx, token)).state).toBe('booked');
  });

  it('the sweep passes over a person who already has as many open appointments as allowed: the seat goes to the next in line, and the first keeps her place until she cancels the other one', async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none', openAppointmentsPerContact: 1 } });
    const fillers = await fillHour(f, '2026-11-26');
    const erika = await joinWaitingList(f.ctx, wish('erika@example.org', '2026-11-26'));
    f.clock.advance(60_000);
    const max = await joinWaitingList(f.ctx, wish('max@example.org', '2026-11-26'));
    const friday = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-27T09:00:00'),
      services: short,
      citizen: { name: 'Erika Mustermann', email: 'erika@example.org' },
      language: 'de',
    });

    await cancelAppointment(f.ctx, fillers[0]!);
    expect(await sweepWaitingList(f.ctx)).toMatchObject({ offered: 1, atLimit: 1 });
    expect((await readWaitingEntry(f.ctx, max.token)).offer?.start).toBe(at('2026-11-26T08:00:00'));
    expect(await readWaitingEntry(f.ctx, erika.token)).toMatchObject({
      state: 'waiting',
      offer: null,
      positions: [{ serviceId: 'short', position: 1 }],
    });
    const offerMails = await f.ctx.db.selectFrom('outbox').select('recipient').where('dedupe_key', 'like', 'waiting-offer:%').execute();
    expect(offerMails.map((m) => m.recipient)).toEqual(['max@example.org']);

    // Erika cancels Friday: the next seat that frees up is hers, and she can take it.
    await cancelAppointment(f.ctx, friday.manageToken);
    await cancelAppointment(f.ctx, fillers[1]!);
    expect(await sweepWaitingList(f.ctx)).toMatchObject({ offered: 1, atLimit: 0 });
    expect((await readWaitingEntry(f.ctx, erika.token)).offer?.start).toBe(at('2026-11-26T08:10:00'));
    expect((await acceptWaitingOffer(f.ctx, erika.token)).entry.state).toBe('booked');
  });

  it('a replacement after a closure is not blocked by the cancelled appointment, but by one booked meanwhile (accept and "other time" alike)', async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none', openAppointmentsPerContact: 1 } });
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-26T10:00:00'),
      services: short,
      citizen: { name: 'Max', email: 'max@example.org' },
      language: 'de',
    });
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-26T10:10:00'),
      services: short,
      citizen: { name: 'Lena', email: 'lena@example.org' },
      language: 'de',
    });
    const offers = await closeThursday(f);

    // Max: his own cancelled appointment does not count.
    expect((await acceptOffer(f.ctx, offers.get('max@example.org')!)).manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Lena was booked by phone for Friday meanwhile (the limit does not apply to staff bookings).
    const phone = await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-27T11:00:00'),
      services: short,
      citizen: { name: 'Lena', email: 'lena@example.org' },
      language: 'de',
      channel: 'phone',
    });
    const lena = offers.get('lena@example.org')!;
    const refused = await postForm(f.app, `/angebot/${lena}/annehmen`, {});
    expect(refused.status).toBe(409);
    contains(await html(refused), 'Sie haben schon einen Termin', 'inzwischen schon einen anderen offenen Termin');
    const choices = await html(f.app.request(`/angebot/${lena}/andere`));
    const choice = /name="zeit" value="([^"]+)"/.exec(choices)![1]!;
    const other = await postForm(f.app, `/angebot/${lena}/andere`, { zeit: choice });
    expect(other.status).toBe(409);
    contains(await html(other), 'Sie haben schon einen Termin');
    const open = await f.ctx.db
      .selectFrom('appointment')
      .select('status')
      .where('citizen_email', '=', 'lena@example.org')
      .where('status', '=', 'confirmed')
      .execute();
    expect(open).toHaveLength(1);

    await cancelAppointment(f.ctx, phone.manageToken);
    expect((await postForm(f.app, `/angebot/${lena}/annehmen`, {})).status).toBe(303);
  });

  it('an unaccepted hold (waiting-list offer or replacement) does not stop its person booking online, as it does not stop an acceptance; the hold is then the one refused', async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none', openAppointmentsPerContact: 1 } });
    const fridayFillers = await fillHour(f, '2026-11-27');
    const { token } = await joinWaitingList(f.ctx, wish('paul@example.org', '2026-11-27'));
    await cancelAppointment(f.ctx, fridayFillers[3]!);
    expect((await sweepWaitingList(f.ctx)).offered).toBe(1);
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-26T10:00:00'),
      services: short,
      citizen: { name: 'Lena', email: 'lena@example.org' },
      language: 'de',
    });
    const offers = await closeThursday(f);
    const lenaHold = await f.ctx.db
      .selectFrom('replacement_offer')
      .select('state')
      .where('held_appointment_id', 'is not', null)
      .where('original_appointment_id', 'is not', null)
      .executeTakeFirstOrThrow();
    expect(lenaHold.state).toBe('held');

    // Both book Monday online while their holds wait for an answer.
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-30T09:00:00'),
      services: short,
      citizen: { name: 'Paul', email: 'Paul@example.org' },
      language: 'de',
    });
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-30T09:10:00'),
      services: short,
      citizen: { name: 'Lena', email: 'lena@example.org' },
      language: 'de',
    });

    // The booking counts against the holds, once confirmed: one open appointment each.
    expect(await acceptWaitingOffer(f.ctx, token).catch(codeOf)).toBe('contact_limit_reached');
    expect(await acceptOffer(f.ctx, offers.get('lena@example.org')!).catch(codeOf)).toBe('contact_limit_reached');
  });

  it('two unaccepted holds for one person (a replacement and a waiting-list offer) do not block each other: the first accepted wins, the second is refused', async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none', openAppointmentsPerContact: 1 } });
    const fridayFillers = await fillHour(f, '2026-11-27');
    await bookAppointment(f.ctx, {
      officeId: 'test',
      start: at('2026-11-26T10:00:00'),
      services: short,
      citizen: { name: 'Paul', email: 'paul@example.org' },
      language: 'de',
    });
    const { token } = await joinWaitingList(f.ctx, wish('paul@example.org', '2026-11-27'));
    const offers = await closeThursday(f);
    // The replacement held for Paul is not his appointment yet: the sweep holds a seat for him too.
    await cancelAppointment(f.ctx, fridayFillers[3]!);
    expect((await sweepWaitingList(f.ctx)).offered).toBe(1);

    await acceptOffer(f.ctx, offers.get('paul@example.org')!);
    expect(await acceptWaitingOffer(f.ctx, token).catch(codeOf)).toBe('contact_limit_reached');
  });
});
