import { describe, expect, it } from 'vitest';
import type { HistoryActor } from '../../src/app/appointments/staff-appointments.ts';
import { historyLine, shortName } from '../../src/http/staff/messages/appointment-history.ts';

// #22 item 4: the history on the staff appointment page read „cancelled (staff:247e41fd-…)“ and
// „booked (demo-seed)“. Each actor and action here is one the app writes into appointment_event.
const line = (action: string, by: HistoryActor, lang: 'de' | 'en' = 'de') =>
  historyLine({ at: '2026-12-10T09:00:00.000Z', actor: 'x', action, fromStatus: null, toStatus: null, by }, lang);

describe('appointment history lines', () => {
  it('say what happened and who did it, in German', () => {
    expect(line('booked', { kind: 'demo' })).toBe('gebucht (Demo-Daten)');
    expect(line('confirmed', { kind: 'citizen' })).toBe('bestätigt von der Bürgerin / dem Bürger');
    expect(line('expired', { kind: 'system' })).toBe('automatisch verfallen (nicht bestätigt)');
    expect(line('no_show', { kind: 'system' }, 'en')).toBe('automatically marked as not arrived');
    expect(line('checked_in', { kind: 'kiosk' })).toBe('angemeldet am Kiosk');
    expect(line('cancelled', { kind: 'staff', role: 'teamlead', name: 'Anna Maria Schulz' })).toBe('abgesagt von Teamleitung A. M. Schulz');
    expect(line('no_show', { kind: 'staff', role: null, name: null })).toBe('als nicht erschienen vermerkt von der Sachbearbeitung');
    expect(line('booked', { kind: 'token', name: 'Fachverfahren' })).toBe('gebucht über die Schnittstelle „Fachverfahren“');
    expect(line('booked', { kind: 'lottery' })).toBe('gebucht durch die Terminverlosung');
  });

  it('in English on the English page', () => {
    expect(line('booked', { kind: 'demo' }, 'en')).toBe('booked (demo data)');
    expect(line('confirmed', { kind: 'citizen' }, 'en')).toBe('confirmed by the citizen');
    expect(line('cancelled', { kind: 'staff', role: 'clerk', name: 'Maria Weber' }, 'en')).toBe('cancelled by clerk M. Weber');
  });

  it('an action without a text yet reads as words, not snake_case', () => {
    expect(line('handed_over', { kind: 'unknown' })).toBe('handed over');
  });

  it('shortens names to initials and the last name', () => {
    expect(shortName('Maria Weber')).toBe('M. Weber');
    expect(shortName('  Weber ')).toBe('Weber');
  });
});
