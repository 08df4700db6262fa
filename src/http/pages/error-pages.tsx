import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, ERROR_CODES } from '../../domain/errors.ts';
import { ERROR_MESSAGES } from '../api/error-messages.ts';
import { LINK_REQUEST_PATH } from './appointment-link-request-page.tsx';
import { LinkButton } from './components.tsx';
import { linkRequestTexts } from './messages/link-request-texts.ts';
import { Layout } from './layout.tsx';
import { pageFor, type CitizenPageOptions } from './page-context.ts';
import { errorNumberText, failedLine } from '../request-log.ts';

/** A page that only explains and offers one way on. */
export function MessagePage(
  c: Context,
  options: CitizenPageOptions,
  content: { title: string; body: string; link?: { href: string; label: string }; errorNumber?: string | null },
  status: ContentfulStatusCode,
) {
  const page = pageFor(c, options);
  return c.html(
    <Layout page={page} title={content.title} noindex>
      <h1 class="kern-heading-large">{content.title}</h1>
      <p class="kern-body">{content.body}</p>
      {content.errorNumber ? <p class="kern-body">{content.errorNumber}</p> : null}
      <div class="actions">
        <LinkButton href={content.link?.href ?? '/'} label={content.link?.label ?? page.t.errors.toStart} variant="secondary" />
      </div>
    </Layout>,
    status,
  );
}

export function notFoundPage(c: Context, options: CitizenPageOptions) {
  const { t } = pageFor(c, options);
  const isAppointment = c.req.path.startsWith('/termin/');
  return MessagePage(
    c,
    options,
    isAppointment
      ? {
          title: t.manage.notFoundTitle,
          body: t.manage.notFoundBody,
          link: { href: LINK_REQUEST_PATH, label: linkRequestTexts(pageFor(c, options).lang).footerLink },
        }
      : { title: t.errors.notFoundTitle, body: t.errors.notFoundBody },
    404,
  );
}

/** A form (citizen or kiosk) with a body over its route's limit (body-limit.ts). */
export function tooLargePage(c: Context, options: CitizenPageOptions) {
  const { t } = pageFor(c, options);
  return MessagePage(c, options, { title: t.errors.tooLargeTitle, body: t.errors.tooLargeBody }, 413);
}

/** Errors the page handlers did not turn into a form message: an HTML page, never JSON. */
export function pageError(error: Error, c: Context, options: CitizenPageOptions, log: (message: string, error: unknown) => void) {
  if (error instanceof DomainError && (error.code === 'not_found' || error.code === 'office_not_found')) return notFoundPage(c, options);
  // A refusal no handler turned into a form message (a value from a tampered link) is still the
  // person's mistake: its 4xx and a message in their language, never the 'internal error' page.
  if (error instanceof DomainError) {
    const { t, lang } = pageFor(c, options);
    return MessagePage(c, options, { title: ERROR_MESSAGES[error.code][lang], body: t.errors.generic }, ERROR_CODES[error.code]);
  }
  log(failedLine(c), error);
  const { t, lang } = pageFor(c, options);
  return MessagePage(
    c,
    options,
    { title: t.errors.internalTitle, body: t.errors.internalBody, errorNumber: errorNumberText(c, lang) },
    500,
  );
}
