import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppContext } from '../../../src/app/app-context.ts';
import { bookAppointment } from '../../../src/app/booking/book-appointment.ts';
import { searchAvailability } from '../../../src/app/booking/search-availability.ts';
import { applySetup, currentSetupRevision, previewSetupChange, SetupInvalidError } from '../../../src/app/setup/apply-town-file.ts';
import { exportSetup, townFileToYaml } from '../../../src/app/setup/export-town-file.ts';
import type { AppContext } from '../../../src/app/shared/context.ts';
import type { Database } from '../../../src/db/connection.ts';
import { createTestDb } from '../../helpers/test-db.ts';

// `setup apply` and `setup export` (#21): a town file applied to the database and read back.

const NOW = Date.parse('2026-12-07T08:00:00Z');
const example = (name: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../../../examples', name), 'utf8');

let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
});

async function context(): Promise<AppContext> {
  database = await createTestDb();
  return createAppContext({
    db: database.db,
    now: () => NOW,
    randomBytes: (n) => randomBytes(n),
    settings: { publicUrl: 'http://localhost:3000', confirmation: 'email', reservationMinutes: 30, capacityDays: 60 },
  });
}

describe('setup apply', () => {
  it('sets up Erlenbruch on an empty database: three offices, Saturdays every second week, Rosenmontag closed, a phone-only service', async () => {
    const ctx = await context();
    const result = await applySetup(ctx, example('erlenbruch.yaml'), { actor: 'cli' });
    expect(result.applied).toBe(true);
    expect(result.revision?.revision).toBeGreaterThan(0);
    expect(result.affectedAppointments).toEqual([]);
    expect(result.changes.filter((c) => c.action === 'created' && c.subject === 'office').map((c) => c.id)).toEqual([
      'rathaus',
      'sued',
      'lindenau',
    ]);
    expect(result.changes[0]!.de).toBe('Stadt „Stadt Erlenbruch“ neu eingerichtet');

    const db = ctx.db;
    expect(await db.selectFrom('office').select(['id', 'municipality_id', 'closed_days']).orderBy('id').execute()).toEqual([
      {
        id: 'lindenau',
        municipality_id: 'erlenbruch',
        closed_days: ['rosenmontag', 'heiligabend', 'silvester', '2027-05-07', '2027-05-28', '2027-07-12'],
      },
      {
        id: 'rathaus',
        municipality_id: 'erlenbruch',
        closed_days: ['rosenmontag', 'heiligabend', 'silvester', '2027-05-07', '2027-05-28'],
      },
      { id: 'sued', municipality_id: 'erlenbruch', closed_days: ['rosenmontag', 'heiligabend', 'silvester', '2027-05-07', '2027-05-28'] },
    ]);
    expect(await db.selectFrom('service').select(['id', 'online_bookable']).where('id', '=', 'hausbesuch').executeTakeFirst()).toEqual({
      id: 'hausbesuch',
      online_bookable: false,
    });
    expect(
      await db.selectFrom('counter_service').select(['office_id', 'counter_number', 'service_id']).orderBy('service_id').execute(),
    ).toEqual([
      { office_id: 'rathaus', counter_number: 4, service_id: 'abholung' },
      { office_id: 'rathaus', counter_number: 4, service_id: 'beglaubigung' },
      { office_id: 'rathaus', counter_number: 4, service_id: 'meldebescheinigung' },
    ]);
    expect(
      await db.selectFrom('office_settings').select(['office_id', 'confirmation']).where('office_id', '=', 'lindenau').executeTakeFirst(),
    ).toEqual({
      office_id: 'lindenau',
      confirmation: 'none',
    });

    // Capacity is laid out at once: the second Saturday only, and nothing on Christmas Eve (a closing day).
    const units = async (from: string, to: string) =>
      (
        await db
          .selectFrom('capacity_unit')
          .select((eb) => eb.fn.sum<string>('capacity').as('seats'))
          .where('office_id', '=', 'sued')
          .where('starts_at', '>=', new Date(from))
          .where('starts_at', '<', new Date(to))
          .executeTakeFirst()
      )?.seats;
    expect(Number(await units('2027-01-09T08:00:00Z', '2027-01-09T11:00:00Z'))).toBe(2 * 36);
    expect(Number((await units('2027-01-16T08:00:00Z', '2027-01-16T11:00:00Z')) ?? 0)).toBe(0);
    expect(Number((await units('2026-12-24T07:00:00Z', '2026-12-24T11:00:00Z')) ?? 0)).toBe(0);
    expect(Number(await units('2026-12-23T07:00:00Z', '2026-12-23T11:00:00Z'))).toBe(2 * 48);

    // A citizen books at the new town.
    const slots = await searchAvailability(ctx, {
      services: [{ serviceId: 'personalausweis', persons: 1 }],
      officeId: 'rathaus',
      from: '2026-12-08',
      to: '2026-12-11',
      channel: 'phone',
      limit: 5,
    });
    expect(slots.length).toBeGreaterThan(0);
    const booked = await bookAppointment(ctx, {
      officeId: 'rathaus',
      start: slots[0]!.start,
      services: [{ serviceId: 'personalausweis', persons: 1 }],
      citizen: { name: 'Erika Mustermann', phone: '0221 4710-999' },
      language: 'de',
      channel: 'phone',
      source: 'phone',
      actor: 'cli',
    });
    expect(booked.appointment.officeId).toBe('rathaus');

    // The phone-only service is not offered online.
    await expect(
      searchAvailability(ctx, {
        services: [{ serviceId: 'hausbesuch', persons: 1 }],
        officeId: 'rathaus',
        from: '2026-12-08',
        to: '2026-12-11',
        limit: 5,
      }),
    ).rejects.toMatchObject({ code: 'service_not_bookable_online' });
  });

  it('applying the same file again changes nothing, and so does applying its export', async () => {
    const ctx = await context();
    const first = await applySetup(ctx, example('erlenbruch.yaml'), { actor: 'cli' });
    const again = await applySetup(ctx, example('erlenbruch.yaml'), { actor: 'cli' });
    expect(again).toMatchObject({ applied: false, changes: [], affectedAppointments: [] });
    expect(again.revision).toEqual(first.revision);

    const exported = townFileToYaml(await exportSetup(ctx));
    expect((await previewSetupChange(ctx, exported)).changes).toEqual([]);
    const viaExport = await applySetup(ctx, exported, { actor: 'cli' });
    expect(viaExport.applied).toBe(false);
    expect(viaExport.sha256).toBe(first.sha256);
    expect(await ctx.db.selectFrom('setup_revision').select('revision').execute()).toHaveLength(1);
  });

  it('names what a changed file changes, and lays out the new capacity', async () => {
    const ctx = await context();
    const file = example('erlenbruch.yaml');
    await applySetup(ctx, file, { actor: 'cli' });
    const changed = file
      .replace('feeCents: 800\n', 'feeCents: 1000\n')
      .replace(
        '{ days: [mon, wed, fri], from: "08:00", to: "12:00", appointmentCounters: 2 }',
        '{ days: [mon, wed, fri], from: "08:00", to: "13:00", appointmentCounters: 2 }',
      );
    const result = await applySetup(ctx, changed, { actor: 'staff:1' });
    expect(result.changes.map((c) => c.de)).toEqual([
      'Dienstleistung „Meldebescheinigung“ geändert: Gebühr',
      'Standort „Bürgerbüro Süd“: Öffnungszeit entfällt: Mo, Mi, Fr 08:00–12:00, 2 Termin- und 0 Spontanschalter',
      'Standort „Bürgerbüro Süd“: Öffnungszeit neu: Mo, Mi, Fr 08:00–13:00, 2 Termin- und 0 Spontanschalter',
    ]);
    const noon = await ctx.db
      .selectFrom('capacity_unit')
      .select('capacity')
      .where('office_id', '=', 'sued')
      .where('starts_at', '=', new Date('2026-12-09T11:30:00Z'))
      .executeTakeFirst();
    expect(noon?.capacity).toBe(2);
    expect((await currentSetupRevision(ctx))?.appliedBy).toBe('staff:1');
    const entry = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', '=', 'setup.apply')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(entry?.details).toMatchObject({ changes: expect.arrayContaining(['service "Certificate of registration" changed: fee_cents']) });
  });

  it('refuses an invalid document with every problem and its path, and changes nothing', async () => {
    const ctx = await context();
    const broken = example('erlenbruch.yaml').replace(
      'to: "12:00", appointmentCounters: 3, walkinCounters: 1 }',
      'to: "25:00", appointmentCounters: 3, walkinCounters: 1 }',
    );
    const error = await applySetup(ctx, broken, { actor: 'cli' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupInvalidError);
    expect((error as SetupInvalidError).problems.map((p) => p.path)).toContain('offices[0].hours[0].to');
    expect(await ctx.db.selectFrom('office').select('id').execute()).toEqual([]);
  });

  it('refuses a stale revision (If-Match)', async () => {
    const ctx = await context();
    const first = await applySetup(ctx, example('erlenbruch.yaml'), { actor: 'cli', expectedRevision: null });
    const changed = example('erlenbruch.yaml').replace('feeCents: 800\n', 'feeCents: 900\n');
    await expect(applySetup(ctx, changed, { actor: 'cli', expectedRevision: null })).rejects.toMatchObject({ code: 'setup_changed' });
    const second = await applySetup(ctx, changed, { actor: 'cli', expectedRevision: first.revision!.revision });
    expect(second.applied).toBe(true);
  });
});
