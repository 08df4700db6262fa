import { Hono } from 'hono';
import type { AppContext } from '../../app/shared/context.ts';
import { recoveryCodeStatus } from '../../app/staff/recovery-codes.ts';
import { renewRecoveryCodes } from '../../app/staff/staff-auth.ts';
import { DomainError } from '../../domain/errors.ts';
import { Alert, ErrorSummary, TextInput, type FormError } from '../pages/components.tsx';
import { clientIp, type StaffEnv } from './auth.ts';
import { CsrfField, errorText, requireStage, StaffLayout, staffPageFor, type StaffPage } from './page.tsx';

// Recovery codes of the second factor (issue #19): the page that shows a new set once (at enrolment
// and on renewal), the page after a login with one, and /staff/wiederherstellungscodes, where a
// person with a second factor sees how many remain and makes a new set with a current TOTP code.

export function recoveryCodePages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  pages.use('/wiederherstellungscodes', requireStage('active'));

  const show = async (page: StaffPage, userId: string, errors: FormError[] = []) => {
    const status = await recoveryCodeStatus(ctx.db, userId);
    // Clerks without a second factor have no codes to renew.
    if (!status.secondFactor) throw new DomainError('not_found', 'No second factor');
    return <RenewPage page={page} left={status.left} errors={errors} />;
  };

  pages.get('/wiederherstellungscodes', async (c) => c.html(await show(staffPageFor(c), c.get('principal').id)));
  pages.post('/wiederherstellungscodes', async (c) => {
    const page = staffPageFor(c);
    const form = await c.req.parseBody();
    try {
      const { recoveryCodes } = await renewRecoveryCodes(ctx, {
        sessionId: c.get('sessionId')!,
        code: typeof form.code === 'string' ? form.code : '',
        ip: clientIp(c),
      });
      return c.html(<RecoveryCodesPage page={page} codes={recoveryCodes} />, 201);
    } catch (error) {
      if (!(error instanceof DomainError) || !['invalid_totp', 'login_throttled'].includes(error.code)) throw error;
      return c.html(await show(page, c.get('principal').id, [{ field: 'code', message: errorText(error, page.lang) }]), 422);
    }
  });
  return pages;
}

function RenewPage({ page, left, errors }: { page: StaffPage; left: number; errors: FormError[] }) {
  const m = page.t.recovery;
  return (
    <StaffLayout page={page} title={m.renewTitle} hasErrors={errors.length > 0}>
      <h1 class="kern-heading-large">{m.renewTitle}</h1>
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <p class="kern-body">{m.left(left)}</p>
      <p class="kern-body">{m.renewIntro}</p>
      <form method="post" action="/staff/wiederherstellungscodes" novalidate>
        <CsrfField page={page} />
        <TextInput
          id="code"
          label={page.t.totp.code}
          inputmode="numeric"
          autocomplete="one-time-code"
          maxlength={7}
          required
          error={errors.find((e) => e.field === 'code')?.message}
        />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{m.renewSubmit}</span>
        </button>
      </form>
    </StaffLayout>
  );
}

export function RecoveryCodesPage({ page, codes }: { page: StaffPage; codes: string[] }) {
  const m = page.t.recovery;
  return (
    <StaffLayout page={page} title={m.title}>
      <h1 class="kern-heading-large">{m.heading}</h1>
      <p class="kern-body">{m.intro}</p>
      <Alert variant="warning" title={m.keepTitle}>
        <p class="kern-body">{m.keep}</p>
      </Alert>
      <ol class="staff-recovery-codes" aria-label={m.listLabel}>
        {codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a class="kern-btn kern-btn--primary" href="/staff">
          <span class="kern-label">{m.continue}</span>
        </a>
      </p>
    </StaffLayout>
  );
}

export function RecoveryUsedPage({ page, left }: { page: StaffPage; left: number }) {
  const m = page.t.recovery;
  return (
    <StaffLayout page={page} title={m.usedTitle}>
      <h1 class="kern-heading-large">{m.usedTitle}</h1>
      <Alert variant={left <= 2 ? 'warning' : 'info'} title={m.left(left)} role="status" />
      <p class="kern-body">{m.lostPhone}</p>
      <p class="kern-body">
        <a class="kern-link" href="/staff/wiederherstellungscodes">
          {m.renewLink}
        </a>
      </p>
      <p>
        <a class="kern-btn kern-btn--primary" href="/staff">
          <span class="kern-label">{m.continue}</span>
        </a>
      </p>
    </StaffLayout>
  );
}
