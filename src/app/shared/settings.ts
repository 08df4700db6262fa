import type { AppContext } from './context.ts';

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

export function closureSettings(ctx: AppContext): ClosureSettings {
  return { ...DEFAULT_CLOSURE_SETTINGS, ...ctx.settings.closures };
}
