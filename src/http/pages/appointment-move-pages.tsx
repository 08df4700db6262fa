import type { Context, Hono } from 'hono';
import type { Slot } from '../../app/booking/search-availability.ts';
import { isoInZone } from '../../app/appointments/appointment-record.ts';
import { rescheduleAppointment } from '../../app/appointments/manage-appointment.ts';
import type { Office } from '../../db/schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { AppointmentFacts, TOKEN_ROUTE, isOpen, loadShown, whenText, type Shown } from './appointment-view.tsx';
import { instantOf, nearestAlternatives } from './booking-form.ts';
import { Alert, BackLink, ErrorSummary, Facts, FieldError, Hidden, SubmitButton, type FormError } from './components.tsx';
import { closed } from './appointment-manage-pages.tsx';
import { formatDateTime, formatTime } from './format.ts';
import { Layout } from './layout.tsx';
import { href, pageFor, pageScope, siteCatalogue, type CitizenPageOptions, type Page } from './page-context.ts';
import { loadPicker, type Picker } from './booking-picker-data.ts';
import { SlotPicker, type PickerLinks } from './booking-slot-picker.tsx';

// Moving is the booking flow again, with the citizen's services fixed. The move itself is one
// transaction in the use case: if the new time is gone, the old appointment is untouched.

type Target = { office: Office; start: number };
/** Either a chosen target to confirm, or (after it was taken) the alternatives around `taken`. */
type MoveState = { target: Target | null; alternatives: Slot[] | null; errors: FormError[]; taken?: Target };

export function moveRoutes(app: Hono, options: CitizenPageOptions) {
  const { ctx } = options;
  const base = (token: string) => `/termin/${token}/verschieben`;

  app.get(`${TOKEN_ROUTE}/verschieben`, async (c) => {
    const page = pageFor(c, options);
    const shown = await loadShown(ctx, c.req.param('token')!, page.lang);
    if (!isOpen(shown, ctx.now())) return closed(c, options, shown);
    const picker = await loadPicker(ctx, pageScope(c), {
      services: shown.view.services,
      office: c.req.query('office') ?? shown.office.id,
      month: c.req.query('month'),
      day: c.req.query('day'),
    });
    const links: PickerLinks = {
      action: base(shown.token),
      hidden: {},
      view: (params) => href(base(shown.token), params),
      choose: (slot) => href(`${base(shown.token)}/bestaetigen`, { office: slot.officeId, start: isoInZone(slot.start, picker.timeZone) }),
    };
    return c.html(<MovePickPage page={page} shown={shown} picker={picker} links={links} />);
  });

  // Moving stays within the town and its neighbours, like booking (#20).
  const target = async (c: Context, officeId: string | undefined, start: string | undefined): Promise<Target | null> => {
    const at = instantOf(start ?? '');
    const office = officeId ? (await siteCatalogue(c, options)).searchSchedules.find((s) => s.office.id === officeId)?.office : undefined;
    return at !== null && office ? { office, start: at } : null;
  };

  const render = (c: Context, shown: Shown, state: MoveState, status: 200 | 409 | 422) =>
    c.html(<MoveConfirmPage page={pageFor(c, options, { office: state.target?.office.id })} shown={shown} state={state} />, status);

  app.get(`${TOKEN_ROUTE}/verschieben/bestaetigen`, async (c) => {
    const shown = await loadShown(ctx, c.req.param('token')!, pageFor(c, options).lang);
    if (!isOpen(shown, ctx.now())) return closed(c, options, shown);
    const chosen = await target(c, c.req.query('office'), c.req.query('start'));
    if (!chosen) return c.redirect(base(shown.token), 303);
    return render(c, shown, { target: chosen, alternatives: null, errors: [] }, 200);
  });

  app.post(`${TOKEN_ROUTE}/verschieben/bestaetigen`, async (c) => {
    const body = await c.req.parseBody();
    const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
    const token = c.req.param('token')!;
    const chosen = await target(c, text('office'), text('start'));
    const shown = await loadShown(ctx, token, pageFor(c, options).lang);
    const alternativesAround = (office: Office, around: number) =>
      nearestAlternatives(ctx, { services: shown.view.services, officeId: office.id, around, timeZone: office.time_zone });
    if (!chosen) {
      // The alternatives were offered and none was picked.
      const taken = await target(c, text('office'), text('taken'));
      if (!taken) return c.redirect(base(token), 303);
      const alternatives = await alternativesAround(taken.office, taken.start);
      const message = pageFor(c, options).t.details.chooseTime;
      return render(
        c,
        shown,
        { target: null, alternatives, errors: [{ field: alternatives[0] ? `zeit-${alternatives[0].start}` : 'zeiten', message }], taken },
        422,
      );
    }
    try {
      await rescheduleAppointment(ctx, token, { start: chosen.start, officeId: chosen.office.id });
      return c.redirect(`/termin/${token}?erfolg=verschoben`, 303);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if (error.code === 'slot_unavailable' || error.code === 'start_in_past') {
        return render(
          c,
          shown,
          { target: null, alternatives: await alternativesAround(chosen.office, chosen.start), errors: [], taken: chosen },
          409,
        );
      }
      if (error.code === 'too_late' || error.code === 'invalid_state') return closed(c, options, shown, 409);
      throw error;
    }
  });
}

function MovePickPage({ page, shown, picker, links }: { page: Page; shown: Shown; picker: Picker; links: PickerLinks }) {
  const { t } = page;
  return (
    <Layout page={page} title={t.move.title} noindex scripts={[page.assets.picker]}>
      <BackLink href={`/termin/${shown.token}`} label={t.confirm.toAppointment} />
      <h1 class="kern-heading-large">{t.move.title}</h1>
      <h2 class="kern-heading-medium">{t.move.current}</h2>
      <AppointmentFacts page={page} shown={shown} withStatus={false} />
      <p class="kern-body">{t.move.intro}</p>
      <SlotPicker page={page} picker={picker} links={links} />
    </Layout>
  );
}

function MoveConfirmPage({ page, shown, state }: { page: Page; shown: Shown; state: MoveState }) {
  const { t, lang } = page;
  const { target, alternatives, errors, taken } = state;
  const newWhen = (office: Office, start: number) =>
    `${formatDateTime(new Date(start), office.time_zone, lang)} – ${formatTime(new Date(start + (shown.end - shown.start)), office.time_zone, lang)}, ${office.name}`;
  const backToPicker = `/termin/${shown.token}/verschieben`;
  return (
    <Layout page={page} title={t.move.confirmTitle} hasErrors={errors.length > 0 || Boolean(taken)} noindex>
      <BackLink href={backToPicker} label={t.move.otherTime} />
      <h1 class="kern-heading-large">{t.move.confirmTitle}</h1>
      <ErrorSummary title={t.errors.summaryTitle} errors={errors} />
      {taken && errors.length === 0 ? (
        <Alert variant="warning" title={t.details.slotTakenTitle} role="alert" focus>
          <p class="kern-body">{formatDateTime(new Date(taken.start), taken.office.time_zone, lang)}</p>
        </Alert>
      ) : null}
      <Facts
        rows={[
          [t.appointment.reference, shown.view.reference],
          [t.move.from, `${whenText(shown, lang)}, ${shown.office.name}`],
          ...(target ? [[t.move.to, newWhen(target.office, target.start)] as [string, string]] : []),
        ]}
      />
      <form method="post" action={`/termin/${shown.token}/verschieben/bestaetigen`}>
        {target ? (
          <>
            <Hidden name="office" value={target.office.id} />
            <Hidden name="start" value={isoInZone(target.start, target.office.time_zone)} />
          </>
        ) : taken ? (
          <MoveAlternatives page={page} taken={taken} alternatives={alternatives ?? []} error={errors[0]?.message} />
        ) : null}
        <div class="actions">
          <SubmitButton label={t.move.submit} />
        </div>
      </form>
    </Layout>
  );
}

function MoveAlternatives({
  page,
  taken,
  alternatives,
  error,
}: {
  page: Page;
  taken: Target;
  alternatives: Slot[];
  error: string | undefined;
}) {
  const { t, lang } = page;
  const tz = taken.office.time_zone;
  return (
    <>
      <Hidden name="office" value={taken.office.id} />
      <Hidden name="taken" value={isoInZone(taken.start, tz)} />
      <fieldset class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`} id="zeiten">
        <legend class="kern-label">{t.details.alternativesLegend}</legend>
        <div class="kern-fieldset__body">
          {alternatives.length === 0 ? <p class="kern-body">{t.details.noAlternatives}</p> : null}
          {alternatives.map((slot) => (
            <div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                type="radio"
                name="start"
                id={`zeit-${slot.start}`}
                value={isoInZone(slot.start, tz)}
                aria-describedby={error ? 'zeiten-fehler' : undefined}
              />
              <label class="kern-label" for={`zeit-${slot.start}`}>
                {formatDateTime(new Date(slot.start), tz, lang)}
              </label>
            </div>
          ))}
        </div>
        <FieldError id="zeiten-fehler" message={error} />
      </fieldset>
    </>
  );
}
