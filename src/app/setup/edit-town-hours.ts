// The hours page (#19, „Öffnungszeiten und Besetzung“) edits one office's weekly plan and its
// exceptions inside the exported town document, which then goes through the same preview and apply
// as the CLI. Pure: no database, no clock.
import type { StaffingChange, StaffingLine } from '../../domain/staffing-day.ts';
import type { Weekday } from '../../domain/capacity-types.ts';
import { WEEKDAY_KEYS, type TownFileInput } from './town-file-schema.ts';

type DocOffice = TownFileInput['offices'][number];
export type DocHours = DocOffice['hours'][number];
export type DocException = NonNullable<DocOffice['exceptions']>[number];

/** The office's plan as the staffing read of a date takes it: one line per weekday of each hours line. */
export function staffingPlanOf(office: DocOffice): { lines: StaffingLine[]; changes: StaffingChange[] } {
  const lines = office.hours.flatMap((h) =>
    h.days.map((day) => ({
      weekday: (WEEKDAY_KEYS.indexOf(day) + 1) as Weekday,
      from: h.from,
      to: h.to,
      appointment: h.appointmentCounters,
      walkin: h.walkinCounters ?? 0,
      repeat: {
        everyWeeks: h.everyWeeks ?? 1,
        startingFrom: h.startingFrom ?? null,
        validFrom: h.validFrom ?? null,
        validTo: h.validTo ?? null,
      },
    })),
  );
  const changes = (office.exceptions ?? []).map((x) => ({
    date: x.date,
    until: x.until ?? null,
    from: x.from ?? null,
    to: x.to ?? null,
    appointment: x.appointmentCounters,
    walkin: x.walkinCounters ?? null,
    reason: x.reason,
  }));
  return { lines, changes };
}

/** The office's weekly plan replaced by `hours` (the form's lines, in their order). */
export function withHours(doc: TownFileInput, officeId: string, hours: DocHours[]): TownFileInput {
  const next = structuredClone(doc);
  const office = next.offices.find((o) => o.id === officeId);
  if (office) office.hours = hours;
  return next;
}

/**
 * An exception added (at = null) or the one at index `at` replaced; `exception` null removes it.
 * A new one goes before the first later date, so the file keeps reading like a calendar.
 */
export function withException(doc: TownFileInput, officeId: string, at: number | null, exception: DocException | null): TownFileInput {
  const next = structuredClone(doc);
  const office = next.offices.find((o) => o.id === officeId);
  if (!office) return next;
  const list = [...(office.exceptions ?? [])];
  if (at !== null && at >= 0 && at < list.length) list.splice(at, 1);
  if (exception) {
    const after = list.findIndex((x) => x.date > exception.date);
    list.splice(after < 0 ? list.length : after, 0, exception);
  }
  office.exceptions = list;
  return next;
}
