import type { Child } from 'hono/jsx';

/** One problem with a form: `field` is the id of the control the summary links to. */
export type FormError = { field: string; message: string };

export function errorFor(errors: FormError[], field: string): string | undefined {
  return errors.find((e) => e.field === field)?.message;
}

/**
 * The error summary at the top of a form (GOV.UK / KERN pattern): announced on load, focused so
 * keyboard and screen-reader users start there, and every entry jumps to its field.
 */
export function ErrorSummary({ title, errors }: { title: string; errors: FormError[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="kern-alert kern-alert--danger error-summary" role="alert" aria-labelledby="fehler-titel" tabindex={-1} autofocus>
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
        <h2 class="kern-title" id="fehler-titel">
          {title}
        </h2>
      </div>
      <div class="kern-alert__body">
        <ul>
          {errors.map((e) => (
            <li>
              <a class="kern-link" href={`#${e.field}`}>
                {e.message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

type AlertProps = {
  variant: 'info' | 'success' | 'warning' | 'danger';
  title: string;
  /** 'status' for news after a redirect, 'alert' for problems that need attention now. */
  role?: 'status' | 'alert';
  focus?: boolean;
  id?: string;
  children?: Child;
};

export function Alert({ variant, title, role, focus, id, children }: AlertProps) {
  return (
    <div class={`kern-alert kern-alert--${variant}`} role={role} id={id} tabindex={focus ? -1 : undefined} autofocus={focus || undefined}>
      <div class="kern-alert__header">
        <span class={`kern-icon kern-icon--${variant}`} aria-hidden="true"></span>
        <span class="kern-title">{title}</span>
      </div>
      {children ? <div class="kern-alert__body">{children}</div> : null}
    </div>
  );
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="kern-error" id={id}>
      <span class="kern-icon kern-icon--danger kern-icon--md" aria-hidden="true"></span>
      <span class="kern-body">{message}</span>
    </p>
  );
}

type TextInputProps = {
  id: string;
  name?: string;
  label: string;
  type?: 'text' | 'email' | 'tel';
  value?: string | undefined;
  hint?: string | undefined;
  error?: string | undefined;
  autocomplete?: string;
  inputmode?: 'text' | 'email' | 'tel' | 'numeric';
  required?: boolean;
  optionalLabel?: string | undefined;
  maxlength?: number;
};

/** The label, hint and error every text field shares; the control comes as children (KERN form-input). */
type FieldFrameProps = {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  optionalLabel?: string | undefined;
  children: Child;
};

/** The ids the control's aria-describedby names: its hint and its error, where shown. */
export const describedBy = (p: { id: string; hint?: string | undefined; error?: string | undefined }) =>
  [p.hint ? `${p.id}-hinweis` : null, p.error ? `${p.id}-fehler` : null].filter(Boolean).join(' ') || undefined;

/** The control's class: KERN's input, marked when it has an error. */
export const inputClass = (error: string | undefined) => `kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`;

export function FieldFrame(p: FieldFrameProps) {
  return (
    <div class={`kern-form-input${p.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={p.id}>
        {p.label}
        {p.optionalLabel ? <span class="kern-label__optional"> {p.optionalLabel}</span> : null}
      </label>
      {p.hint ? (
        <div class="kern-hint" id={`${p.id}-hinweis`}>
          {p.hint}
        </div>
      ) : null}
      {p.children}
      <FieldError id={`${p.id}-fehler`} message={p.error} />
    </div>
  );
}

export function TextInput(p: TextInputProps) {
  return (
    <FieldFrame id={p.id} label={p.label} hint={p.hint} error={p.error} optionalLabel={p.optionalLabel}>
      <input
        class={inputClass(p.error)}
        id={p.id}
        name={p.name ?? p.id}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        autocomplete={p.autocomplete}
        inputmode={p.inputmode}
        required={p.required || undefined}
        maxlength={p.maxlength}
        aria-describedby={describedBy(p)}
        aria-invalid={p.error ? 'true' : undefined}
      />
    </FieldFrame>
  );
}

/** A definition list of facts (KERN description list), e.g. reference, time, place. */
export function Facts({ rows }: { rows: [string, Child][] }) {
  return (
    <dl class="facts kern-description-list">
      {rows.map(([key, value]) => (
        <div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">{key}</dt>
          <dd class="kern-description-list-item__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <p>
      <a class="kern-link" href={href}>
        <span class="kern-icon kern-icon--arrow-back" aria-hidden="true"></span>
        {label}
      </a>
    </p>
  );
}

export function LinkButton({
  href,
  label,
  variant = 'primary',
  download,
}: {
  href: string;
  label: string;
  variant?: 'primary' | 'secondary' | 'tertiary';
  download?: boolean;
}) {
  return (
    <a class={`kern-btn kern-btn--${variant}`} href={href} download={download || undefined}>
      <span class="kern-label">{label}</span>
    </a>
  );
}

export function SubmitButton({
  label,
  variant = 'primary',
  name,
  value,
}: {
  label: string;
  variant?: 'primary' | 'secondary';
  name?: string;
  value?: string;
}) {
  return (
    <button class={`kern-btn kern-btn--${variant}`} type="submit" name={name} value={value}>
      <span class="kern-label">{label}</span>
    </button>
  );
}

export function Hidden({ name, value }: { name: string; value: string | undefined }) {
  return <input type="hidden" name={name} value={value ?? ''} />;
}

export const officePath = (officeId: string) => `/standorte/${encodeURIComponent(officeId)}`;

/** An office as the citizen pages name it: its name linking to its page (#24 item 4), then its address. */
export function OfficeName({
  office,
  withAddress = true,
}: {
  office: { id: string; name: string; address: string };
  withAddress?: boolean;
}) {
  return (
    <>
      <a class="kern-link" href={officePath(office.id)}>
        {office.name}
      </a>
      {withAddress ? `, ${office.address}` : null}
    </>
  );
}
