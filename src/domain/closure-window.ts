import { Temporal } from 'temporal-polyfill';
import { readIsoDate, readLocalInstant } from './calendar-text.ts';
import { localDayStart } from './zoned-time.ts';

// The quick choices of the team lead's closure form ("heute", "jetzt bis 18:00", "ganzer Tag",
// several days, or free times) turned into instants. Dates and times are read in the office's time
// zone; a local time that does not exist (the DST gap) is refused rather than silently moved.

export type ClosureChoice =
  | { kind: 'now-until-18' }
  | { kind: 'rest-of-today' }
  | { kind: 'day'; date: string }
  | { kind: 'days'; date: string; untilDate: string }
  | { kind: 'free'; from: string; to: string };

export type ClosureChoiceKind = ClosureChoice['kind'];
export const CLOSURE_CHOICES: readonly ClosureChoiceKind[] = ['now-until-18', 'rest-of-today', 'day', 'days', 'free'];

/** Which form field is wrong, and why; the page turns the reason into German or English. */
export type ClosureChoiceProblem = {
  field: 'date' | 'untilDate' | 'from' | 'to';
  reason: 'missing' | 'invalid' | 'order' | 'past' | 'too_long';
};

/** Longest closure the form accepts in one go; longer ones are almost always a typo in a date. */
export const MAX_CLOSURE_DAYS = 31;

export function closureWindowFromChoice(
  choice: ClosureChoice,
  input: { now: number; timeZone: string },
): { from: number; to: number } | ClosureChoiceProblem {
  const nowZoned = Temporal.Instant.fromEpochMilliseconds(input.now).toZonedDateTimeISO(input.timeZone);
  const today = nowZoned.toPlainDate();
  const startOf = (d: Temporal.PlainDate) => localDayStart(d, input.timeZone);
  let window: { from: number; to: number };
  switch (choice.kind) {
    case 'now-until-18': {
      const six = today.toZonedDateTime({ timeZone: input.timeZone, plainTime: Temporal.PlainTime.from('18:00') }).epochMilliseconds;
      if (six <= input.now) return { field: 'to', reason: 'past' };
      window = { from: input.now, to: six };
      break;
    }
    case 'rest-of-today':
      window = { from: input.now, to: startOf(today.add({ days: 1 })) };
      break;
    case 'day': {
      const date = readIsoDate(choice.date);
      if (!date) return { field: 'date', reason: choice.date ? 'invalid' : 'missing' };
      window = { from: startOf(date), to: startOf(date.add({ days: 1 })) };
      break;
    }
    case 'days': {
      const date = readIsoDate(choice.date);
      if (!date) return { field: 'date', reason: choice.date ? 'invalid' : 'missing' };
      const until = readIsoDate(choice.untilDate);
      if (!until) return { field: 'untilDate', reason: choice.untilDate ? 'invalid' : 'missing' };
      if (Temporal.PlainDate.compare(until, date) < 0) return { field: 'untilDate', reason: 'order' };
      window = { from: startOf(date), to: startOf(until.add({ days: 1 })) };
      break;
    }
    case 'free': {
      const from = readLocalInstant(choice.from, input.timeZone);
      if (from === null) return { field: 'from', reason: choice.from ? 'invalid' : 'missing' };
      const to = readLocalInstant(choice.to, input.timeZone);
      if (to === null) return { field: 'to', reason: choice.to ? 'invalid' : 'missing' };
      if (to <= from) return { field: 'to', reason: 'order' };
      window = { from, to };
      break;
    }
  }
  if (window.to <= input.now)
    return { field: choice.kind === 'free' ? 'to' : choice.kind === 'days' ? 'untilDate' : 'date', reason: 'past' };
  if (window.to - window.from > MAX_CLOSURE_DAYS * 25 * 3_600_000)
    return { field: choice.kind === 'free' ? 'to' : 'untilDate', reason: 'too_long' };
  return window;
}

export function isClosureChoiceProblem(value: { from: number; to: number } | ClosureChoiceProblem): value is ClosureChoiceProblem {
  return 'reason' in value;
}
