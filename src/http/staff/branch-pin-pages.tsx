import { Hono, type MiddlewareHandler } from 'hono';
import { setBranchPin } from '../../app/staff/branch-pin.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { DomainError } from '../../domain/errors.ts';
import { BRANCH_PIN_MAX } from '../../domain/branch-credentials.ts';
import { Alert, ErrorSummary, type FormError } from '../pages/components.tsx';
import type { StaffEnv } from './auth.ts';
import { branchPinMessages } from './messages/branch-pin.ts';
import { CsrfField, errorText, loginRedirect, StaffLayout, staffPageFor, stagePath, type StaffPage } from './page.tsx';

// The branch PIN (docs/decisions/0009-branch-credentials.md). Centrally: chosen after a full login
// (a login stage for everyone of an office with a branch node, later to change). On a branch node
// (`centralUrl` set) neither PIN nor password can be changed — the next change-feed page would undo
// it — so those pages say where to go instead.

const field = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');

export function branchPinPages(ctx: AppContext, options: { centralUrl?: string | undefined }) {
  const pages = new Hono<StaffEnv>();
  const { centralUrl } = options;
  if (centralUrl) {
    const elsewhere = (status: 200 | 403) => (c: Parameters<MiddlewareHandler<StaffEnv>>[0]) =>
      c.html(<ChangeCentrally page={staffPageFor(c)} centralUrl={centralUrl} />, status);
    pages.get('/zweigstellen-pin', elsewhere(200));
    pages.get('/passwort', elsewhere(200));
    pages.post('/passwort', elsewhere(403));
    return pages;
  }

  const guard: MiddlewareHandler<StaffEnv> = async (c, next) => {
    const session = c.get('session');
    if (!session) return loginRedirect(c);
    if (session.stage !== 'branch_pin' && session.stage !== 'active') return c.redirect(stagePath(session.stage), 303);
    return next();
  };
  pages.get('/zweigstellen-pin', guard, (c) =>
    c.html(<PinPage page={staffPageFor(c)} errors={[]} saved={c.req.query('gespeichert') !== undefined} />),
  );
  pages.post('/zweigstellen-pin', guard, async (c) => {
    const page = staffPageFor(c);
    const t = branchPinMessages[page.lang];
    const form = await c.req.parseBody();
    if (field(form, 'pin') !== field(form, 'repeat'))
      return c.html(<PinPage page={page} errors={[{ field: 'repeat', message: t.mismatch }]} saved={false} />, 422);
    try {
      await setBranchPin(ctx, { userId: c.get('session')!.user.id, password: field(form, 'password'), pin: field(form, 'pin') });
    } catch (error) {
      const target = error instanceof DomainError && error.code === 'invalid_credentials' ? 'password' : 'pin';
      return c.html(<PinPage page={page} errors={[{ field: target, message: errorText(error, page.lang) }]} saved={false} />, 422);
    }
    // The stage of the login flow leads on to work; a later change stays here and says it is done.
    return c.redirect(c.get('session')!.stage === 'branch_pin' ? '/staff' : '/staff/zweigstellen-pin?gespeichert', 303);
  });
  return pages;
}

function PinPage({ page, errors, saved }: { page: StaffPage; errors: FormError[]; saved: boolean }) {
  const t = branchPinMessages[page.lang];
  const input = (id: string, label: string, autocomplete: string, numeric: boolean) => {
    const error = errors.find((e) => e.field === id)?.message;
    return (
      <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
        <label class="kern-label" for={id}>
          {label}
        </label>
        {numeric ? (
          <div class="kern-hint" id={`${id}-hinweis`}>
            {t.rules}
          </div>
        ) : null}
        <input
          class="kern-form-input__input"
          id={id}
          name={id}
          type="password"
          autocomplete={autocomplete}
          inputmode={numeric ? 'numeric' : undefined}
          maxlength={numeric ? BRANCH_PIN_MAX : undefined}
          required
          aria-describedby={numeric ? `${id}-hinweis` : undefined}
          aria-invalid={error ? 'true' : undefined}
        />
      </div>
    );
  };
  return (
    <StaffLayout page={page} title={t.title} hasErrors={errors.length > 0}>
      <h1 class="kern-heading-large">{t.title}</h1>
      {saved ? (
        <Alert variant="success" title={t.saved} role="status">
          <p class="kern-body">
            <a class="kern-link" href="/staff">
              {t.toWork}
            </a>
          </p>
        </Alert>
      ) : null}
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <p class="kern-body">{t.intro}</p>
      <form method="post" action="/staff/zweigstellen-pin" novalidate>
        <CsrfField page={page} />
        {input('password', t.password, 'current-password', false)}
        {input('pin', t.pin, 'off', true)}
        {input('repeat', t.repeat, 'off', true)}
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t.submit}</span>
        </button>
      </form>
    </StaffLayout>
  );
}

function ChangeCentrally({ page, centralUrl }: { page: StaffPage; centralUrl: string }) {
  const t = branchPinMessages[page.lang];
  const href = `${centralUrl}/staff/zweigstellen-pin`;
  return (
    <StaffLayout page={page} title={t.branchChangeTitle}>
      <h1 class="kern-heading-large">{t.branchChangeTitle}</h1>
      <p class="kern-body">
        {t.branchChange}{' '}
        <a class="kern-link" href={href}>
          {href}
        </a>
      </p>
    </StaffLayout>
  );
}
