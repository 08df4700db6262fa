export type CalendarEvent = {
  /** Stable across changes, so a calendar replaces rather than duplicates the event. */
  uid: string;
  /** Calendars only replace an event by a higher SEQUENCE (RFC 5545 §3.8.7.4). */
  sequence: number;
  /** DTSTAMP: when this copy was made. */
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  location: string;
  description: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
};

/**
 * One appointment as an iCalendar file (RFC 5545), times in UTC. Shared by the mails and the manage
 * page. Written out here on purpose: every online booking renders one inside its request, and both
 * libraries tried cost more than the rest of the mail — `ics` validates each event with yup (0.23 ms),
 * ical-generator folds long lines by encoding character by character (about 0.15 ms); this takes a
 * few microseconds. The shape is fixed, so the format rules needed are only TEXT escaping (§3.3.11)
 * and folding at 75 octets (§3.1). test/app/messaging/calendar-event.test.ts checks both.
 */
export function calendarEvent(event: CalendarEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//schalter//schalter//DE',
    `METHOD:${event.status === 'cancelled' ? 'CANCEL' : 'PUBLISH'}`,
    'BEGIN:VEVENT',
    `UID:${text(event.uid)}`,
    `SEQUENCE:${Math.trunc(event.sequence)}`,
    `DTSTAMP:${utc(event.stamp)}`,
    `DTSTART:${utc(event.start)}`,
    `DTEND:${utc(event.end)}`,
    `SUMMARY:${text(event.summary)}`,
    `LOCATION:${text(event.location)}`,
    `DESCRIPTION:${text(event.description)}`,
    `STATUS:${event.status.toUpperCase()}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(fold).join('\r\n') + '\r\n';
}

/** 20261203T084000Z */
function utc(date: Date): string {
  const iso = date.toISOString();
  // Sliced rather than by two regular expressions: a third of the calendar file's cost. Years past 9999 are written longer.
  if (iso.length !== 24) return iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function text(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** Lines longer than 75 octets continue on the next line after CRLF and a space; never inside a UTF-8 character. */
export function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let part = '';
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const code = char.codePointAt(0)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (octets + size > limit) {
      parts.push(part);
      part = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    part += char;
    octets += size;
  }
  parts.push(part);
  return parts.join('\r\n ');
}
