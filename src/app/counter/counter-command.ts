import { z } from 'zod';
import { DomainError } from '../../domain/errors.ts';

// The contract of a counter command, written down once: the type every handler, the journal and the
// pages use is inferred from this schema. It validates a command that arrives as JSON (a branch
// node's journal, a replay request) before it reaches executeCounterCommand, and executeCounterCommand
// checks every payload against it, whoever built the command (parseCounterPayload); the JSON routes
// have their own schemas in front of it.

const Uuid = z.uuid();
const Id = z.string().min(1).max(64);
const Counter = z.number().int().min(1).max(999);
const OrderNumber = z.string().min(4).max(40);

const command = <T extends string, P extends z.ZodType>(type: T, payload: P) =>
  z.object({
    type: z.literal(type),
    officeId: Id,
    payload,
    /** 'staff:<id>', 'token:<id>', 'kiosk:<officeId>' — who did it (already authorised). */
    actor: z.string().min(1).max(200),
    /** ISO instant of the action; the only clock a command handler reads. */
    at: z.iso.datetime({ offset: true }),
  });

export const CounterCommandSchema = z.discriminatedUnion('type', [
  command('counter.open', z.object({ counterNumber: Counter })),
  command('counter.close', z.object({ counterNumber: Counter })),
  command('appointment.check_in', z.object({ reference: z.string().min(3).max(20), ticketId: Uuid, priority: z.boolean().optional() })),
  command('walkin.issue', z.object({ serviceId: Id, ticketId: Uuid, priority: z.boolean().optional() })),
  // A same-day slot for a walk-in, from the branch lease (book-walkin-slot.ts); ids and reference chosen where it is given.
  command(
    'walkin.book_slot',
    z.object({
      appointmentId: Uuid,
      reference: z.string().min(3).max(20),
      serviceId: Id,
      persons: z.number().int().min(1).max(10).optional(),
      startsAt: z.iso.datetime({ offset: true }),
    }),
  ),
  command('ticket.call_next', z.object({ counterNumber: Counter })),
  command('ticket.call', z.object({ ticketId: Uuid, counterNumber: Counter })),
  command('ticket.call_again', z.object({ ticketId: Uuid })),
  command('ticket.served', z.object({ ticketId: Uuid })),
  command('ticket.no_show', z.object({ ticketId: Uuid })),
  command('ticket.forward', z.object({ ticketId: Uuid, toCounter: Counter.nullable(), toServiceId: Id.nullable() })),
  command('appointment.cancel', z.object({ appointmentId: Uuid })),
  command(
    'fee.paid',
    z.object({
      paymentId: Uuid,
      amountCents: z.number().int().min(0),
      method: z.enum(['cash', 'card']),
      ticketId: Uuid.nullable().optional(),
      documentOrderNumber: OrderNumber.nullable().optional(),
    }),
  ),
  command(
    'document.register',
    z.object({
      documentId: Uuid,
      orderNumber: OrderNumber,
      kind: z.enum(['id_card', 'passport', 'child_passport', 'residence_permit', 'other']),
      holderName: z.string().min(1).max(200),
      email: z.string().max(254).nullable().optional(),
      phone: z.string().max(40).nullable().optional(),
      language: z.enum(['de', 'en']).optional(),
      state: z.enum(['in_production', 'ready']).optional(),
      source: z.enum(['counter', 'api', 'import']).optional(),
    }),
  ),
  command('document.ready', z.object({ orderNumber: OrderNumber })),
  command(
    'document.hand_out',
    z.object({
      orderNumber: OrderNumber,
      recipient: z.enum(['holder', 'authorised']),
      authorisedName: z.string().max(200).nullable().optional(),
    }),
  ),
  command('document.return', z.object({ orderNumber: OrderNumber })),
]);

export type CounterCommand = z.infer<typeof CounterCommandSchema>;
export type CounterCommandType = CounterCommand['type'];
export type DocumentRegistration = Extract<CounterCommand, { type: 'document.register' }>['payload'];

/** Every command type, in the schema's order (the journal's envelope accepts exactly these). */
export const COUNTER_COMMAND_TYPES = CounterCommandSchema.options.map((option) => option.shape.type.value);

/** The command, or a zod error naming what is wrong. */
export function parseCounterCommand(input: unknown): CounterCommand {
  return CounterCommandSchema.parse(input);
}

const PAYLOADS = new Map(CounterCommandSchema.options.map((option) => [option.shape.type.value, option.shape.payload as z.ZodType]));

/** A payload built from a form, checked against the contract of its command: a 422 naming each field, never a database error. */
export function parseCounterPayload(type: CounterCommandType, payload: unknown): unknown {
  const result = PAYLOADS.get(type)!.safeParse(payload);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new DomainError('validation_failed', `invalid ${type}`, { fields });
}
