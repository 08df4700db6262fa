import { spawn } from 'node:child_process';
import path from 'node:path';
import { Temporal } from 'temporal-polyfill';
import { afterAll, describe, expect, it } from 'vitest';
import { countOverbookedUnits } from '../../bench/bench-town.ts';
import { openDatabase, type Database } from '../../src/db/connection.ts';
import { scratchEnvironment, testDbKind } from '../helpers/test-db.ts';

// Invariant 3 under a crash: `schalter close` is killed with SIGKILL in the middle of its job;
// `schalter close --resume` finishes it. Nobody is cancelled, held or told twice, nobody is left out.

const BIN = path.resolve(import.meta.dirname, '../../bin/schalter.js');

type Run = { code: number | null; out: string; err: string };

function schalter(args: string[], env: Record<string, string>, onErr?: (text: string, kill: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => {
      err += chunk;
      onErr?.(err, () => child.kill('SIGKILL'));
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe(`schalter close survives SIGKILL mid-run (${testDbKind})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function environment(): Promise<Record<string, string>> {
    return {
      ...(await scratchEnvironment('close', cleanups)),
      ...{ SCHALTER_CLOSURE_BATCH: '10', SCHALTER_CLOSURE_PAUSE_MS: '400', PUBLIC_URL: 'http://schalter.test' },
    };
  }

  const open = (env: Record<string, string>): Promise<Database> =>
    env.DATABASE_URL
      ? openDatabase({ databaseUrl: env.DATABASE_URL, poolSize: 2 })
      : openDatabase({ dataDir: path.join(env.SCHALTER_DATA_DIR!, 'pglite') });

  it('is killed after a few batches; --resume finishes without a single duplicate', { timeout: 300_000 }, async () => {
    const env = await environment();
    const seeded = await schalter(['seed', '--demo'], env);
    expect(seeded.code, seeded.err + seeded.out).toBe(0);

    // The demo's busy Thursday (and whatever else the Rathaus has) for the next eight days.
    const until = Temporal.Now.plainDateISO('Europe/Berlin').add({ days: 8 }).toString();
    const args = ['close', '--office', 'rathaus', '--from', 'now', '--to', until, '--reason', 'technische Störung'];
    let killedAt = -1;
    const first = await schalter(args, env, (err, kill) => {
      const done = [...err.matchAll(/\] +(\d+)\/(\d+) /g)].map((m) => Number(m[1]));
      if (killedAt < 0 && (done.at(-1) ?? 0) >= 20) {
        killedAt = done.at(-1)!;
        kill();
      }
    });
    expect(first.code, first.err).toBeNull(); // killed, not finished
    const closureId = first.out.trim();
    expect(closureId).toMatch(/^[0-9a-f-]{36}$/);

    let db = await open(env);
    const items = await db.db.selectFrom('closure_item').select(['state', 'channel']).where('closure_id', '=', closureId).execute();
    const total = items.length;
    expect(total).toBeGreaterThan(100);
    const doneBefore = items.filter((i) => i.state !== 'pending').length;
    expect(doneBefore).toBeGreaterThanOrEqual(20);
    expect(doneBefore).toBeLessThan(total);
    await db.close();

    const resumed = await schalter(['close', '--resume'], env);
    expect(resumed.code, resumed.err).toBe(0);
    expect(resumed.err).toContain(`${total}/${total} 100 %`);

    db = await open(env);
    try {
      const after = await db.db
        .selectFrom('closure_item')
        .select(['appointment_id', 'state', 'channel', 'offer_id'])
        .where('closure_id', '=', closureId)
        .execute();
      expect(after.filter((i) => i.state === 'pending')).toHaveLength(0);
      const told = after.filter((i) => i.state === 'done');
      // Exactly one message per person told by mail or SMS, one call-list entry per person without.
      const messages = await db.db
        .selectFrom('outbox')
        .select('dedupe_key')
        .where('dedupe_key', 'like', `closure:${closureId}:%`)
        .execute();
      const calls = await db.db.selectFrom('call_list_entry').select('appointment_id').where('closure_id', '=', closureId).execute();
      expect(messages).toHaveLength(told.filter((i) => i.channel === 'email' || i.channel === 'sms').length);
      expect(calls).toHaveLength(told.filter((i) => i.channel === 'call' || i.channel === 'none').length);
      expect(new Set(calls.map((c) => c.appointment_id)).size).toBe(calls.length);
      // One offer and one cancellation per person; holds take seats once.
      const offers = await db.db
        .selectFrom('replacement_offer')
        .select(['original_appointment_id', 'held_appointment_id'])
        .where('closure_id', '=', closureId)
        .execute();
      expect(offers).toHaveLength(told.length);
      expect(new Set(offers.map((o) => o.original_appointment_id)).size).toBe(told.length);
      const cancellations = await db.db
        .selectFrom('appointment_event')
        .select(['appointment_id', (eb) => eb.fn.countAll<string>().as('n')])
        .where(
          'appointment_id',
          'in',
          told.map((i) => i.appointment_id),
        )
        .where('action', '=', 'cancelled')
        .groupBy('appointment_id')
        .execute();
      expect(cancellations).toHaveLength(told.length);
      expect(cancellations.every((c) => Number(c.n) === 1)).toBe(true);
      const holds = await db.db
        .selectFrom('appointment')
        .select('id')
        .where('source', '=', 'rebooking')
        .where('status', '=', 'reserved')
        .execute();
      expect(holds).toHaveLength(offers.filter((o) => o.held_appointment_id).length);
      expect(await countOverbookedUnits(db.db)).toBe(0);
      const closure = await db.db.selectFrom('closure').select('state').where('id', '=', closureId).executeTakeFirstOrThrow();
      expect(closure.state).toBe('done');
    } finally {
      await db.close();
    }
  });
});
