import { parseArgs } from 'node:util';
import { cachedSchedules, type OfficeSchedule } from '../app/shared/catalogue.ts';
import { closureCounts, runClosure, unfinishedClosures, type ClosureProgress } from '../app/closures/run-closure.ts';
import { openClosure, previewClosure } from '../app/closures/open-closure.ts';
import type { AppContext } from '../app/shared/context.ts';
import { readInstant, readIsoDate, readLocalInstant } from '../domain/calendar-text.ts';
import { DomainError } from '../domain/errors.ts';
import { localDayBounds } from '../domain/zoned-time.ts';
import { domainErrorText } from './cli-errors.ts';

// `schalter close`: the team lead's one action from a terminal, when the staff pages are out of
// reach (the story's data-centre failure). The job runs in this process with a progress bar; if the
// process dies, `schalter close --resume` or the next `schalter serve` carries on where it stopped.

export const CLOSE_HELP = `  close --office ID --from WHEN --to WHEN --reason TEXT [--counters 1,2] [--no-notify] [--no-offers] [--preview]
                     close an office (or some counters) and tell everyone affected; WHEN is
                     2026-11-26T07:30 (office time), an ISO time with offset, a date (from its
                     start / to its end) or "now". --preview only counts who would be affected.
  close --office ID,ID… | --municipality ID,ID… | --all  --from WHEN --to WHEN --reason TEXT
                     close several offices at once: those named, every office of the towns
                     named, or every office of the installation (a data centre's failure);
                     every office's bookings stop first, then each office's people are told
  close --resume [ID]   carry on with interrupted closures (all of them without ID)
`;

export type CloseIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal: then the bar redraws in place, otherwise one line per batch. */
  isTty: boolean;
  open: () => Promise<{ ctx: AppContext; close: () => Promise<void> }>;
};

class Usage extends Error {}

export async function runCloseCommand(args: string[], io: CloseIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        office: { type: 'string' },
        municipality: { type: 'string' },
        all: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        reason: { type: 'string' },
        counters: { type: 'string' },
        'no-notify': { type: 'boolean' },
        'no-offers': { type: 'boolean' },
        preview: { type: 'boolean' },
        resume: { type: 'boolean' },
      },
    });
    if (values.resume) return await resume(io, positionals[0]);
    if (positionals.length > 0) throw new Usage(`unexpected argument "${positionals[0]}"`);
    const reason = required(values.reason, '--reason');
    const counters = values.counters ? parseCounters(values.counters) : null;
    const chosen = [values.office, values.municipality, values.all].filter((v) => v !== undefined).length;
    if (chosen !== 1) throw new Usage('name the offices with exactly one of --office, --municipality or --all');
    const from = required(values.from, '--from');
    const to = required(values.to, '--to');
    const { ctx, close } = await io.open();
    try {
      const schedules = await officesToClose(ctx, values);
      if (counters && schedules.length > 1) throw new Usage('--counters needs exactly one office');
      const requests = schedules.map(({ office }) => ({
        officeId: office.id,
        from: parseWhen(from, office.time_zone, 'start', ctx.now()),
        to: parseWhen(to, office.time_zone, 'end', ctx.now()),
        reason,
        counters,
        notify: !values['no-notify'],
        offerReplacements: !values['no-offers'],
      }));
      const several = requests.length > 1;
      const nameOf = new Map(schedules.map((s) => [s.office.id, s.office.name]));
      if (values.preview) {
        const total = { appointments: 0, email: 0, sms: 0, phoneOnly: 0, unreachable: 0 };
        for (const request of requests) {
          const r = await previewClosure(ctx, request);
          io.out(`${JSON.stringify(several ? { officeId: request.officeId, ...r } : r)}\n`);
          for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += r[key];
          if (several) io.err(`${nameOf.get(request.officeId)}: ${affectedLine(r)}\n`);
        }
        io.err(`${several ? `Zusammen / together (${requests.length} Standorte / offices): ` : ''}${affectedLine(total)}\n`);
        return 0;
      }
      // Every office stops taking bookings before anyone is told: the notification jobs take
      // minutes per office, and a citizen must not book into an office closed a minute later.
      const opened: { officeId: string; closureId: string }[] = [];
      for (const request of requests) {
        const o = await openClosure(ctx, { ...request, actor: 'cli' });
        opened.push({ officeId: request.officeId, closureId: o.closure.id });
        io.err(
          `${several ? `${nameOf.get(request.officeId)}: ` : ''}Schließung / closure ${o.closure.id}: ${o.affected} Termine; E-Mail ${o.notifications.email}, SMS ${o.notifications.sms}, Anrufliste / call list ${o.notifications.callList}\n`,
        );
        io.out(`${o.closure.id}\n`);
      }
      io.err('Kapazität entfernt: keine neuen Buchungen in diesem Zeitraum / capacity removed: no new bookings in this range\n');
      let code = 0;
      for (const o of opened) {
        if (several) io.err(`${nameOf.get(o.officeId)}:\n`);
        code = Math.max(code, await runWithBar(ctx, io, o.closureId));
      }
      return code;
    } finally {
      await close();
    }
  } catch (error) {
    if (error instanceof Usage || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`schalter: ${(error as Error).message}\n\n${CLOSE_HELP}`);
      return 2;
    }
    if (error instanceof DomainError) {
      io.err(`${domainErrorText(error)}\n`);
      return ['unknown_office', 'validation_failed'].includes(error.code) ? 2 : 1;
    }
    throw error;
  }
}

const affectedLine = (r: { appointments: number; email: number; sms: number; phoneOnly: number; unreachable: number }) =>
  `${r.appointments} Termine betroffen / appointments affected: E-Mail ${r.email}, SMS ${r.sms}, nur Telefon / phone only ${r.phoneOnly}, nicht erreichbar / unreachable ${r.unreachable}`;

/**
 * The offices a closure names: a list of ids, every office of some towns, or every office. All are
 * checked before any is closed: a typo in the fifth id must not leave four offices closed.
 */
async function officesToClose(
  ctx: AppContext,
  values: { office?: string | undefined; municipality?: string | undefined; all?: boolean | undefined },
): Promise<OfficeSchedule[]> {
  const all = (await cachedSchedules(ctx)).filter((s) => s.office.retired_at === null);
  if (values.all) return all;
  if (values.office !== undefined) {
    const ids = list(values.office, '--office');
    const unknown = ids.filter((id) => !all.some((s) => s.office.id === id));
    if (unknown.length > 0) throw new DomainError('unknown_office', `Unknown office: ${unknown.join(', ')}`);
    return ids.map((id) => all.find((s) => s.office.id === id)!);
  }
  const towns = list(values.municipality!, '--municipality');
  const known = new Set((await ctx.db.selectFrom('municipality').select('id').execute()).map((m) => m.id));
  const unknown = towns.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Usage(`unknown municipality: ${unknown.join(', ')} (known: ${[...known].sort().join(', ') || 'none'})`);
  const offices = all.filter((s) => s.office.municipality_id !== null && towns.includes(s.office.municipality_id));
  if (offices.length === 0) throw new Usage(`no office belongs to ${towns.join(', ')}`);
  return offices;
}

function list(value: string, flag: string): string[] {
  const ids = [...new Set(value.split(',').map((s) => s.trim()))].filter(Boolean);
  if (ids.length === 0) throw new Usage(`${flag} needs at least one id`);
  return ids;
}

async function resume(io: CloseIo, id: string | undefined): Promise<number> {
  const { ctx, close } = await io.open();
  try {
    const ids = id ? [id] : await unfinishedClosures(ctx.db);
    if (ids.length === 0) io.err('Keine unterbrochene Schließung / no interrupted closure\n');
    for (const closureId of ids) {
      io.err(`Setze fort / resuming ${closureId}\n`);
      const code = await runWithBar(ctx, io, closureId);
      if (code !== 0) return code;
    }
    return 0;
  } finally {
    await close();
  }
}

async function runWithBar(ctx: AppContext, io: CloseIo, closureId: string): Promise<number> {
  const started = Date.now();
  const draw = (p: ClosureProgress) => io.err(`${io.isTty ? '\r' : ''}${progressBar(p, Date.now() - started)}${io.isTty ? '' : '\n'}`);
  draw(await closureCounts(ctx.db, closureId));
  const final = await runClosure(ctx, closureId, { onProgress: draw });
  if (io.isTty) io.err('\n');
  io.err(
    `Fertig / done: ${final.done} abgesagt und benachrichtigt / cancelled and told, ${final.skipped} schon erledigt / already gone, ${final.pending} offen / pending\n`,
  );
  return final.pending === 0 ? 0 : 1;
}

/** "[##########..........]  85/170  50 %  3.2 s" */
export function progressBar(p: ClosureProgress, elapsedMs: number, width = 30): string {
  const finished = p.done + p.skipped;
  const share = p.total === 0 ? 1 : finished / p.total;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(finished).padStart(String(p.total).length)}/${p.total} ${String(Math.floor(share * 100)).padStart(3)} %  ${(elapsedMs / 1000).toFixed(1)} s`;
}

/** Office-local wall time, ISO instant, a date (its start, or for --to its end) or "now"; read as the API reads them. */
export function parseWhen(value: string, timeZone: string, edge: 'start' | 'end', now: number): number {
  const v = value.trim();
  if (v === 'now') return now;
  const date = readIsoDate(v);
  const ms = date
    ? localDayBounds(date, timeZone)[edge === 'start' ? 0 : 1]
    : /([+-]\d{2}:\d{2}|Z)$/.test(v)
      ? readInstant(v)
      : // A wall time that does not exist (the hour skipped in March) is refused rather than guessed.
        readLocalInstant(v, timeZone);
  if (ms === null) throw new Usage(`cannot read the time "${value}" (e.g. 2026-11-26T07:30, 2026-11-26, now)`);
  return ms;
}

function parseCounters(value: string): number[] {
  const list = value.split(',').map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Usage(`--counters must be counter numbers like 1,2 (not "${value}")`);
  return list;
}

function required(value: string | undefined, flag: string): string {
  if (!value?.trim()) throw new Usage(`${flag} is required`);
  return value.trim();
}
