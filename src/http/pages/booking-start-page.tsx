import type { Context, Hono } from 'hono';
import { isOffered } from '../../app/shared/catalogue.ts';
import type { Service } from '../../db/schema.ts';
import type { RequestedService } from '../../app/shared/service-selection.ts';
import { ErrorSummary, FieldError, SubmitButton, errorFor, type FormError } from './components.tsx';
import { formatMoney } from './format.ts';
import { LINK_REQUEST_PATH } from './appointment-link-request-page.tsx';
import { linkRequestTexts } from './messages/link-request-texts.ts';
import { Layout } from './layout.tsx';
import { href, pageFor, siteCatalogue, type CitizenPageOptions, type Page } from './page-context.ts';
import { parseServices, servicesParam } from './booking-selection.ts';

const fieldId = (serviceId: string) => `anliegen-${serviceId}`;
const fieldName = (serviceId: string) => `p_${serviceId}`;

/** Step 1: which services, for how many persons. A GET form: choosing is not yet an action. */
export function startRoutes(app: Hono, options: CitizenPageOptions) {
  // Services removed from the town file stay in the catalogue for the appointments that name them.
  // In a Kreis, the services of the request's town only (#20).
  const offered = async (c: Context) => (await siteCatalogue(c, options)).services.filter(isOffered);

  app.get('/', async (c) => {
    const services = await offered(c);
    const preselected = parseServices(c.req.query('services')) ?? [];
    return c.html(<StartPage page={pageFor(c, options)} services={services} chosen={preselected} errors={[]} />);
  });

  app.get('/buchen', async (c) => {
    const services = await offered(c);
    const { chosen, errors } = readChoice(c, services, pageFor(c, options));
    if (errors.length === 0) return c.redirect(href('/buchen/termin', { services: servicesParam(chosen) }), 303);
    return c.html(<StartPage page={pageFor(c, options)} services={services} chosen={chosen} errors={errors} />, 422);
  });
}

function readChoice(c: Context, services: Service[], page: Page): { chosen: RequestedService[]; errors: FormError[] } {
  const chosen: RequestedService[] = [];
  const errors: FormError[] = [];
  for (const service of services.filter((s) => s.online_bookable)) {
    const raw = c.req.query(fieldName(service.id));
    const persons = raw === undefined || raw === '' ? 0 : Number(raw);
    if (!Number.isInteger(persons) || persons < 0 || persons > service.max_persons) {
      errors.push({ field: fieldId(service.id), message: page.t.start.tooMany(service.max_persons) });
    } else if (persons > 0) chosen.push({ serviceId: service.id, persons });
  }
  const first = services.find((s) => s.online_bookable);
  if (chosen.length === 0 && errors.length === 0 && first) errors.push({ field: fieldId(first.id), message: page.t.start.noneChosen });
  return { chosen, errors };
}

function StartPage({
  page,
  services,
  chosen,
  errors,
}: {
  page: Page;
  services: Service[];
  chosen: RequestedService[];
  errors: FormError[];
}) {
  const { t } = page;
  const personsOf = (id: string) => chosen.find((c) => c.serviceId === id)?.persons ?? 0;
  const noneChosen = errors.some((e) => e.message === t.start.noneChosen);
  return (
    <Layout page={page} title={t.start.title} hasErrors={errors.length > 0}>
      <p class="kern-preline">{t.site.step(1, 3)}</p>
      <h1 class="kern-heading-large">{t.start.title}</h1>
      <ErrorSummary title={t.errors.summaryTitle} errors={errors} />
      <p class="kern-body">{t.start.intro}</p>
      <form method="get" action="/buchen" novalidate>
        <fieldset class={`kern-fieldset${noneChosen ? ' kern-fieldset--error' : ''}`} aria-describedby="anliegen-hinweis">
          <legend class="kern-label kern-label--large">{t.start.legend}</legend>
          <div class="kern-hint" id="anliegen-hinweis">
            {t.start.hint}
          </div>
          <ul class="service-list">
            {services.map((s) => (
              <ServiceCard page={page} service={s} persons={personsOf(s.id)} error={errorFor(errors, fieldId(s.id))} />
            ))}
          </ul>
        </fieldset>
        <div class="actions">
          <SubmitButton label={t.start.submit} />
        </div>
      </form>
      <p class="kern-body">
        {t.start.manageHint}{' '}
        <a class="kern-link" href={LINK_REQUEST_PATH}>
          {linkRequestTexts(page.lang).lostMail}
        </a>
      </p>
    </Layout>
  );
}

function ServiceCard({ page, service, persons, error }: { page: Page; service: Service; persons: number; error: string | undefined }) {
  const { t, lang } = page;
  const name = lang === 'en' ? service.name_en : service.name_de;
  const documents = lang === 'en' ? service.documents_en : service.documents_de;
  const id = fieldId(service.id);
  const fee = service.fee_cents ? `${formatMoney(service.fee_cents, lang)} ${t.units.perPerson}` : t.units.free;
  return (
    <li class="service">
      <h2 class="kern-heading-small" id={`${id}-name`}>
        {name}
      </h2>
      <dl class="service__facts">
        <div>
          <dt>{t.start.duration}:</dt>
          <dd>
            {t.units.minutes(service.duration_minutes)} {t.units.perPerson}
          </dd>
        </div>
        <div>
          <dt>{t.start.fee}:</dt>
          <dd>{fee}</dd>
        </div>
      </dl>
      {documents.length > 0 ? (
        <div class="service__bring">
          <span class="kern-body kern-body--bold">{t.start.bring}:</span>
          <ul>
            {documents.map((d) => (
              <li>{d}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {service.online_bookable ? (
        <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for={id}>
            {t.start.personsLabel}
            <span class="kern-sr-only">: {name}</span>
          </label>
          <div class="kern-form-input__select-wrapper">
            <select
              class={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
              id={id}
              name={fieldName(service.id)}
              aria-describedby={error ? `${id}-fehler` : undefined}
              aria-invalid={error ? 'true' : undefined}
            >
              {Array.from({ length: service.max_persons + 1 }, (_, n) => (
                <option value={String(n)} selected={n === persons}>
                  {n === 0 ? t.start.notNeeded : t.units.persons(n)}
                </option>
              ))}
            </select>
          </div>
          <FieldError id={`${id}-fehler`} message={error} />
        </div>
      ) : (
        <p class="kern-body kern-body--muted">{t.start.notOnline}</p>
      )}
    </li>
  );
}
