import { CLOSURE_CHOICES } from '../../domain/closure-window.ts';
import { errorFor, FieldError, type FormError } from '../pages/components.tsx';
import type { ClosureFormValues } from './closure-pages.tsx';
import type { ClosureMessages } from './messages/closures.ts';

/** One labelled checkbox of a closure form. */
export function Check({ name, value, id, label, checked }: { name: string; value: string; id: string; label: string; checked: boolean }) {
  return (
    <div class="kern-form-check">
      <input class="kern-form-check__checkbox" type="checkbox" name={name} id={id} value={value} checked={checked} />
      <label class="kern-label" for={id}>
        {label}
      </label>
    </div>
  );
}

/**
 * Period, reason and options of a closure: the same fields on the one-office and the several-offices
 * form, under the names readForm and checkForm read.
 */
export function PeriodFields({ m, values: v, errors }: { m: ClosureMessages; values: ClosureFormValues; errors: FormError[] }) {
  const input = (id: string, label: string, type: 'date' | 'datetime-local', value: string) => {
    const error = errorFor(errors, id);
    return (
      <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for={id}>
          {label}
        </label>
        <input
          class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
          type={type}
          id={id}
          name={id}
          value={value}
          aria-describedby={error ? `${id}-fehler` : undefined}
          aria-invalid={error ? 'true' : undefined}
        />
        <FieldError id={`${id}-fehler`} message={error} />
      </div>
    );
  };
  const reasonError = errorFor(errors, 'grund');
  return (
    <>
      <fieldset class="kern-fieldset" id="zeitraum">
        <legend class="kern-label">{m.when}</legend>
        <div class="kern-fieldset__body">
          {CLOSURE_CHOICES.map((k) => (
            <div class="kern-form-check">
              <input class="kern-form-check__radio" type="radio" name="zeitraum" value={k} id={`zeitraum-${k}`} checked={v.choice === k} />
              <label class="kern-label" for={`zeitraum-${k}`}>
                {m.choice[k]}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div class="closure-form__times">
        {input('datum', m.date, 'date', v.date)}
        {input('bis-datum', m.untilDate, 'date', v.untilDate)}
        {input('von', m.from, 'datetime-local', v.from)}
        {input('bis', m.to, 'datetime-local', v.to)}
      </div>
      <div class={`kern-form-input${reasonError ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for="grund">
          {m.reason}
        </label>
        <div class="kern-hint" id="grund-hinweis">
          {m.reasonHint}
        </div>
        <input
          class={`kern-form-input__input${reasonError ? ' kern-form-input__input--error' : ''}`}
          type="text"
          id="grund"
          name="grund"
          value={v.reason}
          maxlength={200}
          required
          aria-describedby={reasonError ? 'grund-hinweis grund-fehler' : 'grund-hinweis'}
          aria-invalid={reasonError ? 'true' : undefined}
        />
        <FieldError id="grund-fehler" message={reasonError} />
      </div>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{m.options}</legend>
        <div class="kern-fieldset__body">
          <Check name="benachrichtigen" value="1" id="benachrichtigen" label={m.notify} checked={v.notify} />
          <Check name="ersatz" value="1" id="ersatz" label={m.offer} checked={v.offer} />
        </div>
      </fieldset>
    </>
  );
}
