import { z } from '@hono/zod-openapi';
import { CANCEL_EXPLANATION_MAX, CANCEL_REASONS } from '../../domain/cancel-reasons.ts';
import { Email, IsoDate, IsoDateTime, Phone } from '../edge-fields.ts';
import { AppointmentSchema, BookingBodySchema, Id, ServiceRequestSchema } from './schemas.ts';

export const OfficeIdParam = z.object({ officeId: Id.openapi({ param: { name: 'officeId', in: 'path' }, example: 'mitte' }) });
export const AppointmentIdParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });

export const PrincipalSchema = z
  .object({
    kind: z.enum(['user', 'token']),
    id: z.string(),
    label: z.string(),
    role: z.enum(['clerk', 'teamlead', 'admin']),
    officeIds: z.array(z.string()).openapi({ description: 'Empty for admins, who work for every office' }),
  })
  .openapi('StaffPrincipal');

export const DayPlanQuerySchema = z.object({
  date: IsoDate,
  query: z.string().trim().max(100).optional().openapi({ description: 'Reference (any spelling) or part of the name' }),
});

export const DayPlanEntrySchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    status: z.string(),
    source: z.string(),
    start: IsoDateTime,
    end: IsoDateTime,
    services: z.array(z.object({ serviceId: z.string(), nameDe: z.string(), nameEn: z.string(), persons: z.number().int() })),
    citizen: z.object({ name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }),
  })
  .openapi('DayPlanEntry');

export const DayPlanSchema = z
  .object({
    office: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
    date: IsoDate,
    entries: z.array(DayPlanEntrySchema),
    counts: z.record(z.string(), z.number().int()),
  })
  .openapi('DayPlan');

export const StaffAvailabilityQuerySchema = z.object({
  services: z
    .string()
    .regex(/^[a-z0-9_-]+(:\d{1,5})?(,[a-z0-9_-]+(:\d{1,5})?)*$/, 'ID[:PERSONS][,ID[:PERSONS]…]')
    .openapi({ example: 'personalausweis:2' }),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

// The citizen's booking request without the office, which the URL names.
export const PhoneBookingSchema = BookingBodySchema.omit({ officeId: true }).openapi('PhoneBookingRequest');

export const StaffCancelSchema = z
  .object({
    reason: z.enum(CANCEL_REASONS).default('citizen').openapi({
      description:
        "Said politely in the citizen's cancellation mail. 'citizen': on the caller's request; 'duplicate': booked twice for the same matter; 'not_needed': the matter is settled or needs no appointment; 'office': the office cancels; 'other': another reason, explained",
    }),
    explanation: z
      .string()
      .max(CANCEL_EXPLANATION_MAX)
      .nullish()
      .openapi({ description: "Words for the citizen, quoted in the cancellation mail; required with 'other'" }),
  })
  .openapi('StaffCancelRequest');

export const StaffRescheduleSchema = z.object({ start: IsoDateTime, officeId: Id.optional() }).openapi('StaffRescheduleRequest');

export const AppointmentSearchQuerySchema = z.object({
  query: z
    .string()
    .trim()
    .min(2)
    .max(100)
    .openapi({ description: 'Buchungsnummer (any spelling), part of the name or email address, or a phone number', example: 'K7M-4Q2' }),
  officeId: Id.optional(),
});

export const HistoryEntrySchema = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
});

export const AuditEntrySchema = z
  .object({
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string().nullable(),
    officeId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
    branchId: z
      .string()
      .nullable()
      .openapi({ description: 'The branch node whose journal brought this entry to the central server; null when it happened here' }),
  })
  .openapi('AuditEntry');

export const StaffNoteSchema = z
  .string()
  .nullable()
  .openapi({ description: 'The office’s note on the appointment, for staff only: never shown or sent to the citizen' });

export const StaffAppointmentEditSchema = z
  .object({
    citizen: z
      .object({ name: z.string().trim().min(1).max(200), email: Email.nullish(), phone: Phone.nullish() })
      .optional()
      .openapi({ description: 'The whole contact: name, and a phone number or an email address (or both)' }),
    staffNote: z.string().max(1000).nullable().optional().openapi({ description: 'The note for staff; null or blank removes it' }),
    services: z.array(ServiceRequestSchema).min(1).max(10).optional().openapi({
      description:
        'The whole list of services at the same start. A longer appointment must fit at its time as a phone booking would (else 409 services_do_not_fit, nothing changed)',
    }),
  })
  .openapi('StaffAppointmentEdit');

export const StaffAppointmentEditedSchema = z
  .object({
    appointment: AppointmentSchema,
    staffNote: StaffNoteSchema,
    changed: z
      .array(z.enum(['name', 'email', 'phone', 'staffNote', 'services']))
      .openapi({ description: 'What changed; empty when nothing did' }),
  })
  .openapi('StaffAppointmentEdited');
