import type { DayPlan } from '../../app/appointments/read-day-plan.ts';
import type { UiLanguage } from '../language.ts';
import { toCsv } from './csv.ts';

const HEADINGS: Record<UiLanguage, string[]> = {
  de: ['Datum', 'Beginn', 'Ende', 'Buchungsnummer', 'Status', 'Name', 'Telefon', 'E-Mail', 'Dienstleistungen', 'Buchungsweg'],
  en: ['Date', 'Start', 'End', 'Booking number', 'Status', 'Name', 'Phone', 'Email', 'Services', 'Booked via'],
};

export const STATUS_LABELS: Record<UiLanguage, Record<string, string>> = {
  de: {
    reserved: 'reserviert',
    confirmed: 'bestätigt',
    checked_in: 'eingecheckt',
    called: 'aufgerufen',
    served: 'erledigt',
    no_show: 'nicht erschienen',
    cancelled: 'abgesagt',
    expired: 'verfallen',
  },
  en: {
    reserved: 'reserved',
    confirmed: 'confirmed',
    checked_in: 'checked in',
    called: 'called',
    served: 'served',
    no_show: 'no-show',
    cancelled: 'cancelled',
    expired: 'expired',
  },
};

export const SOURCE_LABELS: Record<UiLanguage, Record<string, string>> = {
  de: { online: 'online', phone: 'Telefon', counter: 'Schalter', rebooking: 'Umbuchung' },
  en: { online: 'online', phone: 'phone', counter: 'counter', rebooking: 'rebooking' },
};

/** The day plan as a spreadsheet: times as the office reads them (HH:MM), one row per appointment. */
export function dayPlanCsv(plan: DayPlan, language: UiLanguage): string {
  const rows = plan.entries.map((e) => [
    plan.date,
    e.start.slice(11, 16),
    e.end.slice(11, 16),
    e.reference,
    STATUS_LABELS[language][e.status] ?? e.status,
    e.citizen.name,
    e.citizen.phone,
    e.citizen.email,
    e.services.map((s) => `${s.persons} × ${language === 'de' ? s.nameDe : s.nameEn}`).join(', '),
    SOURCE_LABELS[language][e.source] ?? e.source,
  ]);
  return toCsv([HEADINGS[language], ...rows]);
}

export function dayPlanFilename(plan: DayPlan): string {
  return `tagesplan-${plan.office.id}-${plan.date}.csv`;
}
