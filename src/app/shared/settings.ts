// The application's settings: built from the config (src/config.ts) in src/bootstrap.ts and carried in the AppContext.

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
  /**
   * Figures per clerk on the statistics page (#17 item 3): only after a Dienstvereinbarung with the
   * staff council (docs/decisions/0013-clerk-figures.md). Absent: off.
   */
  clerkFigures?: boolean;
  /** Closures, replacement offers, reminders, waiting list; defaults below. */
  closures?: Partial<ClosureSettings>;
};

/** Tunables of closures, replacement offers, reminders and the waiting list (from config; defaults here). */
export type ClosureSettings = {
  /** An SMS gateway is configured: mobile-only contacts get an SMS instead of a call. */
  smsEnabled: boolean;
  /** How long a replacement is held for an answer. */
  holdHours: number;
  /** How far ahead replacements are searched (beyond the public release wave if needed). */
  replacementDays: number;
  /** No replacement starts sooner than this: people need time to read and come. */
  replacementLeadMinutes: number;
  /** Appointments per closure-job transaction. */
  batchSize: number;
  /** Pause between batches, to leave the database to public bookings on a small machine. */
  pauseMs: number;
  /** Appointment reminders go out this many hours before the start. */
  reminderHours: number;
  /** How long a waiting-list offer is held. */
  waitlistHoldHours: number;
};

export const DEFAULT_CLOSURE_SETTINGS: ClosureSettings = {
  smsEnabled: false,
  holdHours: 48,
  replacementDays: 28,
  replacementLeadMinutes: 120,
  batchSize: 200,
  pauseMs: 0,
  reminderHours: 24,
  waitlistHoldHours: 2,
};

export function closureSettings(ctx: { settings: AppSettings }): ClosureSettings {
  return { ...DEFAULT_CLOSURE_SETTINGS, ...ctx.settings.closures };
}
