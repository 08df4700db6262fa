import { z } from '@hono/zod-openapi';
import { Email, IsoDate, IsoDateTime, Phone } from '../edge-fields.ts';

/** Ids of offices and services. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9_-]+$/, 'lower-case id');

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

export const OfficeSchema = z.object({ id: z.string(), name: z.string(), address: z.string(), timeZone: z.string() }).openapi('Office');

export const ServiceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    durationMinutes: z.number().int(),
    feeCents: z.number().int().nullable(),
    onlineBookable: z.boolean(),
    maxPersons: z.number().int(),
    documents: z.array(z.string()),
  })
  .openapi('Service');

export const SlotSchema = z.object({ officeId: z.string(), start: IsoDateTime, end: IsoDateTime }).openapi('Slot');

export const ServiceRequestSchema = z.object({
  serviceId: Id,
  persons: z.number().int().min(1).max(20).default(1),
});

export const AppointmentSchema = z
  .object({
    id: z.uuid(),
    reference: z.string().openapi({ example: 'K7M-4Q2' }),
    status: z.enum(['reserved', 'confirmed', 'checked_in', 'called', 'served', 'no_show', 'cancelled', 'expired']),
    officeId: z.string(),
    start: IsoDateTime,
    end: IsoDateTime,
    services: z.array(z.object({ serviceId: z.string(), persons: z.number().int() })),
    language: z.enum(['de', 'en']),
    source: z.string(),
    reservedUntil: IsoDateTime.nullable(),
    citizen: z.object({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
  })
  .openapi('Appointment');

export const BookingBodySchema = z
  .object({
    officeId: Id,
    start: IsoDateTime,
    services: z.array(ServiceRequestSchema).min(1).max(10),
    citizen: z.object({
      name: z.string().trim().min(1).max(200),
      email: Email.nullish(),
      phone: Phone.nullish(),
    }),
    language: z.enum(['de', 'en']).default('de'),
  })
  .openapi('BookingRequest');

export const ManageTokenParam = z.object({
  manageToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .openapi({ param: { name: 'manageToken', in: 'path' }, description: 'The secret from the booking response or the manage link' }),
});

/**
 * The town of a Kreis installation (#20) whose offices and services are meant, when neither the host
 * nor a `/{municipality}/api/v1` prefix names it. A one-town installation needs none.
 */
export const MunicipalityQuery = z.object({
  municipality: Id.optional().openapi({
    description:
      'Id of the town (municipality) in a Kreis installation with several towns. Not needed when the request comes to the town’s own host name or under /{municipality}/api/v1, nor in an installation with one town. Several towns and none named: 422 municipality_required.',
    example: 'castrop-rauxel',
  }),
});

export const AvailabilityQuerySchema = MunicipalityQuery.extend({
  services: z
    .string()
    .regex(/^[a-z0-9_-]+(:\d{1,5})?(,[a-z0-9_-]+(:\d{1,5})?)*$/, 'ID[:PERSONS][,ID[:PERSONS]…]')
    .openapi({ example: 'personalausweis:2,meldebescheinigung' }),
  office: Id.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** `personalausweis:2,meldebescheinigung` -> [{serviceId, persons}] */
export function parseServicesParam(value: string): { serviceId: string; persons: number }[] {
  return value.split(',').map((part) => {
    const [serviceId = '', persons] = part.split(':');
    return { serviceId, persons: persons === undefined ? 1 : Number(persons) };
  });
}
