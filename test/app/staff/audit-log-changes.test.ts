import { describe, expect, it } from 'vitest';
import { auditDifferences, auditFacts } from '../../../src/app/staff/audit-log-changes.ts';

// The audit log viewer's difference (#19): rows of a set-up change matched by their identity, an
// account's before and after, and the other details without ids.

const names = {
  office: (id: string) => ({ sued: 'Bürgerbüro Süd' })[id] ?? null,
  service: (id: string) => ({ abholung: 'Ausweis oder Pass abholen' })[id] ?? null,
};

describe('audit log differences', () => {
  it('a set-up change, table by table: a changed rule, a line of hours that went and one that came, a service no longer offered', () => {
    const rule = { office_id: 'sued', weekday: 1, start_time: '08:00', end_time: '12:00', appointment_counters: 2, walkin_counters: 0 };
    const details = {
      before: {
        offices: ['sued'],
        rows: {
          releasePolicies: [{ office_id: 'sued', horizon_days: 14, phone_share: 0.1 }],
          staffingRules: [rule],
          officeServices: [{ office_id: 'sued', service_id: 'abholung' }],
        },
      },
      after: {
        offices: ['sued'],
        rows: {
          releasePolicies: [{ office_id: 'sued', horizon_days: 21, phone_share: 0.1 }],
          staffingRules: [{ ...rule, end_time: '13:00' }],
        },
      },
    };
    expect(auditDifferences(details, names)).toEqual([
      {
        group: { de: 'Standort „Bürgerbüro Süd“: Regeln', en: 'office "Bürgerbüro Süd": rules' },
        change: 'changed',
        fields: [{ field: 'horizon_days', before: 14, after: 21 }],
      },
      {
        group: {
          de: 'Standort „Bürgerbüro Süd“: Öffnungszeit Mo 08:00–12:00',
          en: 'office "Bürgerbüro Süd": opening hours Mon 08:00–12:00',
        },
        change: 'removed',
        fields: [],
      },
      {
        group: {
          de: 'Standort „Bürgerbüro Süd“: Öffnungszeit Mo 08:00–13:00',
          en: 'office "Bürgerbüro Süd": opening hours Mon 08:00–13:00',
        },
        change: 'created',
        fields: [
          { field: 'weekday', before: null, after: 1 },
          { field: 'start_time', before: null, after: '08:00' },
          { field: 'end_time', before: null, after: '13:00' },
          { field: 'appointment_counters', before: null, after: 2 },
          { field: 'walkin_counters', before: null, after: 0 },
        ],
      },
      {
        group: {
          de: 'Standort „Bürgerbüro Süd“: Dienstleistung „Ausweis oder Pass abholen“',
          en: 'office "Bürgerbüro Süd": service "Ausweis oder Pass abholen"',
        },
        change: 'removed',
        fields: [],
      },
    ]);
  });

  it('an account created and changed: the fields of after, then only those that differ; the facts leave them out', () => {
    const after = { email: 'a@stadt.example', role: 'clerk', officeIds: ['sued'], disabled: false };
    const created = { email: 'a@stadt.example', role: 'clerk', officeIds: ['sued'], before: null, after };
    expect(auditDifferences(created, names)).toEqual([
      {
        group: null,
        change: 'created',
        fields: [
          { field: 'email', before: null, after: 'a@stadt.example' },
          { field: 'role', before: null, after: 'clerk' },
          { field: 'officeIds', before: null, after: ['sued'] },
          { field: 'disabled', before: null, after: false },
        ],
      },
    ]);
    expect(auditFacts(created)).toEqual([]);
    expect(auditDifferences({ before: after, after: { ...after, disabled: true } }, names)).toEqual([
      { group: null, change: 'changed', fields: [{ field: 'disabled', before: false, after: true }] },
    ]);
  });

  it('other details: lists of ids counted, ids left out, a counter command’s payload flattened', () => {
    expect(
      auditFacts({
        reason: 'Umbau',
        appointmentIds: ['0b7e1f4e-9d0a-4c59-8a57-0d6f0e7f1a11', '1c8f2a5f-0e1b-4d6a-9b68-1e7a1f8a2b22'],
        payload: { ticketId: '0b7e1f4e-9d0a-4c59-8a57-0d6f0e7f1a11', counterNumber: 3 },
        officeIds: [],
      }),
    ).toEqual([
      { key: 'reason', value: 'Umbau' },
      { key: 'appointmentIds', value: 2 },
      { key: 'counterNumber', value: 3 },
    ]);
  });
});
