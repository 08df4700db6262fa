import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, json, loadOf, postJson, type Fixture } from '../helpers/fixture.ts';
import { confirmationCode, contains, postForm } from '../helpers/pages.ts';
import { testDbKind } from '../helpers/test-db.ts';

// Six digits are a million codes; within the 30 minutes a reservation holds its seat a script could
// try them all. Five wrong ones release the reservation.

const citizen = { name: 'Erika Mustermann', email: 'erika@example.org' };

describe(`guessing the confirmation code on ${testDbKind}`, () => {
  let f: Fixture;
  beforeAll(async () => {
    // One counter: a released seat is the only one, so "free again" is visible as a booking by someone else.
    f = await createFixture({ counters: 1 });
  });
  afterAll(async () => f.close());

  async function reserve(start: string) {
    const res = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen,
      language: 'de',
    });
    expect(res.status).toBe(201);
    const { manageToken, appointment } = await json(res);
    const code = await confirmationCode(f, appointment.reference);
    const wrong = Array.from({ length: 40 }, (_, i) => String((Number(code) + 1 + i * 7919) % 1_000_000).padStart(6, '0')).filter(
      (c) => c !== code,
    );
    return { manageToken: manageToken as string, appointmentId: appointment.id as string, code, wrong };
  }
  const confirm = (token: string, code: string, lang = 'de') =>
    postJson(f.app, `/api/v1/appointments/${token}/confirm`, { code }, { 'accept-language': lang });
  const failures = async (id: string) =>
    await f.ctx.db.selectFrom('appointment').select(['confirmation_failures', 'status']).where('id', '=', id).executeTakeFirstOrThrow();

  it('five wrong codes release the reservation: the right code is refused afterwards and the time is free for others', async () => {
    const start = '2026-11-26T08:00:00+01:00';
    const { manageToken, code, wrong } = await reserve(start);
    for (let i = 0; i < 4; i++) {
      const res = await confirm(manageToken, wrong[i]!);
      expect(res.status).toBe(422);
      expect((await json(res)).error).toMatchObject({ code: 'invalid_code', details: { attemptsLeft: 4 - i } });
    }
    expect(await loadOf(f, start)).toBe(1);
    const fifth = await confirm(manageToken, wrong[4]!);
    expect(fifth.status).toBe(409);
    expect((await json(fifth)).error).toMatchObject({ code: 'too_many_codes', message: expect.stringContaining('Bitte buchen Sie neu') });
    expect(await loadOf(f, start)).toBe(0);

    const right = await confirm(manageToken, code, 'en');
    expect(right.status).toBe(409);
    expect((await json(right)).error).toMatchObject({ code: 'too_many_codes', message: expect.stringContaining('Please book again') });
    expect((await json(f.app.request(`/api/v1/appointments/${manageToken}`))).appointment.status).toBe('expired');
    const other = await postJson(f.app, '/api/v1/appointments', {
      officeId: 'test',
      start,
      services: [{ serviceId: 'short', persons: 1 }],
      citizen: { name: 'Otto Normal', phone: '0221 555' },
      language: 'de',
    });
    expect(other.status).toBe(201);
  });

  it('20 wrong codes at once: exactly 5 are counted, then the reservation is released once', async () => {
    const start = '2026-11-26T09:00:00+01:00';
    const { manageToken, appointmentId, wrong } = await reserve(start);
    const answers = await Promise.all(wrong.slice(0, 20).map((c) => confirm(manageToken, c)));
    const codes = await Promise.all(answers.map(async (res) => (await json(res)).error.code as string));
    expect(codes.filter((c) => c === 'invalid_code')).toHaveLength(4);
    expect(codes.filter((c) => c === 'too_many_codes')).toHaveLength(16);
    expect(await failures(appointmentId)).toEqual({ confirmation_failures: 5, status: 'expired' });
    expect(await loadOf(f, start)).toBe(0);
    const released = await f.ctx.db
      .selectFrom('appointment_event')
      .select(['action', 'details'])
      .where('appointment_id', '=', appointmentId)
      .where('action', '=', 'expired')
      .execute();
    expect(released).toEqual([{ action: 'expired', details: { reason: 'too_many_codes' } }]);
  });

  it('the confirm page counts down the tries and then tells the citizen to book again, in German and English', async () => {
    const { manageToken, wrong } = await reserve('2026-11-26T10:00:00+01:00');
    const first = await postForm(f.app, `/termin/${manageToken}/bestaetigen`, { code: wrong[0]! });
    expect(first.status).toBe(422);
    contains(await first.text(), 'Der Bestätigungscode ist nicht richtig', 'Sie haben noch 4 Versuche.');
    for (let i = 1; i < 4; i++) await postForm(f.app, `/termin/${manageToken}/bestaetigen`, { code: wrong[i]! });
    const last = await postForm(f.app, `/termin/${manageToken}/bestaetigen`, { code: wrong[4]! });
    expect(last.status).toBe(409);
    contains(await last.text(), 'zu oft falsch eingegeben', 'Bitte buchen Sie einen neuen Termin.', 'href="/"');
    const english = await postForm(f.app, `/termin/${manageToken}/bestaetigen?lang=en`, { code: wrong[5]! }, { 'accept-language': 'en' });
    expect(english.status).toBe(409);
    contains(await english.text(), 'entered wrongly too often', 'Please book a new appointment.');
  });
});
