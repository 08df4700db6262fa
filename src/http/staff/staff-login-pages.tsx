import { Hono, type Context, type MiddlewareHandler } from 'hono';
import QRCode from 'qrcode';
import type { AppContext } from '../../app/shared/context.ts';
import { listOffices } from '../../app/shared/catalogue.ts';
import {
  changePassword,
  chooseOffice,
  completeTotpEnrolment,
  loginWithPassword,
  logout,
  startTotpEnrolment,
  verifySessionTotp,
} from '../../app/staff/staff-auth.ts';
import { DomainError } from '../../domain/errors.ts';
import { canAccessOffice, type LoginStage } from '../../domain/staff-access.ts';
import { Alert, ErrorSummary, TextInput, type FormError } from '../pages/components.tsx';
import { clearSessionCookie, clientIp, setSessionCookie, type StaffEnv } from './auth.ts';
import { branchPinMessages } from './messages/branch-pin.ts';
import { ssoMessages, ssoReasonText } from './messages/sso.ts';
import { RecoveryCodesPage, RecoveryUsedPage } from './recovery-code-pages.tsx';
import { CsrfField, errorText, loginRedirect, requireStage, stagePath, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');

/** Login, second factor, password change, office chooser and logout. */
export function loginPages(
  ctx: AppContext,
  options: { secureCookies: boolean; issuer: string; centralUrl?: string | undefined; sso?: boolean },
) {
  const pages = new Hono<StaffEnv>();

  pages.get('/login', (c) => {
    const session = c.get('session');
    if (session) return c.redirect(stagePath(session.stage), 303);
    const { t } = staffPageFor(c);
    const page = staffPageFor(c);
    const notice =
      c.req.query('abgemeldet') !== undefined ? t.login.loggedOut : c.req.query('beendet') !== undefined ? t.login.ended : undefined;
    const ssoProblem = options.sso ? ssoReasonText(page.lang, c.req.query('sso')) : undefined;
    return c.html(
      <LoginPage
        page={page}
        errors={[]}
        email=""
        notice={notice}
        ssoProblem={ssoProblem}
        centralUrl={options.centralUrl}
        sso={options.sso}
      />,
    );
  });

  pages.post('/login', async (c) => {
    const page = staffPageFor(c);
    const form = await c.req.parseBody();
    const email = field(form, 'email');
    try {
      const { sessionId, stage } = await loginWithPassword(ctx, {
        email,
        password: field(form, 'password'),
        ip: clientIp(c),
        userAgent: c.req.header('user-agent'),
      });
      setSessionCookie(c, sessionId, options.secureCookies);
      return c.redirect(stagePath(stage), 303);
    } catch (error) {
      const throttled = throttledMessage(c, page, error);
      const disabled = error instanceof DomainError && error.code === 'account_disabled';
      return c.html(
        <LoginPage
          page={page}
          errors={[{ field: 'email', message: throttled ?? errorText(error, page.lang) }]}
          email={email}
          centralUrl={options.centralUrl}
          sso={options.sso}
        />,
        throttled ? 429 : disabled ? 403 : 401,
      );
    }
  });

  pages.post('/logout', async (c) => {
    const sessionId = c.get('sessionId');
    if (sessionId) await logout(ctx, sessionId);
    clearSessionCookie(c);
    return c.redirect('/staff/login?abgemeldet', 303);
  });

  pages.get('/code', requireStage('totp_verify'), (c) => c.html(<CodePage page={staffPageFor(c)} errors={[]} />));
  pages.post('/code', requireStage('totp_verify'), async (c) => {
    const page = staffPageFor(c);
    const form = await c.req.parseBody();
    try {
      const verified = await verifySessionTotp(ctx, { sessionId: c.get('sessionId')!, code: field(form, 'code'), ip: clientIp(c) });
      if (verified.via === 'totp') return c.redirect('/staff', 303);
      // The count is news only now: said straight from the POST, like the codes themselves.
      return c.html(<RecoveryUsedPage page={staffPageFor(c)} left={verified.recoveryCodesLeft} />);
    } catch (error) {
      const throttled = throttledMessage(c, page, error);
      return c.html(
        <CodePage page={page} errors={[{ field: 'code', message: throttled ?? errorText(error, page.lang) }]} />,
        throttled ? 429 : 422,
      );
    }
  });

  const enrolPage = async (page: StaffPage, sessionId: string, errors: FormError[]) => {
    const { secret, uri } = await startTotpEnrolment(ctx, { sessionId, issuer: options.issuer });
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return <EnrolPage page={page} errors={errors} secret={secret} svg={svg} />;
  };
  pages.get('/zwei-faktor', requireStage('totp_enrol'), async (c) => c.html(await enrolPage(staffPageFor(c), c.get('sessionId')!, [])));
  pages.post('/zwei-faktor', requireStage('totp_enrol'), async (c) => {
    const page = staffPageFor(c);
    const form = await c.req.parseBody();
    try {
      const { recoveryCodes } = await completeTotpEnrolment(ctx, { sessionId: c.get('sessionId')!, code: field(form, 'code') });
      // Shown once, straight from the POST: only their hashes are stored.
      return c.html(<RecoveryCodesPage page={staffPageFor(c)} codes={recoveryCodes} />, 201);
    } catch (error) {
      return c.html(await enrolPage(page, c.get('sessionId')!, [{ field: 'code', message: errorText(error, page.lang) }]), 422);
    }
  });

  const passwordGuard = requireStageIn(['password_change', 'totp_enrol', 'active']);
  pages.get('/passwort', passwordGuard, (c) => c.html(<PasswordPage page={staffPageFor(c)} errors={[]} />));
  pages.post('/passwort', passwordGuard, async (c) => {
    const page = staffPageFor(c);
    const form = await c.req.parseBody();
    if (field(form, 'new') !== field(form, 'repeat'))
      return c.html(<PasswordPage page={page} errors={[{ field: 'repeat', message: page.t.password.mismatch }]} />, 422);
    try {
      await changePassword(ctx, {
        sessionId: c.get('sessionId')!,
        currentPassword: field(form, 'current'),
        newPassword: field(form, 'new'),
        ip: clientIp(c),
      });
      return c.redirect('/staff', 303);
    } catch (error) {
      const throttled = throttledMessage(c, page, error);
      const target = throttled || (error instanceof DomainError && error.code === 'invalid_credentials') ? 'current' : 'new';
      return c.html(
        <PasswordPage page={page} errors={[{ field: target, message: throttled ?? errorText(error, page.lang) }]} />,
        throttled ? 429 : 422,
      );
    }
  });

  pages.get('/standort', requireStage('active'), async (c) => {
    const principal = c.get('principal');
    const offices = (await listOffices(ctx.db)).filter((o) => canAccessOffice(principal, o.id));
    return c.html(
      <OfficePage
        page={staffPageFor(c)}
        offices={offices.map((o) => ({ id: o.id, name: o.name }))}
        current={c.get('session')?.officeId ?? null}
      />,
    );
  });
  pages.post('/standort', requireStage('active'), async (c) => {
    const form = await c.req.parseBody();
    await chooseOffice(ctx, { sessionId: c.get('sessionId')!, principal: c.get('principal'), officeId: field(form, 'office') });
    return c.redirect('/staff/tagesplan', 303);
  });

  return pages;
}

/** For login_throttled: the sentence with the minutes to wait (and Retry-After); null for any other error. */
function throttledMessage(c: Context, page: StaffPage, error: unknown): string | null {
  if (!(error instanceof DomainError && error.code === 'login_throttled')) return null;
  const minutes = (error.details as { retryAfterMinutes?: number }).retryAfterMinutes ?? 15;
  c.header('Retry-After', String(minutes * 60));
  return page.t.login.throttled(minutes);
}

function requireStageIn(stages: LoginStage[]): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const session = c.get('session');
    if (!session) return loginRedirect(c);
    if (!stages.includes(session.stage)) return c.redirect(stagePath(session.stage), 303);
    return next();
  };
}

/** On a branch node (`centralUrl` set) the secret is the branch PIN, and the page says where it is chosen. */
function LoginPage({
  page,
  errors,
  email,
  notice,
  ssoProblem,
  centralUrl,
  sso,
}: {
  page: StaffPage;
  errors: FormError[];
  email: string;
  notice?: string | undefined;
  ssoProblem?: string | undefined;
  centralUrl?: string | undefined;
  sso?: boolean | undefined;
}) {
  const { t } = page;
  const pin = centralUrl ? branchPinMessages[page.lang] : null;
  const single = ssoMessages[page.lang];
  return (
    <StaffLayout page={page} title={t.login.title} hasErrors={errors.length > 0 || ssoProblem !== undefined}>
      <h1 class="kern-heading-large">{t.login.title}</h1>
      {notice ? <Alert variant="info" title={notice} role="status" /> : null}
      {ssoProblem ? (
        <Alert variant="danger" title={single.title} role="alert">
          <p>{ssoProblem}</p>
        </Alert>
      ) : null}
      <ErrorSummary title={t.site.errorTitle} errors={errors} />
      {sso ? (
        <>
          <p>
            <a class="kern-btn kern-btn--primary" href="/staff/sso">
              <span class="kern-label">{single.button}</span>
            </a>
          </p>
          <p>{single.or}</p>
        </>
      ) : null}
      <form method="post" action="/staff/login" novalidate>
        <TextInput id="email" label={t.login.email} type="email" value={email} autocomplete="username" required />
        <div class="kern-form-input">
          <label class="kern-label" for="password">
            {pin ? pin.branchLogin : t.login.password}
          </label>
          {pin ? (
            <div class="kern-hint" id="password-hinweis">
              {pin.branchLoginHint}{' '}
              <a class="kern-link" href={`${centralUrl}/staff/zweigstellen-pin`}>{`${centralUrl}/staff/zweigstellen-pin`}</a>
            </div>
          ) : null}
          <input
            class="kern-form-input__input"
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            inputmode={pin ? 'numeric' : undefined}
            aria-describedby={pin ? 'password-hinweis' : undefined}
            required
          />
        </div>
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.login.submit}</span>
        </button>
      </form>
    </StaffLayout>
  );
}

/** At login a recovery code (letters too) may stand in for the TOTP code; at enrolment only digits. */
function CodeInput({ page, errors, recovery = false }: { page: StaffPage; errors: FormError[]; recovery?: boolean }) {
  return (
    <TextInput
      id="code"
      label={page.t.totp.code}
      hint={recovery ? page.t.totp.recoveryHint : undefined}
      inputmode={recovery ? undefined : 'numeric'}
      autocomplete="one-time-code"
      maxlength={recovery ? 24 : 7}
      required
      error={errors.find((e) => e.field === 'code')?.message}
    />
  );
}

function CodePage({ page, errors }: { page: StaffPage; errors: FormError[] }) {
  const { t } = page;
  return (
    <StaffLayout page={page} title={t.totp.verifyTitle} hasErrors={errors.length > 0}>
      <h1 class="kern-heading-large">{t.totp.verifyTitle}</h1>
      <ErrorSummary title={t.site.errorTitle} errors={errors} />
      <p class="kern-body">{t.totp.verifyIntro}</p>
      <form method="post" action="/staff/code" novalidate>
        <CsrfField page={page} />
        <CodeInput page={page} errors={errors} recovery />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.totp.submit}</span>
        </button>
      </form>
    </StaffLayout>
  );
}

function EnrolPage({ page, errors, secret, svg }: { page: StaffPage; errors: FormError[]; secret: string; svg: string }) {
  const { t } = page;
  return (
    <StaffLayout page={page} title={t.totp.enrolTitle} hasErrors={errors.length > 0}>
      <h1 class="kern-heading-large">{t.totp.enrolTitle}</h1>
      <ErrorSummary title={t.site.errorTitle} errors={errors} />
      <p class="kern-body">{t.totp.enrolIntro}</p>
      <img
        class="staff-qr"
        alt={t.totp.qrAlt}
        src={`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`}
        width={224}
        height={224}
      />
      <p class="kern-body">
        {t.totp.manualKey}: <code class="staff-key">{secret.replace(/(.{4})/g, '$1 ').trim()}</code>
      </p>
      <form method="post" action="/staff/zwei-faktor" novalidate>
        <CsrfField page={page} />
        <CodeInput page={page} errors={errors} />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.totp.submit}</span>
        </button>
      </form>
    </StaffLayout>
  );
}

function PasswordPage({ page, errors }: { page: StaffPage; errors: FormError[] }) {
  const { t } = page;
  const input = (id: string, label: string, autocomplete: string) => {
    const error = errors.find((e) => e.field === id)?.message;
    return (
      <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for={id}>
          {label}
        </label>
        <input
          class="kern-form-input__input"
          id={id}
          name={id}
          type="password"
          autocomplete={autocomplete}
          required
          aria-invalid={error ? 'true' : undefined}
          minlength={id === 'current' ? undefined : 12}
        />
      </div>
    );
  };
  return (
    <StaffLayout page={page} title={t.password.title} hasErrors={errors.length > 0}>
      <h1 class="kern-heading-large">{t.password.title}</h1>
      <ErrorSummary title={t.site.errorTitle} errors={errors} />
      <p class="kern-body">{t.password.intro}</p>
      <form method="post" action="/staff/passwort" novalidate>
        <CsrfField page={page} />
        {input('current', t.password.current, 'current-password')}
        {input('new', t.password.next, 'new-password')}
        {input('repeat', t.password.repeat, 'new-password')}
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.password.submit}</span>
        </button>
      </form>
    </StaffLayout>
  );
}

function OfficePage({ page, offices, current }: { page: StaffPage; offices: { id: string; name: string }[]; current: string | null }) {
  const { t } = page;
  return (
    <StaffLayout page={page} title={t.office.title}>
      <h1 class="kern-heading-large">{t.office.title}</h1>
      <form method="post" action="/staff/standort">
        <CsrfField page={page} />
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t.office.intro}</legend>
          <div class="kern-fieldset__body">
            {offices.map((o, i) => (
              <div class="kern-form-check">
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  id={`office-${o.id}`}
                  name="office"
                  value={o.id}
                  checked={o.id === current || (current === null && i === 0)}
                />
                <label class="kern-label" for={`office-${o.id}`}>
                  {o.name}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.office.choose}</span>
        </button>
      </form>
    </StaffLayout>
  );
}
