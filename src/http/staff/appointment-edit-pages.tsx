import { Hono, type Context } from 'hono';
import type { AppointmentView } from '../../app/appointments/appointment-record.ts';
import {
  editAppointmentByStaff,
  readAppointmentForEdit,
  STAFF_NOTE_MAX,
  type ServiceChoice,
} from '../../app/appointments/edit-appointment.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { Email, Phone } from '../edge-fields.ts';
import { BackLink, ErrorSummary, FieldError, TextInput, type FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { appointmentHandlingMessages, type AppointmentHandlingMessages } from './messages/appointment-handling.ts';
import { CsrfField, errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

// /staff/termine/{id}/bearbeiten (#22): contact data, services and the staff note in one form that
// works without JavaScript — POST, then a redirect to the appointment, or the form again with the
// problems. Another office's or town's appointment is not found (404), as on the detail page.

type EditForm = { name: string; phone: string; email: string; note: string; persons: Map<string, string> };

const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');

export function appointmentEditPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/termine/:id/bearbeiten', requireStage('active'));

  const show = async (c: Context<StaffEnv>, form: EditForm | null, errors: FormError[], status: 200 | 409 | 422) => {
    const page = staffPageFor(c);
    const data = await readAppointmentForEdit(ctx, c.get('principal'), c.req.param('id')!);
    const a = data.appointment;
    const shown: EditForm = form ?? {
      name: a.citizen.name ?? '',
      phone: a.citizen.phone ?? '',
      email: a.citizen.email ?? '',
      note: data.staffNote ?? '',
      persons: new Map(data.services.map((s) => [s.id, String(s.persons)])),
    };
    // Services change only on an appointment still to come (edit-appointment.ts says so too).
    const servicesOpen = (a.status === 'confirmed' || a.status === 'reserved') && Date.parse(a.start) > ctx.now();
    return c.html(
      <EditPage page={page} appointment={a} services={servicesOpen ? data.services : null} form={shown} errors={errors} />,
      status,
    );
  };

  pages.get('/termine/:id/bearbeiten', (c) => show(c, null, [], 200));

  pages.post('/termine/:id/bearbeiten', async (c) => {
    const page = staffPageFor(c);
    const m = appointmentHandlingMessages[page.lang];
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const persons = new Map(
      Object.keys(body)
        .filter((k) => k.startsWith('persons-'))
        .map((k) => [k.slice('persons-'.length), field(body, k)]),
    );
    const form: EditForm = {
      name: field(body, 'name'),
      phone: field(body, 'phone'),
      email: field(body, 'email'),
      note: field(body, 'note'),
      persons,
    };
    const errors = formErrors(form, m);
    if (errors.length > 0) return show(c, form, errors, 422);
    const services = [...persons].map(([serviceId, n]) => ({ serviceId, persons: Number(n) })).filter((s) => s.persons > 0);
    try {
      const edited = await editAppointmentByStaff(ctx, c.get('principal'), {
        appointmentId: id,
        citizen: { name: form.name, phone: form.phone || null, email: form.email || null },
        staffNote: form.note,
        ...(persons.size > 0 ? { services } : {}),
      });
      return c.redirect(`/staff/termine/${id}?ok=${edited.changed.length > 0 ? 'geaendert' : 'unveraendert'}`, 303);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'not_found') throw error;
      const at = ['services_do_not_fit', 'service_not_offered', 'too_many_persons', 'unknown_service'].includes(error.code)
        ? 'services'
        : error.code === 'contact_required'
          ? 'phone'
          : 'name';
      return show(c, form, [{ field: at, message: errorText(error, page.lang) }], error.code === 'validation_failed' ? 422 : 409);
    }
  });

  return pages;
}

function formErrors(form: EditForm, m: AppointmentHandlingMessages): FormError[] {
  const errors: FormError[] = [];
  if (!form.name) errors.push({ field: 'name', message: m.required });
  if (!form.phone && !form.email) errors.push({ field: 'phone', message: m.contactHint });
  if (form.phone && !Phone.safeParse(form.phone).success) errors.push({ field: 'phone', message: m.phoneInvalid });
  if (form.email && !Email.safeParse(form.email).success) errors.push({ field: 'email', message: m.emailInvalid });
  if (form.persons.size > 0) {
    const counts = [...form.persons.values()].map((v) => (v === '' ? 0 : Number(v)));
    if (counts.some((n) => !Number.isInteger(n) || n < 0) || !counts.some((n) => n > 0))
      errors.push({ field: 'services', message: m.noService });
  }
  if (form.note.length > STAFF_NOTE_MAX) errors.push({ field: 'note', message: m.noteTooLong });
  return errors;
}

type EditProps = {
  page: StaffPage;
  appointment: AppointmentView;
  /** null: the services cannot be changed any more. */
  services: ServiceChoice[] | null;
  form: EditForm;
  errors: FormError[];
};

function EditPage({ page, appointment: a, services, form, errors }: EditProps) {
  const m = appointmentHandlingMessages[page.lang];
  const err = (f: string) => errors.find((e) => e.field === f)?.message;
  const title = m.editTitle(a.reference);
  return (
    <StaffLayout page={page} title={title} hasErrors={errors.length > 0}>
      <BackLink href={`/staff/termine/${a.id}`} label={m.back} />
      <h1 class="kern-heading-large">{title}</h1>
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <form method="post" action={`/staff/termine/${a.id}/bearbeiten`} novalidate>
        <CsrfField page={page} />
        <h2 class="kern-heading-medium">{m.contact}</h2>
        <TextInput id="name" label={m.name} value={form.name} required error={err('name')} maxlength={200} autocomplete="off" />
        <TextInput
          id="phone"
          label={m.phone}
          type="tel"
          value={form.phone}
          hint={m.contactHint}
          error={err('phone')}
          inputmode="tel"
          autocomplete="off"
        />
        <TextInput id="email" label={m.email} type="email" value={form.email} error={err('email')} autocomplete="off" />
        <h2 class="kern-heading-medium">{m.services}</h2>
        {services ? (
          <fieldset
            class={`kern-fieldset${err('services') ? ' kern-fieldset--error' : ''}`}
            id="services"
            tabindex={-1}
            aria-describedby="services-hinweis"
          >
            <legend class="kern-label">{m.servicesLegend}</legend>
            <div class="kern-hint" id="services-hinweis">
              {m.servicesHint}
            </div>
            <FieldError id="services-fehler" message={err('services')} />
            <div class="kern-fieldset__body">
              {services.map((s) => (
                <div class="kern-form-input">
                  <label class="kern-label" for={`persons-${s.id}`}>
                    {m.personsOf(page.lang === 'de' ? s.nameDe : s.nameEn)}
                  </label>
                  <input
                    class="kern-form-input__input staff-persons"
                    type="number"
                    id={`persons-${s.id}`}
                    name={`persons-${s.id}`}
                    min={0}
                    max={s.maxPersons}
                    value={form.persons.get(s.id) ?? '0'}
                  />
                </div>
              ))}
            </div>
          </fieldset>
        ) : (
          <p class="kern-body">{m.servicesLocked}</p>
        )}
        <h2 class="kern-heading-medium">{m.note}</h2>
        <div class={`kern-form-input${err('note') ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="note">
            {m.noteLabel}
          </label>
          <div class="kern-hint" id="note-hinweis">
            {m.noteHint}
          </div>
          <textarea
            class={`kern-form-input__input${err('note') ? ' kern-form-input__input--error' : ''}`}
            id="note"
            name="note"
            rows={4}
            maxlength={STAFF_NOTE_MAX}
            aria-describedby={err('note') ? 'note-hinweis note-fehler' : 'note-hinweis'}
          >
            {form.note}
          </textarea>
          <FieldError id="note-fehler" message={err('note')} />
        </div>
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{m.save}</span>
        </button>
      </form>
    </StaffLayout>
  );
}
