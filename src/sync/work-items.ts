import type { Kysely } from 'kysely';
import type { CounterCommand } from '../app/counter-commands.ts';
import type { DB } from '../db/schema.ts';

// Klärfälle: what a branch did during Notbetrieb that the central state did not allow. The action
// stands (it happened at the counter); a team lead decides what follows.

const localTime = (iso: string | number) =>
  new Date(iso).toLocaleTimeString('de-DE', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });

/** A sentence a team lead understands, e.g. „Dokument PA-1 wurde am Standort um 10:15 ausgegeben; zentral: invalid_state (…)“. */
export function conflictMessage(command: CounterCommand, refused: { code: string; message: string }, now: number): string {
  const what = describe(command);
  return `${what} am Standort um ${localTime(command.at)} (Notbetrieb); zentral um ${localTime(now)} nicht zulässig: ${refused.message} [${refused.code}]`;
}

function describe(command: CounterCommand): string {
  switch (command.type) {
    case 'document.hand_out':
      return `Dokument ${command.payload.orderNumber} ausgegeben`;
    case 'fee.paid':
      return `Gebühr ${(command.payload.amountCents / 100).toFixed(2)} € kassiert`;
    case 'walkin.issue':
      return 'Spontankunde angenommen';
    case 'appointment.check_in':
      return `Termin ${command.payload.reference} eingecheckt`;
    case 'appointment.cancel':
      return 'Termin am Schalter abgesagt';
    default:
      return `Aktion ${command.type}`;
  }
}

export type WorkItem = { id: string; officeId: string; kind: string; message: string; createdAt: string; opId: string | null };

export async function listOpenWorkItems(db: Kysely<DB>, officeId: string): Promise<WorkItem[]> {
  const rows = await db.selectFrom('sync_work_item').selectAll().where('office_id', '=', officeId).where('resolved_at', 'is', null).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, officeId: r.office_id, kind: r.kind, message: r.message, createdAt: r.created_at.toISOString(), opId: r.op_id }));
}
