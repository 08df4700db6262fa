import { DomainError } from '../../domain/errors.ts';
import { actorOf, type Principal } from '../../domain/staff-access.ts';
import { inTransaction } from '../../db/transaction.ts';
import { enqueueAppointmentMail } from '../messaging/appointment-mail.ts';
import { audit } from '../shared/audit.ts';
import type { AppContext } from '../shared/context.ts';
import { newConfirmationCode } from '../shared/ids.ts';
import { hashSecret, toView, type AppointmentView } from './appointment-record.ts';
import { recordEvent } from './appointment-rows.ts';
import { findAppointmentForStaff, reissueManageToken } from './staff-appointments.ts';

// „Bestätigung erneut senden“ (#22, appointment handling): a caller has lost the mail, or the clerk
// corrected the address. The booking confirmation is built again by the one mail builder and queued
// in the outbox, so it shows in /staff/nachrichten like every message. We keep only a hash of the
// manage link, so the mail carries a fresh one and the old link stops working (as after any staff
// change). A second click within the minute sends nothing more: the mail just queued is the one.

const WINDOW_MS = 60_000;

export async function resendConfirmationByStaff(
  ctx: AppContext,
  principal: Principal,
  input: { appointmentId: string },
): Promise<{ appointment: AppointmentView; queued: boolean }> {
  // A branch node sends no mail (the central server does) and holds no addresses: a mail queued
  // there would never leave the office PC.
  if (ctx.settings.branchNode) throw new DomainError('set_centrally', 'Confirmations are sent by the central server');
  const now = ctx.now();
  const actor = actorOf(principal);
  const { row, queued } = await inTransaction(ctx.db, async (trx) => {
    const appointment = await findAppointmentForStaff(trx, principal, input.appointmentId, { lock: true });
    if ((appointment.status !== 'reserved' && appointment.status !== 'confirmed') || appointment.ends_at.getTime() <= now)
      throw new DomainError('invalid_state', `The appointment is ${appointment.status}`, { status: appointment.status });
    if (!appointment.citizen_email) throw new DomainError('no_email_address', 'No email address for this appointment');
    const key = `appointment:${appointment.id}:confirmation-resent:${Math.floor(now / WINDOW_MS)}`;
    const already = await trx.selectFrom('outbox').select('id').where('dedupe_key', '=', key).executeTakeFirst();
    if (already) return { row: appointment, queued: false };
    const manageToken = await reissueManageToken(ctx, trx, appointment);
    // A reservation still to be confirmed needs its code in the mail; only its hash is kept.
    const confirmCode = appointment.status === 'reserved' && appointment.confirmation_code_hash ? newConfirmationCode(ctx) : null;
    if (confirmCode)
      await trx
        .updateTable('appointment')
        .set({ confirmation_code_hash: hashSecret(confirmCode), confirmation_failures: 0 })
        .where('id', '=', appointment.id)
        .execute();
    await enqueueAppointmentMail(ctx, trx, { kind: 'booked', appointment, manageToken, confirmCode, messageKey: key });
    await recordEvent(trx, {
      appointmentId: appointment.id,
      at: now,
      actor,
      action: 'confirmation_resent',
      from: appointment.status,
      to: appointment.status,
      details: { channel: 'email' },
    });
    await audit(trx, {
      actor,
      action: 'appointment.resend_confirmation',
      entity: 'appointment',
      entityId: appointment.id,
      officeId: appointment.office_id,
      at: now,
      details: { reference: appointment.reference, channel: 'email' },
    });
    return { row: appointment, queued: true };
  });
  return { appointment: await toView(ctx.db, row), queued };
}
