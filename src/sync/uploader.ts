import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { journalEntryOf, type JournalEntry } from './journal-entry.ts';

// Sends the branch's journal to the central server, in order, in batches. Runs on a timer (not
// only when something new is written) and takes the central high-water mark as the truth: when it
// went back (a restore from backup), the entries after it are sent again.
// While the central server is away the branch asks it every 1–3 s (random, so 50 branches do not
// arrive in lockstep) with a cheap probe of /healthz and a short timeout, not with the journal
// itself: a hanging server costs 2 s a probe instead of the upload's 15 s, and the journal goes out
// the moment the central answers (#18 item 3; before, an exponential backoff up to 30 s left 10–24 s
// between the central's return and the branch's first upload).

export type UploadSource = {
  ackedSeq(): Promise<number>;
  lastSeq(): Promise<number>;
  pending(afterSeq: number, limit: number): Promise<JournalEntry[]>;
  recordContact(input: { highWater: number; at: number }): Promise<void>;
  recordError(message: string): Promise<void>;
};

export type UploaderOptions = {
  source: UploadSource;
  centralUrl: string;
  branchId: string;
  token: string;
  now?: () => number;
  fetch?: typeof fetch;
  batchSize?: number;
  /** Pause between rounds when everything is sent (a restore is noticed within this time). */
  idleMs?: number;
  /** While cut off: the pause between probes is drawn from [probeMinMs, probeMaxMs]. */
  probeMinMs?: number;
  probeMaxMs?: number;
  probeTimeoutMs?: number;
  requestTimeoutMs?: number;
  random?: () => number;
  log?: (message: string) => void;
};

export type UploaderStatus = {
  pending: number;
  lastContactAt: number | null;
  failures: number;
  lastError: string | null;
  rewinds: number;
  duplicates: number;
};

/** The central server silent for longer than this (or failing now) means the branch is cut off: Notbetrieb. */
export const CUT_OFF_AFTER_MS = 30_000;

export type Uploader = {
  /** Wakes the loop now (a new entry was written). */
  kick(): void;
  /** Cut off from the central server now: the last round failed, or none has succeeded within CUT_OFF_AFTER_MS (or ever). */
  isCutOff(): boolean;
  /** One round: sends what is pending; resolves with the number of entries the central server confirmed. */
  status(): Promise<UploaderStatus>;
  /** Resolves when nothing is pending, rejects after timeoutMs. */
  drain(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
};

type Answer = { highWater: number; results: { status: string }[] };

export function journalUrl(centralUrl: string, branchId: string): string {
  return `${centralUrl.replace(/\/$/, '')}/api/v1/sync/branches/${encodeURIComponent(branchId)}/journal`;
}

/** POSTs entries; returns the central answer, or for a gap the high-water mark to continue from. */
export async function postEntries(
  options: Pick<UploaderOptions, 'centralUrl' | 'branchId' | 'token' | 'fetch' | 'requestTimeoutMs'>,
  entries: JournalEntry[],
  cancel?: AbortSignal,
): Promise<Answer> {
  const doFetch = options.fetch ?? fetch;
  const res = await doFetch(journalUrl(options.centralUrl, options.branchId), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ entries }),
    signal: withCancel(AbortSignal.timeout(options.requestTimeoutMs ?? 15_000), cancel),
  });
  const body = (await res.json().catch(() => null)) as {
    highWater?: number;
    results?: { status: string }[];
    error?: { code: string; message: string; details?: { highWater?: number } };
  } | null;
  if (res.status === 200 && typeof body?.highWater === 'number') return { highWater: body.highWater, results: body.results ?? [] };
  if (res.status === 409 && body?.error?.code === 'journal_gap' && typeof body.error.details?.highWater === 'number')
    return { highWater: body.error.details.highWater, results: [] };
  throw new Error(`central answered ${res.status}: ${body?.error?.code ?? ''} ${body?.error?.message ?? ''}`.trim());
}

/**
 * Whether the central server answers at all (GET /healthz): any answer below 500 will do, the
 * journal round that follows finds out the rest. Never throws.
 */
export async function probeCentral(
  options: Pick<UploaderOptions, 'centralUrl' | 'fetch' | 'probeTimeoutMs'>,
  cancel?: AbortSignal,
): Promise<boolean> {
  try {
    const res = await (options.fetch ?? fetch)(`${options.centralUrl.replace(/\/$/, '')}/healthz`, {
      signal: withCancel(AbortSignal.timeout(options.probeTimeoutMs ?? 2_000), cancel),
    });
    await res.body?.cancel().catch(() => {});
    return res.status < 500;
  } catch {
    return false;
  }
}

function withCancel(timeout: AbortSignal, cancel: AbortSignal | undefined): AbortSignal {
  return cancel ? AbortSignal.any([timeout, cancel]) : timeout;
}

/** The pause before the next probe: uniform in [min, max], so branches spread out. */
export function probeDelay(random: () => number, minMs = 1_000, maxMs = 3_000): number {
  return minMs + random() * (maxMs - minMs);
}

export function startUploader(options: UploaderOptions): Uploader {
  const { source } = options;
  const now = options.now ?? Date.now;
  const batchSize = options.batchSize ?? 200;
  const idleMs = options.idleMs ?? 2_000;
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => {});
  let stopped = false;
  let failures = 0;
  let lastError: string | null = null;
  let lastContactAt: number | null = null;
  let rewinds = 0;
  let duplicates = 0;
  let wake: (() => void) | null = null;
  let kicked = false;
  let timer: NodeJS.Timeout | null = null;
  // Stopping cancels a request in flight (a central server that never answers must not hold the
  // shutdown for its timeout); what it carried is sent again after the restart, and the central
  // server applies each operation once however often it arrives.
  const stopping = new AbortController();

  /** Resolves 'kick' when woken (a new entry, drain, stop), 'timer' when the time ran out. */
  const sleep = (ms: number) =>
    new Promise<'kick' | 'timer'>((resolve) => {
      wake = () => resolve('kick');
      timer = setTimeout(() => resolve('timer'), ms);
    }).finally(() => {
      if (timer) clearTimeout(timer);
      wake = null;
    });

  /** Sends one batch; true when there may be more to send right away. */
  const round = async (): Promise<boolean> => {
    kicked = false;
    const acked = await source.ackedSeq();
    const entries = await source.pending(acked, batchSize);
    const answer = await postEntries(options, entries, stopping.signal);
    lastContactAt = now();
    failures = 0;
    lastError = null;
    duplicates += answer.results.filter((r) => r.status === 'duplicate').length;
    if (answer.highWater < acked) {
      rewinds++;
      log(
        `Zentrale kennt nur Vorgänge bis ${answer.highWater} (Sicherung zurückgespielt?); sende ab ${answer.highWater + 1} erneut / central went back, re-sending`,
      );
    }
    await source.recordContact({ highWater: answer.highWater, at: lastContactAt });
    return entries.length > 0 && answer.highWater !== acked;
  };

  /** After a failed round: probe until the central server answers (or the loop is stopped or kicked). */
  const waitForCentral = async () => {
    while (!stopped) {
      // A new entry (also one written during the last probe) tries the journal itself at once: it may get through.
      if (kicked || (await sleep(probeDelay(random, options.probeMinMs, options.probeMaxMs))) === 'kick') return;
      if (stopped || (await probeCentral(options, stopping.signal))) return;
      // A probe without answer is a failed contact too: the status counts them, the banner stays up.
      failures++;
      lastError = 'Zentrale antwortet nicht / central server not answering';
    }
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        const more = await round();
        if (!more && !stopped) await sleep(idleMs);
      } catch (error) {
        failures++;
        lastError = (error as Error).message;
        await source.recordError(lastError).catch(() => {});
        await waitForCentral();
      }
    }
  })();

  const status = async (): Promise<UploaderStatus> => {
    const [acked, last] = await Promise.all([source.ackedSeq(), source.lastSeq()]);
    return { pending: Math.max(0, last - acked), lastContactAt, failures, lastError, rewinds, duplicates };
  };

  return {
    kick: () => {
      kicked = true;
      wake?.();
    },
    isCutOff: () => failures > 0 || lastContactAt === null || now() - lastContactAt > CUT_OFF_AFTER_MS,
    status,
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await status();
        if (s.pending === 0 && s.lastContactAt !== null) return;
        if (Date.now() > deadline) throw new Error(`upload not drained: ${JSON.stringify(s)}`);
        wake?.();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      stopped = true;
      stopping.abort();
      wake?.();
      await loop;
    },
  };
}

/** The branch database as the uploader's source: the journal table and the sync state row. */
export function databaseSource(db: Kysely<DB>, branchId: string): UploadSource {
  return {
    async ackedSeq() {
      const row = await db.selectFrom('branch_sync_state').select('acked_seq').where('branch_id', '=', branchId).executeTakeFirst();
      return Number(row?.acked_seq ?? 0);
    },
    async lastSeq() {
      const row = await db
        .selectFrom('branch_journal')
        .select((eb) => eb.fn.max('seq').as('last'))
        .executeTakeFirst();
      return Number(row?.last ?? 0);
    },
    async pending(afterSeq, limit) {
      const rows = await db
        .selectFrom('branch_journal')
        .select(['op_id', 'branch_id', 'seq', 'hlc', 'command', 'cut_off'])
        .where('seq', '>', String(afterSeq))
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(journalEntryOf);
    },
    async recordContact({ highWater, at }) {
      await db
        .updateTable('branch_sync_state')
        .set({ acked_seq: highWater, central_high_water: highWater, last_contact_at: new Date(at), last_error: null })
        .where('branch_id', '=', branchId)
        .execute();
    },
    async recordError(message) {
      await db
        .updateTable('branch_sync_state')
        .set({ last_error: message.slice(0, 500) })
        .where('branch_id', '=', branchId)
        .execute();
    },
  };
}
