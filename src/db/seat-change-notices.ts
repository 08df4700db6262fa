import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

// Several app processes on one PostgreSQL each keep availability in memory (app/availability-cache.ts).
// A process that books, cancels or moves tells the others through LISTEN/NOTIFY which office days
// changed, so their next search reads those days again instead of waiting for the cache entry to
// expire. Best effort by design: the cache's short expiry still bounds staleness if a notice is lost
// (listener reconnecting), and no cached answer can overbook — the booking statement re-checks.

const CHANNEL = 'schalter_seats';
const MAX_PAYLOAD = 7_000; // PostgreSQL allows 8,000 bytes per notification

export type SeatChange = { officeId: string; start: number; end: number };

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
        const [officeId, start, end] = entry.split('|');
        if (officeId && start && end) options.onChange({ officeId, start: Number(start), end: Number(end) });
      }
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      markListening();
    } catch (error) {
      if (attempt === 0) options.log?.('Seat change notices: listening failed, retrying (searches see other processes\' bookings within a second meanwhile)', error);
      reconnect(next, attempt + 1);
    }
  };
  const reconnect = (failed: pg.Client, attempt: number) => {
    if (client === failed) client = null;
    failed.removeAllListeners('end');
    failed.end().catch(() => {});
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void listen(attempt);
    }, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
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
      await sql`SELECT pg_notify(${CHANNEL}, ${text})`.execute(options.db).catch((error) => options.log?.('Seat change notice not sent', error));
    };
    for (const c of batch) {
      const entry = `;${c.officeId}|${c.start}|${c.end}`;
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
