import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { Temporal } from 'temporal-polyfill';
import { materializeCapacity } from '../src/app/booking/materialize-capacity.ts';
import { runClosure } from '../src/app/closures/run-closure.ts';
import { openClosure } from '../src/app/closures/open-closure.ts';
import { createAppContext } from '../src/app/app-context.ts';
import type { AppContext } from '../src/app/shared/context.ts';
import { createMailTransport } from '../src/notify/mail-transport.ts';
import { sendDueMessages } from '../src/notify/outbox-worker.ts';
import { benchDatabase, countOverbookedUnits, seedBenchTown } from './bench-town.ts';

/**
 * `npm run bench -- closure [--db postgres|pglite] [--appointments 10000] [--offices 20]`
 * Tomorrow is fully booked up to N appointments over many offices; every office closes for the day.
 * Prints {"appointments","seconds_to_cancel","seconds_to_all_offers_held","messages_per_s"}: the job
 * cancels and holds in the same transaction per batch, so the two times differ only by the wait for
 * the last batch; messages go to a local SMTP server through the pooled transport.
 */
export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string', default: 'postgres' },
      appointments: { type: 'string', default: '10000' },
      offices: { type: 'string', default: '20' },
    },
  });
  const total = Number(values.appointments);
  const offices = Number(values.offices);
  const database = await benchDatabase(values.db);
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, _s, done) => stream.on('end', () => done()).resume(),
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { db, close } = await database.open();
  try {
    const officeIds = await seedBenchTown(db, { offices, counters: 20 });
    const ctx = createAppContext({
      db,
      now: () => Date.now(),
      randomBytes: (n) => randomBytes(n),
      settings: {
        publicUrl: 'http://bench.example',
        confirmation: 'none',
        reservationMinutes: 30,
        capacityDays: 35,
        openAppointmentsPerContact: null,
        closures: { batchSize: 500 },
      },
    });
    await materializeCapacity(ctx);
    const tomorrow = Temporal.Now.plainDateISO('Europe/Berlin').add({ days: 1 });
    const dayStart = tomorrow.toZonedDateTime({ timeZone: 'Europe/Berlin', plainTime: '07:00' }).epochMilliseconds;
    await bookDay(ctx, officeIds, total, dayStart);

    const started = performance.now();
    const closures: string[] = [];
    for (const officeId of officeIds) {
      const from = tomorrow.toZonedDateTime({ timeZone: 'Europe/Berlin' }).epochMilliseconds;
      const to = tomorrow.add({ days: 1 }).toZonedDateTime({ timeZone: 'Europe/Berlin' }).epochMilliseconds;
      closures.push(
        (
          await openClosure(ctx, {
            officeId,
            from,
            to,
            reason: 'Ausfall im Rechenzentrum',
            counters: null,
            notify: true,
            offerReplacements: true,
            actor: 'bench',
          })
        ).closure.id,
      );
    }
    for (const id of closures) await runClosure(ctx, id);
    const done = (performance.now() - started) / 1000;
    const { rows } = await sql<{ cancelled: string; held: string }>`
      SELECT count(*) FILTER (WHERE status = 'cancelled') AS cancelled, count(*) FILTER (WHERE status = 'reserved' AND source = 'rebooking') AS held FROM appointment`.execute(
      db,
    );

    const { port } = smtp.server.address() as AddressInfo;
    const transport = createMailTransport({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: 'unused',
      from: 'Bench <bench@example.org>',
      maxConnections: 5,
    });
    const sending = performance.now();
    let sent = 0;
    for (;;) {
      const r = await sendDueMessages({ db, transport, now: new Date(), batchSize: 200, concurrency: 20 });
      sent += r.sent;
      if (r.sent + r.failed === 0) break;
    }
    const messagesPerS = sent / ((performance.now() - sending) / 1000);
    transport.close?.();
    console.log(
      JSON.stringify({
        appointments: total,
        cancelled: Number(rows[0]!.cancelled),
        held: Number(rows[0]!.held),
        overbooked_units: await countOverbookedUnits(db),
        seconds_to_cancel: Number(done.toFixed(2)),
        seconds_to_all_offers_held: Number(done.toFixed(2)),
        messages: sent,
        messages_per_s: Math.round(messagesPerS),
        db: database.kind,
      }),
    );
  } finally {
    await close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await database.drop();
  }
}

/** N confirmed appointments of 10 minutes from 07:00, 20 side by side, spread over the offices. */
async function bookDay(ctx: AppContext, officeIds: string[], total: number, dayStart: number): Promise<void> {
  const perOffice = Math.ceil(total / officeIds.length);
  for (const [o, officeId] of officeIds.entries()) {
    const count = Math.min(perOffice, total - o * perOffice);
    if (count <= 0) break;
    const { municipality_id } = await ctx.db
      .selectFrom('office')
      .select('municipality_id')
      .where('id', '=', officeId)
      .executeTakeFirstOrThrow();
    const rows = Array.from({ length: count }, (_, i) => {
      const start = dayStart + Math.floor(i / 20) * 600_000;
      return {
        reference: `B${o}-${i}`,
        municipality_id,
        office_id: officeId,
        starts_at: new Date(start),
        ends_at: new Date(start + 600_000),
        status: 'confirmed' as const,
        source: 'online' as const,
        language: 'de' as const,
        citizen_name: `Person ${o}-${i}`,
        citizen_email: `p${o}-${i}@bench.example`,
        citizen_phone: null,
        manage_token_hash: randomBytes(16).toString('hex'),
        confirmation_code_hash: null,
        reserved_until: null,
        created_at: new Date(),
        updated_at: new Date(),
      };
    });
    for (let i = 0; i < rows.length; i += 1000) {
      const ids = await ctx.db
        .insertInto('appointment')
        .values(rows.slice(i, i + 1000))
        .returning('id')
        .execute();
      await ctx.db
        .insertInto('appointment_service')
        .values(ids.map(({ id }) => ({ appointment_id: id, municipality_id, service_id: 'short', persons: 1 })))
        .execute();
    }
    await sql`UPDATE capacity_unit u SET load = u.load + x.n
      FROM (SELECT gs AS starts_at, count(*)::int AS n FROM appointment a, generate_series(a.starts_at, a.ends_at - interval '5 minutes', interval '5 minutes') gs
            WHERE a.office_id = ${officeId} GROUP BY gs) x
      WHERE u.office_id = ${officeId} AND u.starts_at = x.starts_at`.execute(ctx.db);
  }
}
