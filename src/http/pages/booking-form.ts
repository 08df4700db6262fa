import { searchAvailability, type Slot } from '../../app/booking/search-availability.ts';
import type { AppContext } from '../../app/shared/context.ts';
import type { RequestedService } from '../../app/shared/service-selection.ts';
import { readInstant } from '../../domain/calendar-text.ts';
import { Email, Phone } from '../edge-fields.ts';
import type { FormError } from './components.tsx';
import { localDate } from './format.ts';
import type { Messages } from './messages/index.ts';
import { parseServices } from './booking-selection.ts';

/** What the citizen typed, kept verbatim so a re-rendered form loses nothing. */
export type BookingValues = {
  services: string;
  office: string;
  start: string;
  /** Set when the chosen time was taken: the form then offers alternatives around it. */
  taken: string;
  name: string;
  email: string;
  phone: string;
  terms: boolean;
};

export type BookingInput = {
  services: RequestedService[];
  officeId: string;
  start: number;
  citizen: { name: string; email: string | null; phone: string | null };
};

const OFFICE = /^[a-z0-9_-]{1,64}$/;

export function readValues(body: Record<string, unknown>): BookingValues {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
  return {
    services: text('services'),
    office: text('office'),
    start: text('start'),
    taken: text('taken'),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    terms: text('terms') === 'ja',
  };
}

/** The same reading of an instant as the JSON API's (domain/calendar-text). */
export function instantOf(iso: string): number | null {
  return readInstant(iso);
}

/** The slot the form is about (chosen or taken); null when the hidden fields were tampered with. */
export function readSlot(
  values: BookingValues,
): { services: RequestedService[]; officeId: string; start: number | null; taken: number | null } | null {
  const services = parseServices(values.services);
  if (!services || !OFFICE.test(values.office)) return null;
  const start = instantOf(values.start);
  const taken = instantOf(values.taken);
  if (start === null && taken === null) return null;
  return { services, officeId: values.office, start, taken };
}

/** Field checks in reading order, so the error summary lists problems top to bottom. */
export function validate(values: BookingValues, t: Messages, alternativeFieldId: string | null): FormError[] {
  const errors: FormError[] = [];
  if (alternativeFieldId && !instantOf(values.start)) errors.push({ field: alternativeFieldId, message: t.details.chooseTime });
  const name = values.name.trim();
  if (!name) errors.push({ field: 'name', message: t.details.nameRequired });
  else if (name.length > 200) errors.push({ field: 'name', message: t.details.nameTooLong });
  const email = values.email.trim();
  const phone = values.phone.trim();
  if (!email && !phone) errors.push({ field: 'email', message: t.details.contactRequired });
  if (email && !Email.safeParse(email).success) errors.push({ field: 'email', message: t.details.emailInvalid });
  if (phone && !Phone.safeParse(phone).success) errors.push({ field: 'phone', message: t.details.phoneInvalid });
  if (!values.terms) errors.push({ field: 'terms', message: t.details.termsRequired });
  return errors;
}

/**
 * Free starts nearest to a time that was just taken, same office and services: what a clerk at the
 * counter would offer ("10:40 is gone, 10:50 or 11:15?"). Earlier and later times both count.
 */
export async function nearestAlternatives(
  ctx: AppContext,
  input: { services: RequestedService[]; officeId: string; around: number; timeZone: string; count?: number },
): Promise<Slot[]> {
  const from = localDate(Math.max(input.around, ctx.now()), input.timeZone);
  const slots = await searchAvailability(ctx, { services: input.services, officeId: input.officeId, from, limit: 300 });
  return slots
    .filter((s) => s.start !== input.around)
    .sort((a, b) => Math.abs(a.start - input.around) - Math.abs(b.start - input.around) || a.start - b.start)
    .slice(0, input.count ?? 6)
    .sort((a, b) => a.start - b.start);
}
