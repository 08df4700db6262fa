import { DomainError } from '../../domain/errors.ts';
import { lotteryOrder } from '../../domain/fair-release.ts';
import type { Language } from '../../db/schema.ts';
import { inTransaction } from '../../db/transaction.ts';
import { bookAppointment } from './book-appointment.ts';
import type { AppContext } from '../shared/context.ts';
import { enqueueMessage } from '../messaging/enqueue-message.ts';
import { officeTownIn } from '../setup/town-site-url.ts';

// Decides the entries of closed fair release windows (src/app/booking/fair-release.ts), in draw order. Each
// entry is booked through the ordinary booking use case (seats, per-contact limit, confirmation mail)
// and marked decided in the same transaction; an entry whose slot is gone meanwhile is marked
// unavailable together with its mail. So every entry is decided exactly once: a crash or a second
// runner resumes with the pending rest, in the same order.

export type LotteryRun = { decided: number; booked: number; unavailable: number };

class AlreadyDecided extends Error {}

export async function runReleaseLottery(ctx: AppContext, options: { batchSize?: number } = {}): Promise<LotteryRun> {
  const run: LotteryRun = { decided: 0, booked: 0, unavailable: 0 };
  for (;;) {
    const now = ctx.now();
    const due = await ctx.db
      .selectFrom('release_request')
      .selectAll()
      .where('state', '=', 'pending')
      .where('window_closes_at', '<=', new Date(now))
      .orderBy('window_closes_at')
      .orderBy('draw')
      .orderBy('id')
      .limit(options.batchSize ?? 200)
      .execute();
    if (due.length === 0) return run;
    const ordered = lotteryOrder(due.map((row) => ({ ...row, closesAt: row.window_closes_at.getTime(), draw: Number(row.draw) })));
    for (const entry of ordered) {
      const outcome = await decide(ctx, entry);
      if (outcome === 'skipped') continue;
      run.decided++;
      run[outcome]++;
    }
  }
}

type Entry = {
  id: string;
  office_id: string;
  starts_at: Date;
  services: { serviceId: string; persons: number }[];
  citizen_name: string;
  citizen_email: string | null;
  citizen_phone: string | null;
  language: Language;
};

async function decide(ctx: AppContext, entry: Entry): Promise<'booked' | 'unavailable' | 'skipped'> {
  const decidedAt = new Date(ctx.now());
  try {
    await bookAppointment(ctx, {
      officeId: entry.office_id,
      start: entry.starts_at.getTime(),
      services: entry.services,
      citizen: { name: entry.citizen_name, email: entry.citizen_email, phone: entry.citizen_phone },
      language: entry.language,
      actor: 'release-lottery',
      // The booking commits only together with the entry's decision.
      within: async (trx, appointment) => {
        const claimed = await trx
          .updateTable('release_request')
          .set({ state: 'booked', appointment_id: appointment.id, decided_at: decidedAt })
          .where('id', '=', entry.id)
          .where('state', '=', 'pending')
          .returning('id')
          .executeTakeFirst();
        if (!claimed) throw new AlreadyDecided();
      },
    });
    return 'booked';
  } catch (error) {
    if (error instanceof AlreadyDecided) return 'skipped';
    if (!(error instanceof DomainError)) throw error;
    return (await markUnavailable(ctx, entry, error.code, decidedAt)) ? 'unavailable' : 'skipped';
  }
}

async function markUnavailable(ctx: AppContext, entry: Entry, code: string, decidedAt: Date): Promise<boolean> {
  return inTransaction(ctx.db, async (trx) => {
    const claimed = await trx
      .updateTable('release_request')
      .set({ state: 'unavailable', outcome_code: code, decided_at: decidedAt })
      .where('id', '=', entry.id)
      .where('state', '=', 'pending')
      .returning('id')
      .executeTakeFirst();
    if (!claimed || !entry.citizen_email) return claimed !== undefined;
    const town = await officeTownIn(ctx, trx, entry.office_id);
    const mail = unavailableMail(entry.language, town.siteUrl);
    await enqueueMessage(ctx, trx, {
      key: `release-request:${entry.id}:unavailable`,
      to: { email: entry.citizen_email, phone: entry.citizen_phone },
      message: { ...mail, html: null },
      policy: 'email',
      from: town.mailFrom,
    });
    return true;
  });
}

function unavailableMail(language: Language, publicUrl: string): { subject: string; text: string } {
  if (language === 'en') {
    return {
      subject: 'Appointment draw: the time you asked for went to someone else',
      text: `Hello,\n\nthe times released this morning were given out by lottery among everyone who asked in the first minutes. This time, the time you asked for went to someone else.\n\nMore times may still be free: ${publicUrl}/\n\nYour citizen office`,
    };
  }
  return {
    subject: 'Terminverlosung: Ihr Wunschtermin ging an jemand anderen',
    text: `Guten Tag,\n\ndie heute freigegebenen Termine wurden unter allen verlost, die in den ersten Minuten angefragt haben. Ihr Wunschtermin ging dabei leider an jemand anderen.\n\nVielleicht sind noch andere Zeiten frei: ${publicUrl}/\n\nIhr Bürgerbüro`,
  };
}
