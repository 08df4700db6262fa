// The offices page (#19) edits what the town file says about one office — address, contact,
// directions, accessibility, its counters (names, services, added, removed) — inside the exported document, which
// then goes through the same preview and apply as the CLI. Pure: no database, no clock.
import type { TownFileInput } from './town-file-schema.ts';

type DocOffice = TownFileInput['offices'][number];

/** The office's profile fields as the form sends them; undefined leaves a key out (not stated). */
export type OfficeProfile = Pick<DocOffice, 'name' | 'address' | 'phone' | 'email' | 'directions' | 'publicTransport' | 'accessibility'>;

/** Each existing counter's name and services (undefined: every service of the office), or its removal. */
export type CounterEdit = { number: number; name: string | undefined; services: string[] | undefined; remove?: boolean };

/** A counter to add, numbered after the highest one. */
export type NewCounter = { name: string | undefined; services: string[] | undefined };

/** The number a new counter gets: one above the highest, so numbers on the signs never move. */
export const nextCounterNumber = (office: DocOffice) => Math.max(0, ...office.counters.map((c) => c.number)) + 1;

/** The services an office offers (an office without `services` offers every one of the file). */
export const officeServices = (doc: TownFileInput, office: DocOffice) => office.services ?? doc.services.map((s) => s.id);

export function withOfficeProfile(
  doc: TownFileInput,
  officeId: string,
  profile: OfficeProfile,
  counters: CounterEdit[],
  added?: NewCounter,
): TownFileInput {
  const next = structuredClone(doc);
  const office = next.offices.find((o) => o.id === officeId);
  if (!office) return next;
  for (const key of ['name', 'address', 'phone', 'email', 'directions', 'publicTransport', 'accessibility'] as const) {
    if (profile[key] === undefined) delete office[key];
    else (office as Record<string, unknown>)[key] = profile[key];
  }
  const number = nextCounterNumber(office);
  office.counters = office.counters
    .filter((counter) => !counters.find((c) => c.number === counter.number)?.remove)
    .map((counter) => {
      const edit = counters.find((c) => c.number === counter.number);
      if (!edit) return counter;
      const { name: _name, services: _services, ...rest } = counter;
      return { ...rest, ...(edit.name ? { name: edit.name } : {}), ...(edit.services ? { services: edit.services } : {}) };
    });
  if (added)
    office.counters.push({ number, ...(added.name ? { name: added.name } : {}), ...(added.services ? { services: added.services } : {}) });
  return next;
}
