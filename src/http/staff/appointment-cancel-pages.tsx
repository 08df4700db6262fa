import { Hono, type Context } from 'hono';
import type { AppointmentView } from '../../app/appointments/appointment-record.ts';
import { cancelByStaff, readAppointmentForStaff } from '../../app/appointments/staff-appointments.ts';
import { formatDateTime } from '../../app/messaging/appointment-messages.ts';
import { findOffice } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { CANCEL_EXPLANATION_MAX, CANCEL_REASONS, isCancelReason, type CancelReason } from '../../domain/cancel-reasons.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert, BackLink, ErrorSummary, Facts, FieldError, type FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { appointmentHandlingMessages } from './messages/appointment-handling.ts';
import { CsrfField, errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

// Cancelling by staff (#22): a reason from a short list plus words for the citizen, then a
// confirmation step, all without JavaScript. POST …/absagen checks the form and shows the
// confirmation (or the form again with its problems); POST …/stornieren with bestaetigt=ja cancels
// and redirects to the appointment. A POST to …/stornieren without it only shows the confirmation.

type CancelForm = { reason: string; explanation: string };

const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');

export function appointmentCancelPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  for (const path of ['/termine/:id/absagen', '/termine/:id/stornieren']) pages.use(path, requireStage('active'));

  const render = async (c: Context<StaffEnv>, step: 'form' | 'confirm', form: CancelForm, errors: FormError[], status: 200 | 409 | 422) => {
    const page = staffPageFor(c);
    const { appointment } = await readAppointmentForStaff(ctx, c.get('principal'), c.req.param('id')!);
    const office = await findOffice(ctx.db, appointment.officeId);
    const when = formatDateTime(new Date(appointment.start), office?.time_zone ?? 'Europe/Berlin', page.lang);
    return c.html(<CancelPage page={page} appointment={appointment} when={when} step={step} form={form} errors={errors} />, status);
  };
  const check = async (c: Context<StaffEnv>) => {
    const m = appointmentHandlingMessages[staffPageFor(c).lang];
    const body = await c.req.parseBody();
    const form = { reason: field(body, 'reason'), explanation: field(body, 'explanation') };
    const errors: FormError[] = [];
    if (!isCancelReason(form.reason)) errors.push({ field: `reason-${CANCEL_REASONS[0]}`, message: m.reasonRequired });
    if (form.reason === 'other' && !form.explanation) errors.push({ field: 'explanation', message: m.explanationRequired });
    if (form.explanation.length > CANCEL_EXPLANATION_MAX) errors.push({ field: 'explanation', message: m.explanationTooLong });
    return { form, errors, confirmed: field(body, 'bestaetigt') === 'ja' };
  };

  pages.get('/termine/:id/absagen', (c) => render(c, 'form', { reason: '', explanation: '' }, [], 200));

  pages.post('/termine/:id/absagen', async (c) => {
    const { form, errors } = await check(c);
    return errors.length > 0 ? render(c, 'form', form, errors, 422) : render(c, 'confirm', form, [], 200);
  });

  pages.post('/termine/:id/stornieren', async (c) => {
    const { form, errors, confirmed } = await check(c);
    if (errors.length > 0) return render(c, 'form', form, errors, 422);
    if (!confirmed) return render(c, 'confirm', form, [], 200);
    const id = c.req.param('id');
    try {
      await cancelByStaff(ctx, c.get('principal'), {
        appointmentId: id,
        reason: form.reason as CancelReason,
        explanation: form.explanation,
      });
      return c.redirect(`/staff/termine/${id}?ok=storniert`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'not_found') throw error;
      return render(c, 'form', form, [{ field: 'reason-citizen', message: errorText(error, staffPageFor(c).lang) }], 409);
    }
  });

  return pages;
}

/** The reason and the explanation: on the appointment page and on the cancel page. */
export function CancelReasonFields({ page, form, errors }: { page: StaffPage; form: CancelForm; errors: FormError[] }) {
  const m = appointmentHandlingMessages[page.lang];
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const reasonError = err(`reason-${CANCEL_REASONS[0]}`);
  return (
    <>
      <fieldset
        class={`kern-fieldset${reasonError ? ' kern-fieldset--error' : ''}`}
        aria-describedby={reasonError ? 'reason-fehler' : undefined}
      >
        <legend class="kern-label">{m.reasonLegend}</legend>
        <FieldError id="reason-fehler" message={reasonError} />
        <div class="kern-fieldset__body">
          {CANCEL_REASONS.map((reason) => (
            <div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                type="radio"
                id={`reason-${reason}`}
                name="reason"
                value={reason}
                checked={form.reason === reason}
                required
              />
              <label class="kern-label" for={`reason-${reason}`}>
                {m.reasons[reason]}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div class={`kern-form-input${err('explanation') ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for="explanation">
          {m.explanation}
        </label>
        <div class="kern-hint" id="explanation-hinweis">
          {m.explanationHint}
        </div>
        <textarea
          class={`kern-form-input__input${err('explanation') ? ' kern-form-input__input--error' : ''}`}
          id="explanation"
          name="explanation"
          rows={3}
          maxlength={CANCEL_EXPLANATION_MAX}
          aria-describedby={err('explanation') ? 'explanation-hinweis explanation-fehler' : 'explanation-hinweis'}
        >
          {form.explanation}
        </textarea>
        <FieldError id="explanation-fehler" message={err('explanation')} />
      </div>
    </>
  );
}

type CancelProps = {
  page: StaffPage;
  appointment: AppointmentView;
  when: string;
  step: 'form' | 'confirm';
  form: CancelForm;
  errors: FormError[];
};

function CancelPage({ page, appointment: a, when, step, form, errors }: CancelProps) {
  const m = appointmentHandlingMessages[page.lang];
  const title = step === 'confirm' ? m.confirmTitle(a.reference) : m.cancelTitle(a.reference);
  return (
    <StaffLayout page={page} title={title} hasErrors={errors.length > 0}>
      <BackLink href={`/staff/termine/${a.id}`} label={m.back} />
      <h1 class="kern-heading-large">{title}</h1>
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <Facts
        rows={[
          [page.t.appointment.when, when],
          [page.t.dayPlan.name, a.citizen.name ?? ''],
          ...(step === 'confirm'
            ? ([
                [m.reasonFact, m.reasons[form.reason as CancelReason] ?? ''],
                ...(form.explanation ? [[m.explanationFact, form.explanation]] : []),
              ] as [string, string][])
            : []),
        ]}
      />
      {step === 'confirm' ? (
        <>
          <Alert variant="warning" title={m.confirmBody}>
            <p class="kern-body">{a.citizen.email ? m.mailed(a.citizen.email) : m.notMailed}</p>
          </Alert>
          <form method="post" action={`/staff/termine/${a.id}/stornieren`} class="staff-toolbar">
            <CsrfField page={page} />
            <input type="hidden" name="reason" value={form.reason} />
            <input type="hidden" name="explanation" value={form.explanation} />
            <input type="hidden" name="bestaetigt" value="ja" />
            <button class="kern-btn kern-btn--primary" type="submit" autofocus>
              <span class="kern-label">{m.yes}</span>
            </button>
            <a class="kern-btn kern-btn--secondary" href={`/staff/termine/${a.id}`}>
              <span class="kern-label">{m.no}</span>
            </a>
          </form>
        </>
      ) : (
        <form method="post" action={`/staff/termine/${a.id}/absagen`} novalidate>
          <CsrfField page={page} />
          <CancelReasonFields page={page} form={form} errors={errors} />
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{m.next}</span>
          </button>
        </form>
      )}
    </StaffLayout>
  );
}
