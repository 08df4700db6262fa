import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ClosureSettings } from './settings.ts';
import type { AfterApply } from '../counter/execute-counter-command.ts';

export type AppSettings = {
  publicUrl: string;
  /** 'email': online bookings stay reserved until the link in the mail is used. */
  confirmation: 'email' | 'none';
  reservationMinutes: number;
  capacityDays: number;
  /**
   * Open (reserved or confirmed, not yet over) online appointments one person (email, else phone)
   * may hold per service; null = no limit. Default 1. Keeps release-time scripts from hoarding slots.
   */
  openAppointmentsPerContact?: number | null;
  /**
   * Fair release window (docs/scaling.md): online requests for a wave's new slots in the first this
   * many minutes after its release are decided by lottery. null/absent: off, first come first served.
   */
  fairReleaseMinutes?: number | null;
  /**
   * Share of each day's seats leased to an office's branch node (src/app/booking/branch-lease.ts); 'auto'
   * (default): the office's expected no-show + walk-in share.
   */
  branchLeaseShare?: number | 'auto';
  /**
   * Set on a branch node (docs/decisions/0009-branch-credentials.md): its staff log in with the
   * branch PIN they chose on the central server at `centralUrl`, and no second factor is asked here.
   */
  branchNode?: { centralUrl: string };
  /** Closures, replacement offers, reminders, waiting list; defaults in closure-settings.ts. */
  closures?: Partial<ClosureSettings>;
};

/** What every use case needs: the database, the time, randomness and settings — all injectable for tests. */
export type AppContext = {
  db: Kysely<DB>;
  now: () => number;
  randomBytes: (size: number) => Uint8Array;
  settings: AppSettings;
  /**
   * Set on a branch node: journals every counter command in its transaction (src/sync/branch-journal.ts).
   * executeCounterCommand runs it when the caller passes no afterApply of its own.
   */
  afterCounterCommand?: AfterApply;
};
