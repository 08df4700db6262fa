import { z } from '@hono/zod-openapi';
import { DOCUMENT_KINDS } from '../../domain/document-order.ts';
import { Email, Phone } from '../edge-fields.ts';
import { Id } from './schemas.ts';

// Schemas of the day at the office: queue, counters, walk-ins, document pickup.

export const CounterParam = z.object({
  officeId: Id.openapi({ param: { name: 'officeId', in: 'path' }, example: 'rathaus' }),
  counterNumber: z.coerce
    .number()
    .int()
    .min(1)
    .max(999)
    .openapi({ param: { name: 'counterNumber', in: 'path' }, example: 1 }),
});
export const TicketParam = z.object({
  officeId: Id.openapi({ param: { name: 'officeId', in: 'path' }, example: 'rathaus' }),
  ticketId: z.uuid().openapi({ param: { name: 'ticketId', in: 'path' } }),
});
export const OrderParam = z.object({
  officeId: Id.openapi({ param: { name: 'officeId', in: 'path' }, example: 'rathaus' }),
  orderNumber: z
    .string()
    .min(4)
    .max(40)
    .openapi({ param: { name: 'orderNumber', in: 'path' }, example: 'PA-2026-0042' }),
});
export const OfficeAppointmentParam = z.object({
  officeId: Id.openapi({ param: { name: 'officeId', in: 'path' }, example: 'rathaus' }),
  appointmentId: z.uuid().openapi({ param: { name: 'appointmentId', in: 'path' } }),
});
export const PublicOrderParam = z.object({
  orderNumber: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: 'orderNumber', in: 'path' }, example: 'PA-2026-0042' }),
});

export const TicketSchema = z
  .object({
    id: z.uuid(),
    label: z.string().openapi({ example: 'T-041' }),
    kind: z.enum(['appointment', 'walkin']),
    state: z.enum(['waiting', 'called', 'served', 'no_show', 'cancelled']),
    priority: z.boolean(),
    officeId: z.string(),
    day: z.string(),
    appointmentId: z.string().nullable(),
    serviceId: z.string().nullable(),
    dueAt: z.string().nullable(),
    arrivedAt: z.string(),
    calledAt: z.string().nullable(),
    counterNumber: z.number().int().nullable(),
    targetCounter: z.number().int().nullable(),
    callCount: z.number().int(),
  })
  .openapi('Ticket');

export const TicketResponse = z.object({ ticket: TicketSchema.nullable(), waitMinutes: z.number().int().optional() });

const QueueTicket = TicketSchema.extend({ reference: z.string().nullable() });
export const QueueSchema = z
  .object({
    officeId: z.string(),
    day: z.string(),
    waiting: z.array(QueueTicket).openapi({ description: 'In calling order (forwarded tickets aside)' }),
    called: z.array(QueueTicket),
    counts: z.object({ waiting: z.number(), called: z.number(), served: z.number(), noShow: z.number() }),
    walkins: z.object({ issued: z.number(), quota: z.number(), remaining: z.number() }),
    walkinWaitMinutes: z.number(),
    stations: z.array(z.object({ counterNumber: z.number(), actor: z.string(), openedAt: z.string() })),
    counters: z.array(z.object({ number: z.number(), name: z.string() })),
  })
  .openapi('Queue');

export const QueueSettingsSchema = z
  .object({
    walkinQuota: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .nullable()
      .openapi({ description: 'null: derived from the walk-in counters of the staffing plan' }),
    walkinMinutes: z.number().int().min(1).max(240),
    checkinEarlyMinutes: z.number().int().min(0).max(240),
    checkinLateMinutes: z.number().int().min(0).max(240),
  })
  .openapi('QueueSettings');

export const DisplayBoardSchema = z
  .object({
    officeId: z.string(),
    officeName: z.string(),
    day: z.string(),
    lastCallId: z.number().int(),
    calls: z.array(z.object({ label: z.string(), counterNumber: z.number().int(), at: z.string(), state: z.string() })),
    waiting: z.number().int(),
    walkinWaitMinutes: z.number().int(),
  })
  .openapi('DisplayBoard');

export const CheckInSchema = z.object({ reference: z.string().trim().min(3).max(20), priority: z.boolean().optional() });
export const WalkinSchema = z.object({ serviceId: Id, priority: z.boolean().optional() });
export const CallSchema = z.object({ counterNumber: z.number().int().min(1).max(999) });
export const ForwardSchema = z
  .object({ toCounter: z.number().int().min(1).max(999).nullable().default(null), toServiceId: Id.nullable().default(null) })
  .refine((v) => v.toCounter !== null || v.toServiceId !== null, { message: 'toCounter or toServiceId' });
export const PaymentSchema = z.object({
  amountCents: z.number().int().min(0).max(10_000_000),
  method: z.enum(['cash', 'card']),
  ticketId: z.uuid().nullable().optional(),
  documentOrderNumber: z.string().max(40).nullable().optional(),
});

export const DocumentSchema = z
  .object({
    id: z.uuid(),
    orderNumber: z.string(),
    officeId: z.string(),
    kind: z.enum(DOCUMENT_KINDS as [string, ...string[]]),
    state: z.enum(['in_production', 'ready', 'handed_out', 'returned']),
    holderName: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    readyAt: z.string().nullable(),
    handedOutAt: z.string().nullable(),
    handedOutTo: z.enum(['holder', 'authorised']).nullable(),
    authorisedName: z.string().nullable(),
  })
  .openapi('DocumentOrder');

export const DocumentCreateSchema = z.object({
  orderNumber: z.string().trim().min(4).max(40),
  kind: z.enum(['id_card', 'passport', 'child_passport', 'residence_permit', 'other']),
  holderName: z.string().trim().min(1).max(200),
  email: Email.nullable().optional(),
  phone: Phone.nullable().optional(),
  language: z.enum(['de', 'en']).optional(),
  state: z.enum(['in_production', 'ready']).optional(),
});
export const DocumentListQuery = z.object({
  state: z.enum(['in_production', 'ready', 'handed_out', 'returned']).optional(),
  query: z.string().trim().max(100).optional(),
});
export const HandOutSchema = z.object({
  recipient: z.enum(['holder', 'authorised']),
  authorisedName: z.string().trim().max(200).nullable().optional(),
});
export const ImportResultSchema = z
  .object({ created: z.number().int(), ready: z.number().int(), unchanged: z.number().int() })
  .openapi('DocumentImportResult');

export const DocumentStatusSchema = z
  .object({
    orderNumber: z.string(),
    state: z.enum(['in_production', 'ready', 'handed_out', 'returned']),
    kind: z.string(),
    readySince: z.string().nullable(),
    office: z.object({ id: z.string(), name: z.string(), address: z.string() }),
  })
  .openapi('DocumentStatus');
