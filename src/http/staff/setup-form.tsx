import type { MiddlewareHandler } from 'hono';
import { formatMoney } from '../../app/messaging/appointment-messages.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import type { StaffEnv } from './auth.ts';
import type { TownFileProblem } from '../../app/setup/town-file.ts';
import { describedBy, FieldFrame, Hidden, inputClass, type FormError } from '../pages/components.tsx';
import type { UiLanguage } from '../language.ts';

// Helpers the set-up pages under /staff/verwaltung (#19) share: typed values kept as text (so a
// preview or a stale save gives them back exactly as typed), euros with a comma, the town file's
// problems placed at the form's fields, and the controls the KERN components do not have.

/**
 * A branch node receives the set-up from the central server's feed, which would overwrite a change
 * made here: the page says where the set-up is kept.
 */
export function centralOnly(ctx: AppContext): MiddlewareHandler<StaffEnv> {
  return async (_c, next) => {
    if (ctx.settings.branchNode) throw new DomainError('set_centrally', 'The town set-up is applied on the central server');
    return next();
  };
}

export type FormBody = Record<string, string | File | (string | File)[]>;
export type FormValues = Record<string, string | string[]>;

export const text = (form: FormBody, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
export const list = (form: FormBody, name: string) => [form[name] ?? []].flat().filter((v): v is string => typeof v === 'string');

/** „46,00 €“ ("€46.00"). */
export const euros = (cents: number, lang: UiLanguage) => formatMoney(cents, lang);

/** Cents as the form shows them: „46,00“; empty for none. */
export const eurosField = (cents: number | undefined) => (cents === undefined ? '' : (cents / 100).toFixed(2).replace('.', ','));

/** „46,00“, „46“, „46.5“ → cents; '' → undefined; anything else → null. */
export function readEuros(value: string): number | undefined | null {
  if (value === '') return undefined;
  const match = /^(\d{1,7})(?:[,.](\d{1,2}))?\s*€?$/.exec(value.replace(/\s/g, ''));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** A whole number as typed; '' → undefined; not a whole number → null. */
export function readWhole(value: string): number | undefined | null {
  if (value === '') return undefined;
  return /^\d{1,6}$/.test(value) ? Number(value) : null;
}

/** One entry per non-empty line. */
export const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The town file's problems as form errors: a problem at `prefix.key…` goes to the field `fields`
 * names for its first key(s); every other (a cross-check elsewhere in the file) to `fallback`.
 */
export function problemsAtFields(
  problems: TownFileProblem[],
  prefix: string,
  fields: Record<string, string>,
  fallback: string,
  lang: UiLanguage,
): FormError[] {
  return problems.map((p) => {
    const rest = p.path.startsWith(`${prefix}.`) ? p.path.slice(prefix.length + 1).replace(/\[\d+\]/g, '') : null;
    const key = rest === null ? undefined : Object.keys(fields).find((k) => rest === k || rest.startsWith(`${k}.`));
    return { field: key ? fields[key]! : fallback, message: lang === 'de' ? p.de : p.en };
  });
}

/** Every typed value again, hidden: the preview's confirmation carries them, so a refused save loses nothing. */
export function HiddenValues({ values }: { values: FormValues }) {
  return <>{Object.entries(values).flatMap(([name, value]) => [value].flat().map((v) => <Hidden name={name} value={v} />))}</>;
}

export function TextArea(p: {
  id: string;
  label: string;
  value: string;
  hint?: string | undefined;
  optionalLabel?: string | undefined;
  error?: string | undefined;
  rows?: number;
  maxlength?: number;
  disabled?: boolean;
}) {
  return (
    <FieldFrame id={p.id} label={p.label} hint={p.hint} error={p.error} optionalLabel={p.optionalLabel}>
      <textarea
        class={inputClass(p.error)}
        id={p.id}
        name={p.id}
        rows={p.rows ?? 3}
        maxlength={p.maxlength}
        aria-describedby={describedBy(p)}
        aria-invalid={p.error ? 'true' : undefined}
      >
        {p.value}
      </textarea>
    </FieldFrame>
  );
}

export function Checkbox(p: { id: string; name?: string; value?: string; label: string; checked: boolean; hint?: string | undefined }) {
  return (
    <div class="kern-form-check">
      <input
        class="kern-form-check__checkbox"
        type="checkbox"
        id={p.id}
        name={p.name ?? p.id}
        value={p.value ?? 'ja'}
        checked={p.checked}
        aria-describedby={p.hint ? `${p.id}-hinweis` : undefined}
      />
      <label class="kern-label" for={p.id}>
        {p.label}
      </label>
      {p.hint ? (
        <div class="kern-hint" id={`${p.id}-hinweis`}>
          {p.hint}
        </div>
      ) : null}
    </div>
  );
}
