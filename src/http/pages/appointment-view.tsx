import type { Child } from 'hono/jsx';
import { calendarEvent } from '../../app/messaging/calendar-event.ts';
import type { AppointmentView } from '../../app/appointments/appointment-record.ts';
import { catalogue } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { getAppointment } from '../../app/appointments/manage-appointment.ts';
import type { Office } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import type { UiLanguage } from '../language.ts';
import { Facts, OfficeName } from './components.tsx';
import { formatDateTime, formatMoney, formatTime } from './format.ts';
import type { Messages } from './messages/index.ts';
import type { Page } from './page-context.ts';
import { describeSelection, type SelectionSummary } from './booking-selection.ts';

/** An appointment as the manage pages show it: the use case's view plus names, place and fees. */
export type Shown = {
  token: string;
  view: AppointmentView;
  office: Office;
  selection: SelectionSummary;
  start: number;
  end: number;
  reservedUntil: number | null;
};

export const TOKEN_ROUTE = '/termin/:token{[A-Za-z0-9_-]{43}}';

export async function loadShown(ctx: AppContext, token: string, language: UiLanguage): Promise<Shown> {
  const view = await getAppointment(ctx, token);
  const { offices, services } = await catalogue(ctx);
  const office = offices.find((o) => o.id === view.officeId);
  const selection = describeSelection(services, view.services, language);
  if (!office || !selection) throw new DomainError('not_found', 'Appointment data incomplete');
  return {
    token,
    view,
    office,
    selection,
    start: Date.parse(view.start),
    end: Date.parse(view.end),
    reservedUntil: view.reservedUntil ? Date.parse(view.reservedUntil) : null,
  };
}

export const isOpen = (shown: Shown, now: number) =>
  (shown.view.status === 'reserved' || shown.view.status === 'confirmed') && shown.start > now;

export function whenText(shown: Shown, lang: UiLanguage): string {
  const tz = shown.office.time_zone;
  return `${formatDateTime(new Date(shown.start), tz, lang)} – ${formatTime(new Date(shown.end), tz, lang)}`;
}

export function AppointmentFacts({ page, shown, withStatus = true }: { page: Page; shown: Shown; withStatus?: boolean }) {
  const { t, lang } = page;
  const { view, office, selection } = shown;
  const rows: [string, Child][] = [[t.appointment.reference, view.reference]];
  if (withStatus) rows.push([t.appointment.status, t.appointment.statuses[view.status]]);
  rows.push([t.appointment.when, whenText(shown, lang)], [t.appointment.where, <OfficeName office={office} />]);
  if (office.phone) rows.push([t.appointment.phone, office.phone]);
  rows.push(
    [t.appointment.services, selection.items.map((i) => `${i.name} (${t.units.persons(i.persons)})`).join(', ')],
    [t.appointment.fees, selection.totalFeeCents > 0 ? formatMoney(selection.totalFeeCents, lang) : t.units.free],
  );
  return <Facts rows={rows} />;
}

export function BringList({ page, shown }: { page: Page; shown: Shown }) {
  if (shown.selection.documents.length === 0) return null;
  return (
    <section aria-labelledby="mitbringen">
      <h2 class="kern-heading-medium" id="mitbringen">
        {page.t.appointment.bring}
      </h2>
      <ul class="kern-list kern-list--bullet">
        {shown.selection.documents.map((d) => (
          <li>{d}</li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The calendar file. UID is the one the mails use, so a calendar replaces rather than duplicates
 * the event; SEQUENCE is the current time, higher than any earlier copy (RFC 5545 §3.8.7.4).
 */
export function calendarFile(shown: Shown, t: Messages, manageUrl: string, now: number): string {
  const cancelled = shown.view.status === 'cancelled' || shown.view.status === 'expired';
  return calendarEvent({
    uid: `${shown.view.reference}@schalter`,
    sequence: Math.floor(now / 1000),
    stamp: new Date(now),
    start: new Date(shown.start),
    end: new Date(shown.end),
    summary: `${t.appointment.icsTitle(shown.office.name)}: ${shown.selection.items.map((i) => i.name).join(', ')}`,
    location: `${shown.office.name}, ${shown.office.address}`,
    description: `${t.appointment.reference}: ${shown.view.reference}\n${t.appointment.manageHeading}: ${manageUrl}`,
    status: cancelled ? 'cancelled' : shown.view.status === 'reserved' ? 'tentative' : 'confirmed',
  });
}
