import type { DocumentKind, DocumentState } from '../../domain/document-order.ts';
import type { DocumentOrder } from '../../db/document-schema.ts';

/** A document order as staff see it at the pickup counter and in a counter command's outcome. */
export type DocumentView = {
  id: string;
  orderNumber: string;
  officeId: string;
  kind: DocumentKind;
  state: DocumentState;
  holderName: string;
  email: string | null;
  phone: string | null;
  readyAt: string | null;
  handedOutAt: string | null;
  handedOutTo: 'holder' | 'authorised' | null;
  authorisedName: string | null;
};

export function documentView(d: DocumentOrder): DocumentView {
  return {
    id: d.id,
    orderNumber: d.order_number,
    officeId: d.office_id,
    kind: d.kind,
    state: d.state,
    holderName: d.holder_name,
    email: d.citizen_email,
    phone: d.citizen_phone,
    readyAt: d.ready_at?.toISOString() ?? null,
    handedOutAt: d.handed_out_at?.toISOString() ?? null,
    handedOutTo: d.handed_out_to,
    authorisedName: d.authorised_name,
  };
}
