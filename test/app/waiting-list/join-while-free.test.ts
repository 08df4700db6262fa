import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepWaitingList } from '../../../src/app/waiting-list/sweep-waiting-list.ts';
import { joinWaitingList, readWaitingEntry, type JoinRequest } from '../../../src/app/waiting-list/waiting-list.ts';
import { bookOut, cancelBookedAt, type BookedSeat } from '../../helpers/book-out.ts';
import { createFixture, json, postJson, type Fixture } from '../../helpers/fixture.ts';
import { contains, postForm } from '../../helpers/pages.ts';
import { testDbKind } from '../../helpers/test-db.ts';

// Issue #22 item 5: "a waiting-list entry is refused when suitable slots are already free (show
// them instead)". The person can book such a time at once; an entry would only take the next freed
// seat from the public later. Once the wished window is full, joining works as before.

const THURSDAY = (hhmm: string) => Date.parse(`2026-11-26T${hhmm}:00+01:00`);

const wish = (email: string): JoinRequest => ({
  services: [{ serviceId: 'short', persons: 1 }],
  officeIds: ['test'],
  earliestDate: '2026-11-26',
  latestDate: '2026-11-26',
  weekdays: [4],
  fromTime: '08:00',
  toTime: '09:00',
  citizen: { name: 'Erika Mustermann', email },
  language: 'de',
});

const form = {
  services: 'short',
  standort: 'test',
  von: '2026-11-26',
  bis: '2026-11-26',
  tag: '4',
  tageszeit: 'vormittags',
  name: 'Erika Mustermann',
  email: 'erika@example.org',
  phone: '',
  terms: 'ja',
};

describe(`joining the waiting list while suitable times are free (${testDbKind})`, () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ counters: 1, settings: { confirmation: 'none' } });
  });
  afterAll(async () => f?.close());

  const stored = async () => (await f.ctx.db.selectFrom('waiting_list_entry').select('id').execute()).length;

  it('the use case refuses with slots_available, naming up to five free times (an hour apart where the wish allows); nothing is stored or sent', async () => {
    await expect(joinWaitingList(f.ctx, wish('erika@example.org'))).rejects.toMatchObject({
      code: 'slots_available',
      details: {
        slots: ['08:00', '08:05', '08:10', '08:15', '08:20'].map((t) => ({ officeId: 'test', start: `2026-11-26T${t}:00+01:00` })),
      },
    });
    expect(await stored()).toBe(0);
    expect(await f.ctx.db.selectFrom('outbox').select('id').execute()).toEqual([]);
  });

  it('the API answers 409 slots_available with details.slots', async () => {
    const res = await postJson(f.app, '/api/v1/waiting-list', {
      services: [{ serviceId: 'short' }],
      officeIds: ['test'],
      earliestDate: '2026-11-26',
      latestDate: '2026-11-26',
      weekdays: [4],
      fromTime: '08:30',
      toTime: '09:00',
      citizen: { name: 'Erika Mustermann', email: 'erika@example.org' },
    });
    expect(res.status).toBe(409);
    const body = await json(res);
    expect(body.error.code).toBe('slots_available');
    expect(body.error.details.slots[0]).toEqual({ officeId: 'test', start: '2026-11-26T08:30:00+01:00' });
    expect(body.error.details.slots).toHaveLength(5);
    expect(await stored()).toBe(0);
  });

  it('the join page (409) says times are free and links each to the booking details step, keeping the form filled in', async () => {
    const res = await postForm(f.app, '/warteliste/eintragen', form, { 'x-test-client': 'page-de' });
    expect(res.status).toBe(409);
    const page = await res.text();
    contains(
      page,
      'Passende Termine sind frei',
      'Zu Ihren Angaben sind gerade Termine frei.',
      'href="/buchen/angaben?services=short&amp;office=test&amp;start=2026-11-26T08%3A00%3A00%2B01%3A00"',
      // Spread over the morning, an hour apart — not 08:00, 08:05, 08:10 …
      'Do., 26.11.2026, 08:00 Uhr, Testamt',
      'Do., 26.11.2026, 09:00 Uhr, Testamt',
      'Do., 26.11.2026, 10:00 Uhr, Testamt',
      'value="Erika Mustermann"',
      'value="erika@example.org"',
      'value="2026-11-26"',
    );
    contains(page, 'Do., 26.11.2026, 11:00 Uhr, Testamt');
    // Four hours of the morning give four; the fifth is the next start after the first.
    expect(page).not.toContain('08:10 Uhr');
    const english = await postForm(f.app, '/warteliste/eintragen', form, { 'x-test-client': 'page-en', cookie: 'lang=en' });
    expect(english.status).toBe(409);
    contains(await english.text(), 'Suitable times are free', 'Thu, 26 Nov 2026, 8:00 AM, Testamt');
    expect(await stored()).toBe(0);
  });

  let booked: BookedSeat[];
  it('once the wished window is fully booked, joining works; a cancellation then reaches the entry', async () => {
    booked = await bookOut(f.ctx, wish('x@example.org'));
    expect(booked.map((b) => b.start)).toEqual([0, 10, 20, 30, 40, 50].map((m) => THURSDAY('08:00') + m * 60_000));
    // Free times outside the window (09:00 on) do not stand in the way.
    const joined = await joinWaitingList(f.ctx, wish('erika@example.org'));
    expect(joined.entry.positions).toEqual([{ serviceId: 'short', position: 1 }]);
    const page = await postForm(
      f.app,
      '/warteliste/eintragen',
      { ...form, email: 'max@example.org', tageszeit: 'ganztags' },
      {
        'x-test-client': 'page-full',
      },
    );
    // All day is wider than the booked-out morning: 09:00–12:00 is free, so that is refused.
    expect(page.status).toBe(409);
    await cancelBookedAt(f.ctx, booked, THURSDAY('08:40'));
    expect(await sweepWaitingList(f.ctx)).toMatchObject({ offered: 1 });
    expect((await readWaitingEntry(f.ctx, joined.token)).offer?.start).toBe(THURSDAY('08:40'));
  });
});
