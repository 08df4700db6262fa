import type { StaffAccountLine } from '../../app/staff/staff-accounts.ts';
import type { StaffRole } from '../../domain/staff-access.ts';
import type { UiLanguage } from '../language.ts';
import { Alert, ErrorSummary, Facts, TextInput, type FormError } from '../pages/components.tsx';
import { formatWhen } from './dates.ts';
import { accountMessages, type AccountMessages } from './messages/staff-accounts.ts';
import { CsrfField, StaffLayout, type StaffPage } from './page.tsx';
import { StaffTable } from './staff-table.tsx';
import { AdminSectionNav } from './admin-section-nav.tsx';

// What the accounts pages (staff-account-pages.tsx) show: the list, the form to create one, an
// account with its role, offices and access, the confirmation step, and a one-time password.

export type OfficeChoice = { id: string; name: string; timeZone: string; offered: boolean };
/** An account as shown: office names, and the last login in the town's local time (ISO, no zone). */
export type AccountView = StaffAccountLine & { officeNames: string[]; lastLogin: string | null; lang: UiLanguage };

const BASE = '/staff/verwaltung/konten';

function offices(a: AccountView, m: AccountMessages) {
  return a.role === 'admin' ? m.allOffices : a.officeNames.join(', ');
}
const lastLogin = (a: AccountView, m: AccountMessages) => (a.lastLogin ? formatWhen(a.lastLogin, a.lang) : m.never);

/**
 * towns: the names of the Kreis's towns, given to a Kreis admin when there are several — then the list
 * says whose each account is (issue #20); a town's own people see only their town's accounts anyway.
 */
export function AccountListPage({
  page,
  accounts,
  isAdmin,
  towns = null,
}: {
  page: StaffPage;
  accounts: AccountView[];
  isAdmin: boolean;
  towns?: Record<string, string> | null;
}) {
  const m = accountMessages[page.lang];
  const townOf = (a: AccountView) => (a.municipalityId === null ? m.wholeKreis : (towns?.[a.municipalityId] ?? a.municipalityId));
  return (
    <StaffLayout page={page} title={m.title}>
      <AdminSectionNav page={page} />
      <h1 class="kern-heading-large">{m.title}</h1>
      <p class="kern-body">{isAdmin ? m.intro : m.introLead}</p>
      <p>
        <a class="kern-btn kern-btn--primary" href={`${BASE}/neu`}>
          <span class="kern-label">{m.create}</span>
        </a>
      </p>
      {accounts.length === 0 ? (
        <p class="kern-body">{m.none}</p>
      ) : (
        <StaffTable
          label={m.caption}
          columns={[
            m.col.person,
            m.col.role,
            ...(towns ? [m.col.town] : []),
            m.col.offices,
            m.col.lastLogin,
            m.col.secondFactor,
            m.col.state,
          ]}
        >
          {accounts.map((a) => (
            <tr class={a.state === 'disabled' ? 'staff-account--disabled' : undefined}>
              <td>
                <a class="kern-link" href={`${BASE}/${a.id}`} aria-label={m.edit(a.email)}>
                  {a.email}
                </a>
                {a.displayName !== a.email ? (
                  <>
                    <br />
                    <span class="kern-body kern-body--small">{a.displayName}</span>
                  </>
                ) : null}
              </td>
              <td>{m.roles[a.role]}</td>
              {towns ? <td>{townOf(a)}</td> : null}
              <td>{offices(a, m)}</td>
              <td class="staff-nowrap">{lastLogin(a, m)}</td>
              <td>{a.secondFactor ? m.yes : m.no}</td>
              <td>{m.states[a.state]}</td>
            </tr>
          ))}
        </StaffTable>
      )}
    </StaffLayout>
  );
}

/** Role as radio buttons and offices as checkboxes: both work without JavaScript. */
function RoleAndOffices({
  page,
  roles,
  offices: choices,
  role,
  officeIds,
  errors,
}: {
  page: StaffPage;
  roles: StaffRole[];
  offices: OfficeChoice[];
  role: string;
  officeIds: readonly string[];
  errors: FormError[];
}) {
  const m = accountMessages[page.lang];
  const officeError = errors.find((e) => e.field === 'offices')?.message;
  return (
    <>
      <fieldset class="kern-fieldset">
        <legend class="kern-label">{m.role}</legend>
        <div class="kern-fieldset__body">
          {roles.map((r) => (
            <div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                type="radio"
                id={`role-${r}`}
                name="role"
                value={r}
                checked={r === role || roles.length === 1}
              />
              <label class="kern-label" for={`role-${r}`}>
                {m.roles[r]}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <fieldset class={`kern-fieldset${officeError ? ' kern-fieldset--error' : ''}`} aria-describedby="offices-hinweis">
        <legend class="kern-label">{m.offices}</legend>
        <div class="kern-hint" id="offices-hinweis">
          {m.officesHint}
        </div>
        {officeError ? (
          <p class="kern-error" id="offices-fehler">
            <span class="kern-icon kern-icon--danger kern-icon--md" aria-hidden="true"></span>
            <span class="kern-body">{officeError}</span>
          </p>
        ) : null}
        <div class="kern-fieldset__body">
          {choices.map((o, i) => (
            <div class="kern-form-check">
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={i === 0 ? 'offices' : `office-${o.id}`}
                name="office"
                value={o.id}
                checked={officeIds.includes(o.id)}
              />
              <label class="kern-label" for={i === 0 ? 'offices' : `office-${o.id}`}>
                {o.name}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </>
  );
}

export function AccountForm({
  page,
  roles,
  offices: choices,
  values,
  errors,
}: {
  page: StaffPage;
  roles: StaffRole[];
  offices: OfficeChoice[];
  values: { email: string; name: string; role: string; officeIds: string[] };
  errors: FormError[];
}) {
  const m = accountMessages[page.lang];
  return (
    <StaffLayout page={page} title={m.createTitle} hasErrors={errors.length > 0}>
      <p>
        <a class="kern-link" href={BASE}>
          {m.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{m.createTitle}</h1>
      <ErrorSummary title={page.t.site.errorTitle} errors={errors} />
      <form method="post" action={`${BASE}/neu`} novalidate>
        <CsrfField page={page} />
        <TextInput
          id="email"
          label={m.email}
          hint={m.emailHint}
          type="email"
          value={values.email}
          autocomplete="off"
          maxlength={254}
          required
          error={errors.find((e) => e.field === 'email')?.message}
        />
        <TextInput
          id="name"
          label={m.name}
          optionalLabel={m.optional}
          hint={m.nameHint}
          value={values.name}
          autocomplete="off"
          maxlength={120}
        />
        <RoleAndOffices page={page} roles={roles} offices={choices} role={values.role} officeIds={values.officeIds} errors={errors} />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{m.createSubmit}</span>
        </button>
      </form>
    </StaffLayout>
  );
}

export function AccountDetailPage({
  page,
  account,
  roles,
  offices: choices,
  notice,
  isSelf,
}: {
  page: StaffPage;
  account: AccountView;
  roles: StaffRole[];
  offices: OfficeChoice[];
  notice?: string | undefined;
  isSelf: boolean;
}) {
  const m = accountMessages[page.lang];
  const href = `${BASE}/${account.id}`;
  const secondFactor = account.secondFactor ? `${m.yes} (${m.recoveryLeft(account.recoveryCodesLeft)})` : m.no;
  return (
    <StaffLayout page={page} title={m.detailTitle(account.email)}>
      <p>
        <a class="kern-link" href={BASE}>
          {m.back}
        </a>
      </p>
      <h1 class="kern-heading-large">{m.detailTitle(account.email)}</h1>
      {notice ? <Alert variant="success" title={notice} role="status" /> : null}
      <Facts
        rows={[
          [m.facts.name, account.displayName],
          [m.col.role, m.roles[account.role]],
          [m.col.offices, offices(account, m)],
          [m.facts.state, m.states[account.state]],
          [m.facts.lastLogin, lastLogin(account, m)],
          [m.facts.secondFactor, secondFactor],
        ]}
      />
      <h2 class="kern-heading-medium">{m.changeTitle}</h2>
      <form method="post" action={href}>
        <CsrfField page={page} />
        <RoleAndOffices
          page={page}
          roles={isSelf ? [account.role] : roles}
          offices={choices}
          role={account.role}
          officeIds={account.officeIds}
          errors={[]}
        />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{m.changeSubmit}</span>
        </button>
      </form>
      <h2 class="kern-heading-medium">{m.actionsTitle}</h2>
      <ul class="staff-account-actions">
        <li>
          <a class="kern-btn kern-btn--secondary" href={`${href}/passwort`}>
            <span class="kern-label">{m.resetPassword}</span>
          </a>
        </li>
        {account.secondFactor ? (
          <li>
            <a class="kern-btn kern-btn--secondary" href={`${href}/zwei-faktor`}>
              <span class="kern-label">{m.resetSecondFactor}</span>
            </a>
          </li>
        ) : null}
        {account.state === 'disabled' ? (
          <li>
            <a class="kern-btn kern-btn--secondary" href={`${href}/aktivieren`}>
              <span class="kern-label">{m.enable}</span>
            </a>
          </li>
        ) : !isSelf ? (
          <li>
            <a class="kern-btn kern-btn--secondary" href={`${href}/deaktivieren`}>
              <span class="kern-label">{m.disable}</span>
            </a>
          </li>
        ) : null}
      </ul>
    </StaffLayout>
  );
}

export function ConfirmPage({
  page,
  title,
  body,
  submit,
  action,
  back,
}: {
  page: StaffPage;
  title: string;
  body: string;
  submit: string;
  action: string;
  back: string;
}) {
  const m = accountMessages[page.lang];
  return (
    <StaffLayout page={page} title={title}>
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body">{body}</p>
      <form method="post" action={action} class="staff-confirm">
        <CsrfField page={page} />
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{submit}</span>
        </button>
        <a class="kern-btn kern-btn--tertiary" href={back}>
          <span class="kern-label">{m.cancel}</span>
        </a>
      </form>
    </StaffLayout>
  );
}

export function OneTimePasswordPage({
  page,
  title,
  password,
  accountHref,
}: {
  page: StaffPage;
  title: string;
  password: string;
  accountHref: string;
}) {
  const m = accountMessages[page.lang];
  return (
    <StaffLayout page={page} title={title}>
      <h1 class="kern-heading-large">{title}</h1>
      <Alert variant="success" title={m.oneTimePassword} role="status">
        <p class="staff-one-time-password">
          <code>{password}</code>
        </p>
        <p class="kern-body">{m.oneTimeHint}</p>
      </Alert>
      <ul class="staff-account-actions">
        <li>
          <a class="kern-link" href={accountHref}>
            {m.toAccount}
          </a>
        </li>
        <li>
          <a class="kern-link" href={BASE}>
            {m.back}
          </a>
        </li>
      </ul>
    </StaffLayout>
  );
}
