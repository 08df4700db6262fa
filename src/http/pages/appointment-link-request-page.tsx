import type { Context, Hono } from 'hono';
import { resendManageLinks } from '../../app/appointments/resend-manage-links.ts';
import { comparablePhone, isEmailAddress, isPhoneNumber } from '../../domain/contact.ts';
import { clientAddress } from './bot-check.ts';
import { ErrorSummary, Hidden, LinkButton, SubmitButton, TextInput } from './components.tsx';
import { Layout } from './layout.tsx';
import { linkRequestTexts } from './messages/link-request-texts.ts';
import { pageFor, type CitizenPageOptions, type Page } from './page-context.ts';

// "Link erneut zusenden" (#24 item 2), also the way on from a booking that met the person's
// existing appointment (#22 defect 1). Whatever is entered, a well-formed request gets the same
// answer, so nobody learns from this page whether an address has appointments.

export const LINK_REQUEST_PATH = '/termin-link';

type Limiter = { take(address: string): boolean };

/** Splits what was typed into the two ways a person can have booked; null when it is neither. */
export function readContact(text: string): { email: string | null; phone: string | null } | null {
  const value = text.trim();
  if (value.includes('@')) return isEmailAddress(value) ? { email: value, phone: null } : null;
  return isPhoneNumber(value) && comparablePhone(value) !== null ? { email: null, phone: value } : null;
}

export function linkRequestRoutes(app: Hono, options: CitizenPageOptions, deps: { limiter: Limiter }) {
  const { ctx } = options;
  app.get(LINK_REQUEST_PATH, (c) => c.html(<RequestForm page={pageFor(c, options)} value="" error={null} />));

  app.post(LINK_REQUEST_PATH, async (c) => {
    const page = pageFor(c, options);
    const t = linkRequestTexts(page.lang);
    const body = await c.req.parseBody();
    const typed = typeof body.kontakt === 'string' ? body.kontakt.slice(0, 254) : '';
    const contact = readContact(typed);
    if (!contact) return c.html(<RequestForm page={page} value={typed} error={t.contactInvalid} />, 422);
    if (!deps.limiter.take(clientAddress(c))) return answer(c, page, t.limited, 429);
    await resendManageLinks(ctx, contact);
    return answer(c, page, contact.email ? t.sent : `${t.sent} ${t.sentPhone}`, 200);
  });
}

function answer(c: Context, page: Page, text: string, status: 200 | 429) {
  const t = linkRequestTexts(page.lang);
  return c.html(
    <Layout page={page} title={t.sentTitle} noindex>
      <h1 class="kern-heading-large">{status === 200 ? t.sentTitle : t.title}</h1>
      <p class="kern-body">{text}</p>
      <div class="actions">
        <LinkButton href="/" label={t.toStart} variant="secondary" />
      </div>
    </Layout>,
    status,
  );
}

function RequestForm({ page, value, error }: { page: Page; value: string; error: string | null }) {
  const t = linkRequestTexts(page.lang);
  return (
    <Layout page={page} title={t.title} hasErrors={error !== null} noindex>
      <h1 class="kern-heading-large">{t.title}</h1>
      <ErrorSummary title={page.t.errors.summaryTitle} errors={error ? [{ field: 'kontakt', message: error }] : []} />
      <p class="kern-body">{t.intro}</p>
      <form method="post" action={LINK_REQUEST_PATH} novalidate>
        <TextInput
          id="kontakt"
          label={t.contact}
          hint={t.contactHint}
          value={value}
          error={error ?? undefined}
          autocomplete="email"
          required
          maxlength={254}
        />
        <div class="actions">
          <SubmitButton label={t.submit} />
        </div>
      </form>
    </Layout>
  );
}

/** Booking met the person's open appointment for the service: say so and offer the confirmation again. */
export function ExistingAppointmentPage({ page, contact, backHref }: { page: Page; contact: string; backHref: string }) {
  const t = linkRequestTexts(page.lang);
  return (
    <Layout page={page} title={t.existingTitle} noindex>
      <h1 class="kern-heading-large">{t.existingTitle}</h1>
      <p class="kern-body">{t.existingBody}</p>
      <form method="post" action={LINK_REQUEST_PATH}>
        <Hidden name="kontakt" value={contact} />
        <p class="kern-body">{t.existingResendHint}</p>
        <div class="actions">
          <SubmitButton label={t.existingResend} />
          <LinkButton href={backHref} label={t.existingBack} variant="secondary" />
        </div>
      </form>
    </Layout>
  );
}
