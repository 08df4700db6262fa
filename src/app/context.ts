import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export type AppSettings = {
  publicUrl: string;
  /** 'email': online bookings stay reserved until the link in the mail is used. */
  confirmation: 'email' | 'none';
  reservationMinutes: number;
  capacityDays: number;
};

/** What every use case needs: the database, the time, randomness and settings — all injectable for tests. */
export type AppContext = {
  db: Kysely<DB>;
  now: () => number;
  randomBytes: (size: number) => Uint8Array;
  settings: AppSettings;
};
