import { Hono, type Context } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import { giveWalkinSlot, walkinSlotStarts } from '../../app/counter/walkin-slots.ts';
import { listOfficeServices } from '../../app/shared/catalogue.ts';
import { officeTimeZone } from '../../app/shared/office-time.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { walkinSlotMessages } from './messages/counter-walkin-slots.ts';
import { CsrfField, errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

// A walk-in slot (#6) without JavaScript: choose the service, see today's free times in the branch
// lease, give one; the clerk reads the time and reference to the citizen.

type Service = { id: string; name_de: string; name_en: string };
type Shown = {
  service: string;
  persons: number;
  starts: number[] | null;
  slip: { startsAt: string; reference: string; withinLease: boolean } | null;
  error: string | null;
};

export function walkinSlotPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/spontantermin', requireStage('active'));

  const show = async (c: Context<StaffEnv>, officeId: string, shown: Shown, status: 200 | 201 | 404 | 422 = 200) => {
    const services = await listOfficeServices(ctx.db, officeId);
    const timeZone = await officeTimeZone(ctx.db, officeId);
    return c.html(<WalkinSlotPage page={staffPageFor(c)} services={services} timeZone={timeZone} shown={shown} />, status);
  };

  pages.get('/spontantermin', async (c) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    const service = c.req.query('service') ?? '';
    const persons = Math.min(10, Math.max(1, Number(c.req.query('persons')) || 1));
    if (!service) return show(c, officeId, { service, persons, starts: null, slip: null, error: null });
    try {
      const starts = await walkinSlotStarts(ctx, c.get('principal'), { officeId, serviceId: service, persons });
      return show(c, officeId, { service, persons, starts, slip: null, error: null });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'not_found') throw error;
      return show(c, officeId, { service, persons, starts: null, slip: null, error: errorText(error, staffPageFor(c).lang) }, 422);
    }
  });

  pages.post('/spontantermin', async (c) => {
    const officeId = c.get('session')?.officeId;
    if (!officeId) return c.redirect('/staff/standort', 303);
    const form = await c.req.parseBody();
    const service = typeof form.service === 'string' ? form.service : '';
    const persons = Math.min(10, Math.max(1, Number(form.persons) || 1));
    const start = typeof form.start === 'string' && /^\d{10,16}$/.test(form.start) ? Number(form.start) : null;
    try {
      const slot = await giveWalkinSlot(ctx, c.get('principal'), { officeId, serviceId: service, persons, start });
      return show(c, officeId, { service, persons, starts: null, slip: slot, error: null }, 201);
    } catch (error) {
      if (!(error instanceof DomainError) || error.code === 'not_found') throw error;
      return show(c, officeId, { service, persons, starts: null, slip: null, error: errorText(error, staffPageFor(c).lang) }, 422);
    }
  });
  return pages;
}

function WalkinSlotPage({ page, services, timeZone, shown }: { page: StaffPage; services: Service[]; timeZone: string; shown: Shown }) {
  const t = walkinSlotMessages[page.lang];
  const time = (ms: number | string) =>
    new Date(ms).toLocaleTimeString(page.lang === 'de' ? 'de-DE' : 'en-GB', { timeZone, hour: '2-digit', minute: '2-digit' });
  const name = (s: Service) => (page.lang === 'en' ? s.name_en : s.name_de);
  return (
    <StaffLayout page={page} title={t.title} hasErrors={shown.error !== null}>
      <h1 class="kern-heading-large">{t.title}</h1>
      {shown.error ? <Alert variant="danger" title={shown.error} role="alert" /> : null}
      {shown.slip ? (
        <Alert variant={shown.slip.withinLease ? 'success' : 'warning'} title={t.slipTitle} role="status">
          <p class="kern-body">{t.slip(time(shown.slip.startsAt), shown.slip.reference)}</p>
          {shown.slip.withinLease ? null : <p class="kern-body">{t.beyondLease}</p>}
        </Alert>
      ) : null}
      <p class="kern-body">{t.intro}</p>
      <form method="get" action="/staff/spontantermin">
        <div class="kern-form-input">
          <label class="kern-label" for="slot-service">
            {t.service}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select class="kern-form-input__select" id="slot-service" name="service" required>
              {services.map((s) => (
                <option value={s.id} selected={s.id === shown.service}>
                  {name(s)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for="slot-persons">
            {t.persons}
          </label>
          <input
            class="kern-form-input__input"
            type="number"
            id="slot-persons"
            name="persons"
            min={1}
            max={10}
            value={String(shown.persons)}
          />
        </div>
        <button class="kern-btn kern-btn--secondary" type="submit">
          <span class="kern-label">{t.showStarts}</span>
        </button>
      </form>
      {shown.starts ? (
        <form method="post" action="/staff/spontantermin">
          <CsrfField page={page} />
          <input type="hidden" name="service" value={shown.service} />
          <input type="hidden" name="persons" value={String(shown.persons)} />
          {shown.starts.length > 0 ? (
            <fieldset class="kern-fieldset">
              <legend class="kern-label">{t.starts}</legend>
              <div class="kern-fieldset__body kern-fieldset__body--horizontal">
                {shown.starts.map((s, i) => (
                  <div class="kern-form-check">
                    <input class="kern-form-check__radio" type="radio" name="start" value={String(s)} id={`slot-${s}`} checked={i === 0} />
                    <label class="kern-label" for={`slot-${s}`}>
                      {time(s)}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          ) : (
            <p class="kern-body">{t.noStarts}</p>
          )}
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{shown.starts.length > 0 ? t.give : t.giveAnyway}</span>
          </button>
        </form>
      ) : null}
    </StaffLayout>
  );
}
