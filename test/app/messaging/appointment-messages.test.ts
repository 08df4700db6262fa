import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatMoney,
  formatTime,
  renderBookingConfirmation,
  renderCancellationNotice,
  renderRescheduleConfirmation,
  type AppointmentMessageInput,
} from '../../../src/app/messaging/appointment-messages.ts';

const base: AppointmentMessageInput = {
  language: 'de',
  reference: 'K7X-4Q2',
  citizenName: 'Anna Muster',
  office: { name: 'Bürgerbüro Mitte', address: 'Markt 1, 12345 Musterstadt', phone: '0123 456', timeZone: 'Europe/Berlin' },
  start: new Date('2026-12-03T08:40:00Z'),
  end: new Date('2026-12-03T09:00:00Z'),
  services: [
    { name: 'Personalausweis beantragen', persons: 1, feeCents: 3700, documents: ['Biometrisches Passfoto', 'Alter Ausweis'] },
    { name: 'Meldebescheinigung', persons: 1, feeCents: null, documents: ['Alter Ausweis'] },
  ],
  manageUrl: 'https://termine.example/t/abc?lang=de&x=1',
  confirmUrl: null,
  confirmCode: null,
  reservedUntil: null,
};

/** Minimal RFC 5545 reading: unfold continuation lines, split NAME[;params]:value. */
function parseIcs(base64: string): Map<string, string> {
  const text = Buffer.from(base64, 'base64').toString('utf8');
  const lines = text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter(Boolean);
  return new Map(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).split(';')[0]!, line.slice(colon + 1)];
    }),
  );
}

function icsDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`not a UTC date-time: ${value}`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

describe('formatDateTime / formatMoney', () => {
  it('formats German and English exactly, in the office time zone', () => {
    expect(formatDateTime(base.start, 'Europe/Berlin', 'de')).toBe('Do., 03.12.2026, 09:40 Uhr');
    expect(formatDateTime(base.start, 'Europe/Berlin', 'en')).toBe('Thu, 3 Dec 2026, 9:40 AM');
    expect(formatDateTime(new Date('2026-12-03T23:05:00Z'), 'Europe/Berlin', 'de')).toBe('Fr., 04.12.2026, 00:05 Uhr');
    expect(formatDateTime(new Date('2026-12-03T23:05:00Z'), 'Europe/Berlin', 'en')).toBe('Fri, 4 Dec 2026, 12:05 AM');
    // Summer time: UTC+2.
    expect(formatDateTime(new Date('2026-07-01T12:30:00Z'), 'Europe/Berlin', 'en')).toBe('Wed, 1 Jul 2026, 2:30 PM');
  });

  it('formats each instant in its own zone and language, the same within a local minute', () => {
    const at = new Date('2026-12-03T08:40:00Z');
    expect(formatDateTime(at, 'Europe/Berlin', 'de')).toBe('Do., 03.12.2026, 09:40 Uhr');
    expect(formatDateTime(at, 'Europe/London', 'de')).toBe('Do., 03.12.2026, 08:40 Uhr');
    expect(formatDateTime(at, 'Asia/Kolkata', 'en')).toBe('Thu, 3 Dec 2026, 2:10 PM');
    expect(formatDateTime(new Date('2026-12-03T08:40:59.999Z'), 'Europe/Berlin', 'de')).toBe('Do., 03.12.2026, 09:40 Uhr');
    expect(formatDateTime(new Date('2026-12-03T08:41:00Z'), 'Europe/Berlin', 'de')).toBe('Do., 03.12.2026, 09:41 Uhr');
    // The hour that repeats when summer time ends reads the same both times.
    expect(formatTime(new Date('2026-10-25T00:30:00Z'), 'Europe/Berlin', 'de')).toBe('02:30 Uhr');
    expect(formatTime(new Date('2026-10-25T01:30:00Z'), 'Europe/Berlin', 'de')).toBe('02:30 Uhr');
    expect(formatMoney(1000, 'de')).toBe('10,00 €');
    expect(formatMoney(1000, 'en')).toBe('€10.00');
  });

  it('uses plain spaces only, never U+00A0 or U+202F', () => {
    expect(formatMoney(3700, 'de')).toBe('37,00 €');
    expect(formatMoney(3700, 'en')).toBe('€37.00');
    expect(formatMoney(123456, 'de')).toBe('1.234,56 €');
    expect(formatMoney(123456, 'en')).toBe('€1,234.56');
    const all = formatMoney(3700, 'de') + formatDateTime(base.start, 'Europe/Berlin', 'en');
    expect(all).not.toMatch(/[\u00a0\u202f]/);
  });
});

describe('renderBookingConfirmation', () => {
  it('renders a confirmed German booking with everything the citizen needs', () => {
    const m = renderBookingConfirmation(base);
    expect(m.subject).toBe('Terminbestätigung K7X-4Q2: Do., 03.12.2026, 09:40 Uhr');
    for (const part of [
      'Guten Tag Anna Muster,',
      'Ihr Termin ist bestätigt',
      'Buchungsnummer: K7X-4Q2',
      'Termin: Do., 03.12.2026, 09:40 Uhr – 10:00 Uhr',
      'Ort: Bürgerbüro Mitte, Markt 1, 12345 Musterstadt',
      'Personalausweis beantragen (1 Person)',
      'Gebühren: 37,00 €',
      'Bitte mitbringen:',
      'Termin verschieben oder absagen:\nhttps://termine.example/t/abc?lang=de&x=1',
    ])
      expect(m.text).toContain(part);
    // Documents asked for by two services are listed once.
    expect(m.text.match(/Alter Ausweis/g)).toHaveLength(1);
    expect(m.text).not.toContain('bestätigen Sie');
    expect(m.html).toContain('<html lang="de">');
    expect(m.html).toContain('href="https://termine.example/t/abc?lang=de&#38;x=1"');
  });

  it('asks to confirm a reservation before its deadline and shows the code', () => {
    const m = renderBookingConfirmation({
      ...base,
      confirmUrl: 'https://termine.example/c/xyz',
      confirmCode: '482913',
      reservedUntil: new Date('2026-12-01T10:00:00Z'),
    });
    expect(m.subject).toBe('Bitte bestätigen Sie Ihren Termin K7X-4Q2');
    expect(m.text).toContain('bis Di., 01.12.2026, 11:00 Uhr');
    expect(m.text).toContain('Termin bestätigen:\nhttps://termine.example/c/xyz');
    expect(m.text).toContain('482913');
    expect(m.text).not.toContain('Ihr Termin ist bestätigt');
    expect(parseIcs(m.attachments[0]!.content).get('STATUS')).toBe('TENTATIVE');
  });

  it('renders English, multiplies fees by persons, and says when it is free', () => {
    const m = renderBookingConfirmation({
      ...base,
      language: 'en',
      citizenName: null,
      services: [{ name: 'Apply for ID card', persons: 2, feeCents: 3700, documents: [] }],
    });
    expect(m.subject).toBe('Appointment confirmed K7X-4Q2: Thu, 3 Dec 2026, 9:40 AM');
    expect(m.text).toMatch(/^Hello,\n/);
    expect(m.text).toContain('Apply for ID card (2 persons)');
    expect(m.text).toContain('Fees: €74.00');
    expect(m.text).not.toContain('Please bring');
    const free = renderBookingConfirmation({ ...base, services: [{ name: 'Beglaubigung', persons: 1, feeCents: null, documents: [] }] });
    expect(free.text).toContain('Gebühren: gebührenfrei');
  });

  it('escapes HTML in names and addresses', () => {
    const m = renderBookingConfirmation({ ...base, citizenName: '<script>alert("x")</script> & Co' });
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; Co');
    expect(m.text).toContain('<script>alert("x")</script> & Co');
  });

  it('attaches an .ics in UTC with a stable uid, location, reference and manage link', () => {
    const m = renderBookingConfirmation(base);
    const [ics] = m.attachments;
    expect(ics!.filename).toBe('termin-K7X-4Q2.ics');
    expect(ics!.contentType).toContain('text/calendar');
    const event = parseIcs(ics!.content);
    const text = Buffer.from(ics!.content, 'base64').toString('utf8');
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*BEGIN:VEVENT\r\n[\s\S]*END:VEVENT\r\nEND:VCALENDAR\r\n$/);
    expect(icsDate(event.get('DTSTART')!).toISOString()).toBe('2026-12-03T08:40:00.000Z');
    expect(icsDate(event.get('DTEND')!).toISOString()).toBe('2026-12-03T09:00:00.000Z');
    expect(event.get('UID')).toBe('K7X-4Q2@schalter');
    expect(event.get('LOCATION')).toBe('Bürgerbüro Mitte\\, Markt 1\\, 12345 Musterstadt');
    expect(event.get('DESCRIPTION')).toContain('K7X-4Q2');
    expect(event.get('DESCRIPTION')).toContain('https://termine.example/t/abc?lang=de&x=1');
    expect(event.get('STATUS')).toBe('CONFIRMED');
  });
});

describe('reschedule and cancellation', () => {
  it('confirms the new time with an updated calendar entry', () => {
    const start = new Date('2026-12-10T13:00:00Z');
    const m = renderRescheduleConfirmation({ ...base, language: 'en', start, end: new Date('2026-12-10T13:20:00Z') });
    expect(m.subject).toBe('Appointment moved K7X-4Q2: now Thu, 10 Dec 2026, 2:00 PM');
    expect(m.text).toContain('Your new time: Thu, 10 Dec 2026, 2:00 PM');
    const event = parseIcs(m.attachments[0]!.content);
    expect(event.get('UID')).toBe('K7X-4Q2@schalter');
    expect(icsDate(event.get('DTSTART')!)).toEqual(start);
    expect(Number(event.get('SEQUENCE'))).toBeGreaterThan(0);
  });

  it('tells why it was cancelled and sends a calendar cancellation', () => {
    const byOffice = renderCancellationNotice({ ...base, reason: 'office' });
    expect(byOffice.subject).toBe('Termin abgesagt K7X-4Q2');
    expect(byOffice.text).toContain('leider müssen wir Ihren Termin am Do., 03.12.2026, 09:40 Uhr absagen');
    expect(byOffice.text).toContain('Neuen Termin wählen:\nhttps://termine.example/t/abc');
    expect(byOffice.text).not.toContain('Bitte mitbringen');
    const event = parseIcs(byOffice.attachments[0]!.content);
    expect(event.get('METHOD')).toBe('CANCEL');
    expect(event.get('STATUS')).toBe('CANCELLED');
    const byCitizen = renderCancellationNotice({ ...base, language: 'en', reason: 'citizen' });
    expect(byCitizen.text).toContain('has been cancelled as you requested');
  });
});
