import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { activeDeviceIds, touchDevices } from './office-devices.ts';
import { readDisplayBoard, type DisplayBoard } from './queue-board.ts';
import { subscribeQueue } from './queue-events.ts';

// One reader per office for all of its open call displays. Each display used to read the board on
// every change and every few seconds by itself: 635 open streams took the board read from 24 ms to
// 1.5 s. Now the first display of an office starts a loop that reads the board once per change (or
// poll tick, for changes made by other processes) and hands the same answer to every display; the
// last one to leave stops it. The number of displays per office is capped.

export type DisplaySnapshot = {
  board: DisplayBoard;
  /** The board as sent (JSON): displays compare it with what they last sent. */
  data: string;
  /** Devices of the office that are not revoked; a display of any other device is closed. */
  devices: ReadonlySet<string>;
  devicesKey: string;
};

export type DisplayFeedOptions = {
  db: Kysely<DB>;
  now: () => number;
  /** Re-read this often without a change notice: processes behind a load balancer do not see each other's. */
  pollMs: number;
  /** Open displays per office in this process. */
  maxPerOffice: number;
  log?: (message: string, error?: unknown) => void;
};

type Viewer = { deviceId: string | null; receive: (snapshot: DisplaySnapshot) => void };

type OfficeFeed = {
  viewers: Set<Viewer>;
  latest: DisplaySnapshot | null;
  dirty: boolean;
  wake: () => void;
  closed: boolean;
  touchedAt: number;
};

/** How often the devices watching a feed are marked as seen (the device list shows minutes). */
const TOUCH_EVERY_MS = 60_000;

export type DisplayFeed = {
  /**
   * Adds a display of the office (deviceId null: admitted by its network). It receives the current
   * snapshot and every changed one. Returns the function to leave, or null when the office is full.
   */
  join(officeId: string, viewer: Viewer): (() => void) | null;
  /** Open displays of one office, or of all. */
  count(officeId?: string): number;
};

export function createDisplayFeed(options: DisplayFeedOptions): DisplayFeed {
  const offices = new Map<string, OfficeFeed>();
  const log = options.log ?? (() => {});

  const read = async (officeId: string): Promise<DisplaySnapshot> => {
    const [board, devices] = await Promise.all([
      readDisplayBoard(options.db, officeId, options.now()),
      activeDeviceIds(options.db, officeId),
    ]);
    return { board, data: JSON.stringify(board), devices, devicesKey: [...devices].sort().join() };
  };

  const run = async (officeId: string, feed: OfficeFeed) => {
    const unsubscribe = subscribeQueue(officeId, () => {
      feed.dirty = true;
      feed.wake();
    });
    try {
      while (!feed.closed) {
        feed.dirty = false;
        try {
          const snapshot = await read(officeId);
          const changed = !feed.latest || snapshot.data !== feed.latest.data || snapshot.devicesKey !== feed.latest.devicesKey;
          if (changed && !feed.closed) {
            feed.latest = snapshot;
            for (const viewer of [...feed.viewers]) viewer.receive(snapshot);
          }
          if (options.now() - feed.touchedAt >= TOUCH_EVERY_MS) {
            feed.touchedAt = options.now();
            await touchDevices(
              options.db,
              [...feed.viewers].flatMap((v) => (v.deviceId ? [v.deviceId] : [])),
              feed.touchedAt,
            );
          }
        } catch (error) {
          // The displays keep what they show and say nothing; the next tick tries again.
          log(`Call display board of ${officeId} could not be read`, error);
        }
        if (feed.dirty || feed.closed) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
          feed.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        feed.wake = () => {};
      }
    } finally {
      unsubscribe();
    }
  };

  return {
    join(officeId, viewer) {
      let feed = offices.get(officeId);
      if (feed && feed.viewers.size >= options.maxPerOffice) return null;
      if (!feed) {
        feed = { viewers: new Set(), latest: null, dirty: false, wake: () => {}, closed: false, touchedAt: options.now() };
        offices.set(officeId, feed);
        void run(officeId, feed);
      }
      const current = feed;
      current.viewers.add(viewer);
      if (current.latest) viewer.receive(current.latest);
      return () => {
        if (!current.viewers.delete(viewer) || current.viewers.size > 0) return;
        // The last display left: stop reading. A display joining later starts a new loop.
        current.closed = true;
        current.wake();
        if (offices.get(officeId) === current) offices.delete(officeId);
      };
    },
    count(officeId) {
      if (officeId !== undefined) return offices.get(officeId)?.viewers.size ?? 0;
      let total = 0;
      for (const feed of offices.values()) total += feed.viewers.size;
      return total;
    },
  };
}

export type { DisplayBoard };
