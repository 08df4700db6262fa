import { appointmentUnits } from '../../domain/duration.ts';
import type { BookingChannel } from '../../domain/capacity-types.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Service } from '../../db/schema.ts';
import { cachedServices } from './catalogue.ts';
import type { CacheContext } from './context.ts';

export type RequestedService = { serviceId: string; persons: number };
export type ServiceSelection = { items: { service: Service; persons: number }[]; durationUnits: number };

/** Checks a citizen's or clerk's choice of services against the catalogue and sizes the appointment. */
export async function resolveServiceSelection(
  ctx: CacheContext,
  requested: readonly RequestedService[],
  channel: BookingChannel,
): Promise<ServiceSelection> {
  if (requested.length === 0) throw new DomainError('validation_failed', 'At least one service is required');
  const ids = requested.map((r) => r.serviceId);
  if (new Set(ids).size !== ids.length) throw new DomainError('validation_failed', 'A service is listed twice');
  const services = await cachedServices(ctx, ids);
  const items = requested.map(({ serviceId, persons }) => {
    const service = services.get(serviceId)!;
    if (channel === 'online' && !service.online_bookable) {
      throw new DomainError('service_not_bookable_online', `${service.name_de} cannot be booked online`, { serviceId });
    }
    // The one place every channel's request passes: a count of people below one is not a request.
    if (!Number.isInteger(persons) || persons < 1) {
      throw new DomainError('validation_failed', `persons must be at least 1 for ${service.name_de}`, {
        fields: [{ path: 'persons', message: 'at least 1' }],
      });
    }
    if (persons > service.max_persons) {
      throw new DomainError('too_many_persons', `At most ${service.max_persons} persons for ${service.name_de}`, {
        serviceId,
        maxPersons: service.max_persons,
      });
    }
    return { service, persons };
  });
  const durationUnits = appointmentUnits(
    items.map((i) => ({
      durationMinutes: i.service.duration_minutes,
      furtherMinutes: i.service.duration_further_minutes,
      persons: i.persons,
    })),
  );
  return { items, durationUnits };
}
