// The rules page (#19, „Regeln“) edits one office's `rules` in the exported town document — release,
// same-day and phone shares, walk-in quota, check-in window, confirmation, reminders, holds — which
// then goes through the same preview and apply as `schalter setup apply`. Pure: no database, no clock.
import { RulesSchema, type TownFileInput } from './town-file-schema.ts';

type DocOffice = TownFileInput['offices'][number];

/** An office's rules with every default filled in, as they apply (the file may leave any of them out). */
export type OfficeRules = ReturnType<typeof RulesSchema.parse>;

export function rulesOf(office: DocOffice): OfficeRules {
  return RulesSchema.parse(office.rules ?? {});
}

/**
 * The document with the office's rules replaced. Written in full, defaults too: apply compares rows,
 * so a value equal to the default is no change, and the export leaves defaults out again. A walk-in
 * quota left empty is left out: derived from the walk-in counters of the plan.
 */
export function withRules(doc: TownFileInput, officeId: string, rules: OfficeRules): TownFileInput {
  const next = structuredClone(doc);
  const office = next.offices.find((o) => o.id === officeId);
  if (!office) return next;
  const { walkinQuota, ...rest } = rules;
  office.rules = walkinQuota === undefined ? rest : { ...rest, walkinQuota };
  return next;
}
