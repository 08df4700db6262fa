import { appointmentUnits } from '../../domain/duration.ts';
import { UNIT_MINUTES } from '../../domain/capacity-types.ts';
import type { Service } from '../../db/schema.ts';
import type { RequestedService } from '../../app/shared/service-selection.ts';
import type { UiLanguage } from '../language.ts';
import { totalFeeCents } from './format.ts';

// The citizen's choice of services travels between the steps as one query parameter in the JSON
// API's format, `personalausweis:2,meldebescheinigung`, so every step is a plain bookmarkable link.

const SERVICES_PARAM = /^[a-z0-9_-]{1,64}(:\d{1,2})?(,[a-z0-9_-]{1,64}(:\d{1,2})?){0,9}$/;

export function parseServices(value: string | undefined | null): RequestedService[] | null {
  if (!value || !SERVICES_PARAM.test(value)) return null;
  const list = value.split(',').map((part) => {
    const [serviceId = '', persons] = part.split(':');
    return { serviceId, persons: persons === undefined ? 1 : Number(persons) };
  });
  if (list.some((s) => s.persons < 1) || new Set(list.map((s) => s.serviceId)).size !== list.length) return null;
  return list;
}

export function servicesParam(list: readonly RequestedService[]): string {
  return list.map((s) => (s.persons === 1 ? s.serviceId : `${s.serviceId}:${s.persons}`)).join(',');
}

export type ChosenService = {
  id: string;
  name: string;
  persons: number;
  durationMinutes: number;
  furtherMinutes: number | null;
  feeCents: number | null;
  documents: string[];
};
export type SelectionSummary = { items: ChosenService[]; totalMinutes: number; totalFeeCents: number; documents: string[] };

/** Names, duration, fees and documents of a choice, in the page language; null if a service is unknown. */
export function describeSelection(
  services: readonly Service[],
  chosen: readonly RequestedService[],
  language: UiLanguage,
): SelectionSummary | null {
  const byId = new Map(services.map((s) => [s.id, s]));
  const items: ChosenService[] = [];
  for (const { serviceId, persons } of chosen) {
    const s = byId.get(serviceId);
    if (!s) return null;
    items.push({
      id: s.id,
      name: language === 'en' ? s.name_en : s.name_de,
      persons,
      durationMinutes: s.duration_minutes,
      furtherMinutes: s.duration_further_minutes,
      feeCents: s.fee_cents,
      documents: language === 'en' ? s.documents_en : s.documents_de,
    });
  }
  if (items.length === 0) return null;
  const units = appointmentUnits(
    items.map((i) => ({ durationMinutes: i.durationMinutes, furtherMinutes: i.furtherMinutes, persons: i.persons })),
  );
  return {
    items,
    totalMinutes: units * UNIT_MINUTES,
    totalFeeCents: totalFeeCents(items),
    documents: [...new Set(items.flatMap((i) => i.documents))],
  };
}
