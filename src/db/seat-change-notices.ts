import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

// Several app processes on one PostgreSQL each keep availability in memory (app/booking/availability-cache.ts).
// A process that changes seats tells the others through LISTEN/NOTIFY which office days changed — a
// booking also the units' new loads, so the others patch their cached days instead of reading them
// again. The notice goes out after the commit in a statement of its own: NOTIFY inside the booking's
// transaction would hold PostgreSQL's global notify lock through the commit and so serialise all
// bookings (measured: a sixth of the throughput). Notices can be lost while a listener reconnects, so
// `onListening` tells the caller when to trust them (and forget what it may have missed) and
// `onLost` when to fall back on short expiry. No cached answer can overbook: booking re-checks.

const CHANNEL = 'schalter_seats';
const MAX_PAYLOAD = 7_000; // PostgreSQL allows 8,000 bytes per notification

/** A unit's load after a committed booking (epoch ms of the unit's start). */
export type TakenSeat = { startsAt: number; load: number };
/** Office days [start, end) changed; with `seats`, only these units' loads did. */
export type SeatChange = { officeId: string; start: number; end: number; seats?: readonly TakenSeat[] };

export type SeatChangeNotices = {
  /** Resolves once this process listens (used by tests; serving does not wait for it). */
  listening: Promise<void>;
  publish(change: SeatChange): void;
  stop(): Promise<void>;
};

export function startSeatChangeNotices(options: {
  db: Kysely<DB>;
  databaseUrl: string;
  onChange: (change: SeatChange) => void;
  /** Notices flow from now on; anything before may have been missed. */
  onListening?: () => void;
  /** The listening connection is gone; notices are missed until onListening again. */
  onLost?: () => void;
  log?: (message: string, error?: unknown) => void;
}): SeatChangeNotices {
  const origin = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  let pending: SeatChange[] = [];
  let flushing = false;
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let markListening = () => {};
  const listening = new Promise<void>((resolve) => (markListening = resolve));

  const listen = async (attempt = 0) => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('error', () => reconnect(next, attempt + 1));
    next.on('end', () => reconnect(next, attempt + 1));
    next.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      const [from, ...changes] = message.payload.split(';');
      if (from === origin) return;
      for (const entry of changes) {
        const change = decode(entry);
        if (change) options.onChange(change);
      }
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      options.onListening?.();
      markListening();
    } catch (error) {
      if (attempt === 0)
        options.log?.(
          "Seat change notices: listening failed, retrying (searches see other processes' bookings within a second meanwhile)",
          error,
        );
      reconnect(next, attempt + 1);
    }
  };
  const reconnect = (failed: pg.Client, attempt: number) => {
    if (client === failed) {
      client = null;
      options.onLost?.();
    }
    failed.removeAllListeners('end');
    failed.end().catch(() => {});
    if (stopped || retry) return;
    retry = setTimeout(
      () => {
        retry = null;
        void listen(attempt);
      },
      Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)),
    );
    retry.unref();
  };

  // Changes of one event-loop turn go out as one notification (a booking storm would otherwise send
  // one per booking).
  const flush = async () => {
    flushing = false;
    const batch = pending;
    pending = [];
    let payload = origin;
    const send = async (text: string) => {
      await sql`SELECT pg_notify(${CHANNEL}, ${text})`
        .execute(options.db)
        .catch((error) => options.log?.('Seat change notice not sent', error));
    };
    for (const c of batch) {
      const entry = `;${encode(c)}`;
      if (payload.length + entry.length > MAX_PAYLOAD) {
        await send(payload);
        payload = origin;
      }
      payload += entry;
    }
    if (payload !== origin) await send(payload);
  };

  void listen();
  return {
    listening,
    publish(change) {
      if (stopped) return;
      pending.push(change);
      if (!flushing) {
        flushing = true;
        setImmediate(() => void flush());
      }
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = null;
      if (current) {
        current.removeAllListeners('end');
        await current.end().catch(() => {});
      }
    },
  };
}

// office|start|end[|startsAt:load,startsAt:load…]; office ids are slugs or UUIDs (no '|', ';').
function encode(change: SeatChange): string {
  const head = `${change.officeId}|${change.start}|${change.end}`;
  return change.seats ? `${head}|${change.seats.map((s) => `${s.startsAt}:${s.load}`).join(',')}` : head;
}

function decode(entry: string): SeatChange | null {
  const [officeId, start, end, seats] = entry.split('|');
  if (!officeId || !start || !end) return null;
  const change: SeatChange = { officeId, start: Number(start), end: Number(end) };
  if (seats === undefined) return change;
  const parsed = seats.split(',').map((pair) => {
    const [startsAt, load] = pair.split(':').map(Number);
    return { startsAt: startsAt!, load: load! };
  });
  // A garbled entry must not corrupt a cache: treat it as "these days changed".
  return parsed.every((s) => Number.isFinite(s.startsAt) && Number.isInteger(s.load)) ? { ...change, seats: parsed } : change;
}
