import { fillTemplate, type MessageTemplate } from '../../domain/message-template.ts';
import type { MessageLanguage } from './appointment-messages.ts';

// The notice that an ID card or passport is ready for collection: mail and SMS say the same, where to
// come and what to bring. Plain text: it is as often read as an SMS as as a mail.

export type DocumentReadyInput = {
  language: MessageLanguage;
  holderName: string;
  /** „Ihr Personalausweis“ / "Your identity card". */
  document: string;
  orderNumber: string;
  office: { name: string; address: string };
  statusUrl: string;
};

const words = {
  de: {
    hello: 'Guten Tag',
    text: (what: string, order: string, office: string, address: string, status: string) =>
      `${what} (Vorgang ${order}) liegt zur Abholung bereit: ${office}, ${address}.\nBitte bringen Sie Ihr bisheriges Dokument mit. Wer für Sie abholt, braucht eine Vollmacht und den eigenen Ausweis.\nStatus: ${status}`,
    subject: (what: string) => `${what} ist abholbereit`,
  },
  en: {
    hello: 'Hello',
    text: (what: string, order: string, office: string, address: string, status: string) =>
      `${what} (order ${order}) is ready for collection: ${office}, ${address}.\nPlease bring your current document. Someone collecting for you needs a written authorisation and their own ID.\nStatus: ${status}`,
    subject: (what: string) => `${what} is ready for collection`,
  },
} as const;

/** `template`: the municipality's wording (kind `document_ready`), null for the built-in text. */
export function renderDocumentReady(
  input: DocumentReadyInput,
  template: MessageTemplate | null = null,
): { subject: string; text: string; html: null; sms: string } {
  const w = words[input.language];
  const values = {
    name: input.holderName,
    document: input.document,
    order: input.orderNumber,
    office: input.office.name,
    address: input.office.address,
    status: input.statusUrl,
  };
  const builtIn = w.text(input.document, input.orderNumber, input.office.name, input.office.address, input.statusUrl);
  const text = template?.intro ? fillTemplate(template.intro, values) : builtIn;
  return {
    subject: w.subject(input.document),
    text: `${w.hello} ${input.holderName},\n\n${text}\n`,
    html: null,
    sms: template?.sms ? fillTemplate(template.sms, values) : builtIn,
  };
}

/** The built-in wording written as templates: what the texts page starts from. */
export const BUILT_IN_DOCUMENT_READY_TEMPLATES = {
  de: { intro: words.de.text('{document}', '{order}', '{office}', '{address}', '{status}') },
  en: { intro: words.en.text('{document}', '{order}', '{office}', '{address}', '{status}') },
};
