// The services page (#19) edits one service inside the exported town document and hands the whole
// document to the same preview and apply as the CLI and the JSON API (one code path, two front
// ends). Pure: no database, no clock.
import type { TownFileInput } from './town-file-schema.ts';

type DocService = TownFileInput['services'][number];
type DocOffice = TownFileInput['offices'][number];

/** The ids of the offices that offer the service (an office without `services` offers every one). */
export function officesOffering(doc: TownFileInput, serviceId: string): string[] {
  return doc.offices.filter((o) => offers(o, serviceId)).map((o) => o.id);
}

const offers = (office: DocOffice, serviceId: string) => office.services === undefined || office.services.includes(serviceId);

/**
 * The document with `service` in place of the service `originalId` (null: added at the end),
 * offered by exactly `officeIds`. `service` is what the form made of the typed values and may be
 * invalid: the one reader (checkTownFile) judges it. Fee rules the form does not show stay.
 */
export function withService(doc: TownFileInput, originalId: string | null, service: Record<string, unknown>, officeIds: string[]) {
  const next = structuredClone(doc);
  const index = originalId === null ? -1 : next.services.findIndex((s) => s.id === originalId);
  const before = index >= 0 ? next.services[index] : undefined;
  const merged = { ...service, ...(before?.feeRules?.length ? { feeRules: before.feeRules } : {}) } as unknown as DocService;
  if (index >= 0) next.services[index] = merged;
  else next.services.push(merged);
  const id = typeof service.id === 'string' ? service.id : '';
  const allIds = next.services.map((s) => s.id);
  for (const office of next.offices) {
    const wanted = officeIds.includes(office.id);
    if (office.services === undefined) {
      // "Every service" stays while it stays true; otherwise the office lists what it offers.
      if (!wanted) office.services = allIds.filter((s) => s !== id);
    } else if (wanted && !office.services.includes(id)) office.services = [...office.services, id];
    else if (!wanted) dropFrom(office, id);
  }
  return next;
}

/** The document without the service: no office offers it, no counter serves it. */
export function withoutService(doc: TownFileInput, serviceId: string): TownFileInput {
  const next = structuredClone(doc);
  next.services = next.services.filter((s) => s.id !== serviceId);
  for (const office of next.offices) dropFrom(office, serviceId);
  return next;
}

function dropFrom(office: DocOffice, serviceId: string): void {
  if (office.services) office.services = office.services.filter((s) => s !== serviceId);
  for (const counter of office.counters) if (counter.services) counter.services = counter.services.filter((s) => s !== serviceId);
}
