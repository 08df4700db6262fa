import { describe, expect, it } from 'vitest';
import { calendarEvent, fold } from '../../../src/app/messaging/calendar-event.ts';

const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('calendarEvent (RFC 5545)', () => {
  const event = {
    uid: 'K7X-4Q2@schalter',
    sequence: 1764576000,
    stamp: new Date('2026-12-01T08:00:00Z'),
    start: new Date('2026-12-03T08:40:00Z'),
    end: new Date('2026-12-03T09:00:00Z'),
    summary: 'Termin Bürgerbüro Rathaus: Personalausweis; Reisepass',
    location: 'Bürgerbüro Rathaus, Markt 1, 12345 Musterstadt',
    description:
      'Vorgangsnummer: K7X-4Q2\nTermin verschieben oder absagen: https://termine.example/termin/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    status: 'tentative' as const,
  };

  it('writes one event in UTC with escaped text and CRLF line ends', () => {
    const ics = calendarEvent(event);
    expect(ics.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
    const lines = unfold(ics).split('\r\n');
    expect(lines).toContain('METHOD:PUBLISH');
    expect(lines).toContain('DTSTART:20261203T084000Z');
    expect(lines).toContain('DTEND:20261203T090000Z');
    expect(lines).toContain('DTSTAMP:20261201T080000Z');
    expect(lines).toContain('STATUS:TENTATIVE');
    expect(lines).toContain('SUMMARY:Termin Bürgerbüro Rathaus: Personalausweis\\; Reisepass');
    expect(lines).toContain('LOCATION:Bürgerbüro Rathaus\\, Markt 1\\, 12345 Musterstadt');
    expect(lines).toContain(
      'DESCRIPTION:Vorgangsnummer: K7X-4Q2\\nTermin verschieben oder absagen: https://termine.example/termin/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    );
  });

  it('cancels with METHOD:CANCEL and STATUS:CANCELLED', () => {
    const lines = unfold(calendarEvent({ ...event, status: 'cancelled' })).split('\r\n');
    expect(lines).toContain('METHOD:CANCEL');
    expect(lines).toContain('STATUS:CANCELLED');
  });

  it('folds at 75 octets without splitting a UTF-8 character, and unfolds to the original line', () => {
    const line = `SUMMARY:${'ä'.repeat(60)}${'x'.repeat(50)}€🙂`;
    const folded = fold(line);
    for (const physical of folded.split('\r\n')) expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .slice(1)
        .every((l) => l.startsWith(' ')),
    ).toBe(true);
    expect(unfold(folded)).toBe(line);
    expect(fold('SHORT:line')).toBe('SHORT:line');
  });
});
