import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/app/app-context.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { searchAvailability } from '../../../src/app/booking/search-availability.ts';
import { executeCounterCommand } from '../../../src/app/counter/execute-counter-command.ts';
import type { CounterCommand } from '../../../src/app/counter/counter-command.ts';
import { applySetup } from '../../../src/app/setup/apply-town-file.ts';
import type { AppContext } from '../../../src/app/shared/context.ts';
import { newEntityId } from '../../../src/app/shared/ids.ts';
import { readStatistics } from '../../../src/app/statistics/read-statistics.ts';
import { refreshStatistics } from '../../../src/app/statistics/refresh-statistics.ts';
import type { Database } from '../../../src/db/connection.ts';
import type { Principal } from '../../../src/domain/staff-access.ts';
import { createTestDb, testDbKind } from '../../helpers/test-db.ts';

// #21, done when: a second, different town file — not Musterstadt — runs end to end: booking,
// counter, statistics. Erlenbruch: three offices, Bürgerbüro Süd open every second Saturday from
// 9 January 2027, Rosenmontag closed, a home-visit service only by phone.

const berlin = (iso: string) => Date.parse(`${iso}+01:00`);
const lead: Principal = {
  kind: 'user',
  id: 'lead',
  label: 'lead@erlenbruch',
  role: 'admin',
  officeIds: [],
  municipalityId: null,
  personalData: true,
};

describe(`Erlenbruch runs a day from its town file (${testDbKind})`, () => {
  let database: Database;
  let ctx: AppContext;
  let now = berlin('2027-02-01T07:30:00');

  beforeAll(async () => {
    database = await createTestDb();
    ctx = createAppContext({
      db: database.db,
      now: () => now,
      randomBytes: (n) => randomBytes(n),
      settings: { publicUrl: 'http://erlenbruch.test', confirmation: 'none', reservationMinutes: 30, capacityDays: 30 },
    });
    const file = fs.readFileSync(path.resolve(import.meta.dirname, '../../../examples/erlenbruch.yaml'), 'utf8');
    expect((await applySetup(ctx, file, { actor: 'cli' })).applied).toBe(true);
  });
  afterAll(async () => database?.close());

  const days = (slots: { start: number }[]) =>
    [...new Set(slots.map((s) => new Date(s.start).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' })))].sort();

  it('the plan of the file is what citizens can book: alternate Saturdays at Süd, nothing on Rosenmontag', async () => {
    const slots = await searchAvailability(ctx, {
      services: [{ serviceId: 'personalausweis', persons: 1 }],
      officeId: 'sued',
      from: '2027-02-01',
      to: '2027-02-20',
      limit: 10_000,
    });
    const open = days(slots);
    expect(open).toContain('2027-02-06'); // Saturday, 4 weeks after 9 January
    expect(open).not.toContain('2027-02-13'); // the Saturday between
    expect(open).not.toContain('2027-02-08'); // Rosenmontag
    expect(open).not.toContain('2027-02-02'); // Tuesday: Süd is closed
    const anywhere = await searchAvailability(ctx, {
      services: [{ serviceId: 'wohnsitz', persons: 1 }],
      from: '2027-02-08',
      to: '2027-02-08',
      limit: 100,
    });
    expect(anywhere).toEqual([]);
  });

  it('the home visit is booked by phone only', async () => {
    const request = {
      officeId: 'rathaus',
      start: berlin('2027-02-03T09:00:00'),
      services: [{ serviceId: 'hausbesuch', persons: 1 }],
      citizen: { name: 'Gerda Haus', email: null, phone: '0221 555 1234' },
      language: 'de' as const,
    };
    await expect(bookAppointment(ctx, { ...request, channel: 'online' })).rejects.toMatchObject({ code: 'service_not_bookable_online' });
    const { appointment } = await bookAppointment(ctx, { ...request, channel: 'phone', source: 'phone', actor: 'test' });
    expect(appointment.status).toBe('confirmed');
  });

  it('a Saturday appointment is booked online, served at the counter and counted in the statistics', async () => {
    const { appointment } = await bookAppointment(ctx, {
      officeId: 'sued',
      start: berlin('2027-02-06T09:00:00'),
      services: [{ serviceId: 'personalausweis', persons: 1 }],
      citizen: { name: 'Erika Mustermann', email: 'erika@example.org', phone: null },
      language: 'de',
      channel: 'online',
    });
    const run = (type: CounterCommand['type'], payload: Record<string, unknown>) =>
      executeCounterCommand(ctx, {
        type,
        officeId: 'sued',
        payload,
        actor: 'staff:clerk',
        at: new Date(now).toISOString(),
      } as CounterCommand);
    now = berlin('2027-02-06T08:50:00');
    await run('counter.open', { counterNumber: 1 });
    const { ticket } = await run('appointment.check_in', { reference: appointment.reference, ticketId: newEntityId(ctx) });
    now = berlin('2027-02-06T09:02:00');
    await run('ticket.call', { ticketId: ticket!.id, counterNumber: 1 });
    now = berlin('2027-02-06T09:20:00');
    await run('ticket.served', { ticketId: ticket!.id });

    now = berlin('2027-02-07T06:00:00');
    await refreshStatistics(ctx);
    const stats = await readStatistics(ctx, lead, { officeId: 'sued', from: '2027-02-06', to: '2027-02-06', period: 'day' });
    expect(stats.total).toMatchObject({ served: 1, waitMedianMinutes: 12, processingMedianMinutes: 18 });
  });
});
