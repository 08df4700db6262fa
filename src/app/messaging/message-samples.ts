import { Temporal } from 'temporal-polyfill';
import type { MessageKind, MessageTemplate } from '../../domain/message-template.ts';
import { localPlainDate } from '../../domain/zoned-time.ts';
import { renderBookingConfirmation, type MessageLanguage } from './appointment-messages.ts';
import { renderClosureNotice, renderOfferReminder, type OfficeFacts, type RenderedNotice } from './closure-messages.ts';
import { renderDocumentReady } from './document-messages.ts';
import { renderAppointmentReminder } from './reminder-messages.ts';
import { renderWaitingListOffer } from './waiting-list-messages.ts';

// Every citizen message as a sample citizen would get it, rendered by the same functions that write
// the real ones: Erika Mustermann, an appointment tomorrow at 10:00, a replacement held the day after
// at 09:00. No real person's data is used (the texts page shows it to team leads).

export type SampleMessage = { subject: string; text: string; sms: string | null };

export type SampleInput = {
  kind: MessageKind;
  language: MessageLanguage;
  office: OfficeFacts;
  now: number;
  publicUrl: string;
  template: MessageTemplate | null;
  /** The closure notice's reason; the closure form previews with the reason typed there. */
  reason?: string;
};

const TOKEN = 'BEISPIEL';

export function sampleMessage(input: SampleInput): SampleMessage {
  const { language, office, publicUrl, template } = input;
  const de = language === 'de';
  const at = sampleClock(input.now, office.timeZone);
  const name = 'Erika Mustermann';
  const service = de ? 'Personalausweis beantragen' : 'Apply for an identity card';
  const offerLinks = {
    offer: `${publicUrl}/angebot/${TOKEN}`,
    choose: `${publicUrl}/angebot/${TOKEN}/andere`,
    decline: `${publicUrl}/angebot/${TOKEN}/absagen`,
  };
  switch (input.kind) {
    case 'booking_confirmation':
    case 'appointment_confirmed': {
      const asks = input.kind === 'booking_confirmation';
      const m = renderBookingConfirmation(
        {
          language,
          reference: 'ABC-123',
          citizenName: name,
          office,
          start: at(1, 10),
          end: at(1, 10, 30),
          services: [{ name: service, persons: 1, feeCents: 3700, documents: [de ? 'Altes Ausweisdokument' : 'Old identity document'] }],
          manageUrl: `${publicUrl}/termin/${TOKEN}`,
          officeUrl: `${publicUrl}/standorte/beispiel`,
          confirmUrl: asks ? `${publicUrl}/termin/${TOKEN}/bestaetigen?code=123456` : null,
          confirmCode: asks ? '123456' : null,
          reservedUntil: asks ? new Date(input.now + 30 * 60_000) : null,
          sequence: 0,
        },
        template,
      );
      return { subject: m.subject, text: m.text, sms: null };
    }
    case 'appointment_reminder':
      return notice(
        renderAppointmentReminder(
          {
            language,
            citizenName: name,
            reference: 'ABC-123',
            start: at(1, 10),
            end: at(1, 10, 30),
            office,
            cancelUrl: `${publicUrl}/termin/${TOKEN}`,
          },
          template,
        ),
      );
    case 'document_ready':
      return notice(
        renderDocumentReady(
          {
            language,
            holderName: name,
            document: de ? 'Ihr Personalausweis' : 'Your identity card',
            orderNumber: 'PA-1000',
            office,
            statusUrl: `${publicUrl}/status?nummer=PA-1000`,
          },
          template,
        ),
      );
    case 'closure_notice':
      return notice(
        sampleClosureNotice({ language, office, reason: input.reason ?? 'technische Störung', now: input.now, publicUrl, template }),
      );
    case 'waiting_list_offer':
      return notice(
        renderWaitingListOffer(
          {
            language,
            citizenName: name,
            reference: 'DEF-456',
            start: at(2, 9),
            end: at(2, 9, 30),
            deadline: at(1, 18),
            office,
            services: [service],
            link: `${publicUrl}/warteliste/${TOKEN}`,
          },
          template,
        ),
      );
    case 'replacement_reminder':
      return notice(
        renderOfferReminder(
          { language, citizenName: name, reference: 'DEF-456', held: { start: at(2, 9), office, deadline: at(2, 8) }, links: offerLinks },
          template,
        ),
      );
  }
}

function notice(m: { subject: string; text: string; sms: string }): SampleMessage {
  return { subject: m.subject, text: m.text, sms: m.sms };
}

/** Instants `days` after today at the office's local hour:minute. */
function sampleClock(now: number, timeZone: string) {
  const today = localPlainDate(now, timeZone);
  return (days: number, hour: number, minute = 0) =>
    new Date(today.add({ days }).toZonedDateTime({ timeZone, plainTime: new Temporal.PlainTime(hour, minute) }).epochMilliseconds);
}

/** The closure notice of the sample appointment, with the replacement held (the closure form's preview too). */
export function sampleClosureNotice(input: {
  language: MessageLanguage;
  office: OfficeFacts;
  reason: string;
  now: number;
  publicUrl: string;
  template: MessageTemplate | null;
}): RenderedNotice {
  const at = sampleClock(input.now, input.office.timeZone);
  return renderClosureNotice(
    {
      language: input.language,
      reference: 'ABC-123',
      citizenName: 'Erika Mustermann',
      reason: input.reason,
      original: { start: at(1, 10), office: input.office },
      services: [input.language === 'de' ? 'Personalausweis beantragen (1)' : 'Apply for an identity card (1)'],
      held: { start: at(2, 9), end: at(2, 9, 30), office: input.office, reference: 'DEF-456', deadline: at(2, 8) },
      links: {
        offer: `${input.publicUrl}/angebot/${TOKEN}`,
        choose: `${input.publicUrl}/angebot/${TOKEN}/andere`,
        decline: `${input.publicUrl}/angebot/${TOKEN}/absagen`,
      },
    },
    input.template,
  );
}
