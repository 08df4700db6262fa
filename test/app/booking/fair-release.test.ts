import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runReleaseLottery } from '../../../src/app/booking/run-release-lottery.ts';
import { createHttpApp } from '../../../src/http/app.ts';
import { createFixture, json, postJson, type Fixture } from '../../helpers/fixture.ts';
import { contains, html, postForm } from '../../helpers/pages.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// Monday 30 November 2026, 07:00 in Berlin: the weekly wave releases 7–13 December.
const RELEASE = Date.parse('2026-11-30T06:00:00Z');
const slot = (hhmm: string, day = '07') => `2026-12-${day}T${hhmm}:00+01:00`;
const booking = (start: string, email: string) => ({
  officeId: 'test',
  start,
  services: [{ serviceId: 'short', persons: 1 }],
  citizen: { name: email, email },
  language: 'de',
});

async function slotsOf(f: Fixture, email: string): Promise<number> {
  const rows = await f.database.db
    .selectFrom('appointment')
    .select('id')
    .where('citizen_email', '=', email)
    .where('status', 'in', ['reserved', 'confirmed'])
    .execute();
  return rows.length;
}

/** A script at 100 requests/s and a person at 1 request/s for `seconds` of simulated time, interleaved on the injected clock. */
async function storm(
  f: Fixture,
  app: Fixture['app'],
  seconds: number,
  botStart: (i: number) => string,
  personStart: (i: number) => string,
) {
  const bot: number[] = [];
  const person: number[] = [];
  for (let tick = 0; tick < seconds * 100; tick++) {
    bot.push(
      (await postJson(app, '/api/v1/appointments', booking(botStart(tick), 'bot@example.org'), { 'x-test-client': '203.0.113.9' })).status,
    );
    if (tick % 100 === 0)
      person.push(
        (
          await postJson(app, '/api/v1/appointments', booking(personStart(tick / 100), 'erika@example.org'), {
            'x-test-client': '198.51.100.7',
          })
        ).status,
      );
    f.clock.advance(10);
  }
  return { bot, person };
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

describe(`fairness at release time on ${testDbKind}`, () => {
  let f: Fixture | undefined;
  afterEach(async () => f?.close());

  it('in the fair window a client making 100 requests/s gets no more slots than one making 1 request/s', async () => {
    f = await createFixture({ counters: 2, settings: { openAppointmentsPerContact: 1, fairReleaseMinutes: 10 } });
    f.clock.set(RELEASE);
    // The script sprays every slot of the new Monday morning; the person asks for 08:00 three times.
    const times = ['08:00', '08:10', '08:20', '08:30', '08:40', '08:50', '09:00', '09:10', '09:20', '09:30'];
    const { bot, person } = await storm(
      f,
      f.app,
      2,
      (i) => slot(times[i % times.length]!),
      () => slot('08:00'),
    );
    expect(count(bot, 202)).toBe(200);
    expect(count(person, 202)).toBe(2);
    // Nothing is booked while the window is open: clicking first or most often gains nothing.
    expect(await slotsOf(f, 'bot@example.org')).toBe(0);
    const entries = await f.database.db.selectFrom('release_request').select(['contact_key', 'starts_at']).orderBy('contact_key').execute();
    expect(entries.map((e) => [e.contact_key, e.starts_at.toISOString()])).toEqual([
      ['email:bot@example.org', '2026-12-07T07:00:00.000Z'],
      ['email:erika@example.org', '2026-12-07T07:00:00.000Z'],
    ]);

    f.clock.set(RELEASE + 10 * 60_000);
    expect(await runReleaseLottery(f.ctx)).toEqual({ decided: 2, booked: 2, unavailable: 0 });
    expect(await slotsOf(f, 'bot@example.org')).toBe(1);
    expect(await slotsOf(f, 'erika@example.org')).toBe(1);
  });

  it('outside the window the per-IP rate limit and the per-contact limit hold the script to what the person gets', async () => {
    f = await createFixture({ counters: 2, settings: { openAppointmentsPerContact: 1, fairReleaseMinutes: 10 } });
    const app = createHttpApp({ ctx: f.ctx, dbKind: f.database.kind, rateLimitPerMinute: 60, log: () => {} });
    f.clock.set(RELEASE + 20 * 60_000);
    const starts = (i: number) =>
      slot(`${String(8 + Math.floor((i % 24) / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}`, '08');
    const { bot, person } = await storm(f, app, 2, starts, (i) => slot(`10:${i}0`, '09'));
    expect([count(bot, 201), count(bot, 409), count(bot, 429)]).toEqual([1, 59, 140]);
    expect([count(person, 201), count(person, 409)]).toEqual([1, 1]);
    expect(await slotsOf(f, 'bot@example.org')).toBe(1);
    expect(await slotsOf(f, 'erika@example.org')).toBe(1);
  });

  it('the draw, not the arrival, decides who gets the last seat; the loser is told, and a rerun changes nothing', async () => {
    f = await createFixture({ counters: 1, settings: { openAppointmentsPerContact: 1, fairReleaseMinutes: 10 } });
    // Draws are 6 random bytes: fast gets the worst, slow the best; every later draw (Paula, the late
    // request, references) ranks behind slow's, which a plain random draw did not ensure (1 in 256 runs failed).
    const draws = [
      [0xff, 0, 0, 0, 0, 0],
      [0x01, 0, 0, 0, 0, 0],
    ];
    f.ctx.randomBytes = (n) => (n === 6 ? new Uint8Array(draws.shift() ?? [0xfe, ...randomBytes(5)]) : randomBytes(n));
    f.clock.set(RELEASE + 1);
    const fast = await json(postJson(f.app, '/api/v1/appointments', booking(slot('08:00'), 'fast@example.org')));
    f.clock.set(RELEASE + 9 * 60_000);
    const slow = await json(postJson(f.app, '/api/v1/appointments', booking(slot('08:00'), 'slow@example.org')));
    expect(slow.releaseRequest).toMatchObject({ state: 'pending', duplicate: false, decidesAt: '2026-11-30T06:10:00.000Z' });
    expect((await json(f.app.request(`/api/v1/release-requests/${fast.releaseRequest.token}`))).releaseRequest.state).toBe('pending');
    // The citizen pages (here without JavaScript) take the same door: a status page instead of a booking.
    const form = {
      services: 'short',
      office: 'test',
      start: slot('08:10'),
      name: 'Paula',
      email: 'paula@example.org',
      phone: '',
      terms: 'ja',
    };
    const viaPage = await postForm(f.app, '/buchen/angaben', form);
    expect(viaPage.headers.get('location')).toMatch(/^\/verlosung\/[A-Za-z0-9_-]{43}$/);
    contains(await html(f.app.request(viaPage.headers.get('location')!)), 'Terminverlosung', 'wer zuerst klickt, hat keinen Vorteil');
    expect((await postForm(f.app, '/buchen/angaben', form)).headers.get('location')).toBe('/verlosung/doppelt');

    f.clock.set(RELEASE + 10 * 60_000 + 5_000);
    // A request just after the window, before the lottery ran, joins it instead of taking the seat.
    const late = await postJson(f.app, '/api/v1/appointments', booking(slot('08:00'), 'late@example.org'));
    expect(late.status).toBe(202);
    expect(await runReleaseLottery(f.ctx)).toEqual({ decided: 4, booked: 2, unavailable: 2 });
    expect(await runReleaseLottery(f.ctx)).toEqual({ decided: 0, booked: 0, unavailable: 0 });

    const won = (await json(f.app.request(`/api/v1/release-requests/${slow.releaseRequest.token}`))).releaseRequest;
    expect(won).toMatchObject({ state: 'booked', outcome: null, appointment: { status: 'reserved', start: '2026-12-07T07:00:00.000Z' } });
    const lost = (await json(f.app.request(`/api/v1/release-requests/${fast.releaseRequest.token}`))).releaseRequest;
    expect(lost).toMatchObject({ state: 'unavailable', outcome: 'slot_unavailable', appointment: null });
    const mails = await f.database.db.selectFrom('outbox').select(['recipient', 'subject']).orderBy('recipient').execute();
    expect(mails.map((m) => m.recipient)).toEqual(['fast@example.org', 'late@example.org', 'paula@example.org', 'slow@example.org']);
    expect(mails[0]!.subject).toContain('Terminverlosung');
    expect((await f.app.request('/api/v1/release-requests/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });
});
