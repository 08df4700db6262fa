import { Hono, type Context } from 'hono';
import { listTownNames } from '../../app/setup/setup-store.ts';
import { Temporal } from 'temporal-polyfill';
import { isOffered, listOffices } from '../../app/shared/catalogue.ts';
import type { AppContext } from '../../app/shared/context.ts';
import {
  changeStaffAccount,
  disableStaffAccount,
  enableStaffAccount,
  resetStaffPassword,
  resetStaffSecondFactor,
} from '../../app/staff/staff-account-changes.ts';
import { createStaffUser, listStaffAccounts, type StaffAccountLine } from '../../app/staff/staff-accounts.ts';
import { DomainError } from '../../domain/errors.ts';
import { isStaffRole, type Principal, type StaffRole } from '../../domain/staff-access.ts';
import { assignableRoles } from '../../domain/staff-accounts.ts';
import { actorOf, canAccessOffice, isKreisAdmin } from '../../domain/staff-access.ts';
import type { StaffEnv } from './auth.ts';
import { accountMessages } from './messages/staff-accounts.ts';
import { requirePageRole, requireStage, staffPageFor } from './page.tsx';
import {
  AccountForm,
  AccountDetailPage,
  AccountListPage,
  ConfirmPage,
  OneTimePasswordPage,
  type AccountView,
  type OfficeChoice,
} from './staff-account-views.tsx';

// /staff/verwaltung/konten (issue #19): admins manage every staff account, team leads the clerks of
// their own offices (domain/staff-accounts.ts). Every change is a POST form with the CSRF token,
// deactivation and resets after a confirmation page; one-time passwords are shown once, straight
// from the POST. The use cases check the rules again and audit before and after.

const BASE = '/staff/verwaltung/konten';
type Form = Record<string, string | File | (string | File)[]>;
const text = (form: Form, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
const list = (form: Form, name: string) => [form[name] ?? []].flat().filter((v): v is string => typeof v === 'string');

export function accountPages(ctx: AppContext) {
  const pages = new Hono<StaffEnv>();
  for (const path of ['/verwaltung/konten', '/verwaltung/konten/*']) {
    pages.use(path, requireStage('active'), requirePageRole('teamlead'));
    // A branch node mirrors the accounts of its office from the central server, which would overwrite
    // any change made here: the page says where accounts are managed.
    pages.use(path, async (_c, next) => {
      if (ctx.settings.branchNode) throw new DomainError('set_centrally', 'Staff accounts are managed on the central server');
      return next();
    });
  }

  const offices = async (): Promise<OfficeChoice[]> =>
    (await listOffices(ctx.db)).map((o) => ({ id: o.id, name: o.name, timeZone: o.time_zone, offered: isOffered(o) }));

  /** Offices the manager may give; a retired office is shown in lists but no longer chosen. */
  const choosable = (all: OfficeChoice[], manager: Principal) => all.filter((o) => o.offered && canAccessOffice(manager, o.id));

  const view = (line: StaffAccountLine, all: OfficeChoice[], lang: 'de' | 'en'): AccountView => {
    const tz = all[0]?.timeZone ?? 'Europe/Berlin';
    return {
      ...line,
      // In the order of every office list (by name), not of the ids.
      officeNames: all.filter((o) => line.officeIds.includes(o.id)).map((o) => o.name),
      lastLogin: line.lastLoginAt
        ? Temporal.Instant.from(line.lastLoginAt).toZonedDateTimeISO(tz).toString({ timeZoneName: 'never' })
        : null,
      lang,
    };
  };

  const findAccount = async (c: Context<StaffEnv>) => {
    const line = (await listStaffAccounts(ctx.db, c.get('principal'))).find((a) => a.id === c.req.param('id'));
    // Another office's account looks exactly like a missing one.
    if (!line) throw new DomainError('not_found', 'No such staff account');
    return line;
  };

  const target = (c: Context<StaffEnv>) => ({
    target: { userId: c.req.param('id')! },
    manager: c.get('principal'),
    actor: actorOf(c.get('principal')),
  });

  pages.get('/verwaltung/konten', async (c) => {
    const page = staffPageFor(c);
    const all = await offices();
    const principal = c.get('principal');
    const accounts = (await listStaffAccounts(ctx.db, principal)).map((a) => view(a, all, page.lang));
    const towns = await listTownNames(ctx.db);
    const townNames = isKreisAdmin(principal) && towns.length > 1 ? Object.fromEntries(towns.map((t) => [t.id, t.name])) : null;
    return c.html(<AccountListPage page={page} accounts={accounts} isAdmin={principal.role === 'admin'} towns={townNames} />);
  });

  const newForm = async (
    c: Context<StaffEnv>,
    values: { email: string; name: string; role: string; officeIds: string[] },
    errors: { field: string; message: string }[] = [],
  ) => {
    const page = staffPageFor(c);
    const principal = c.get('principal');
    return c.html(
      <AccountForm
        page={page}
        roles={assignableRoles(principal)}
        offices={choosable(await offices(), principal)}
        values={values}
        errors={errors}
      />,
      errors.length > 0 ? 422 : 200,
    );
  };

  pages.get('/verwaltung/konten/neu', (c) => newForm(c, { email: '', name: '', role: 'clerk', officeIds: [] }));

  pages.post('/verwaltung/konten/neu', async (c) => {
    const page = staffPageFor(c);
    const m = accountMessages[page.lang];
    const form = (await c.req.parseBody({ all: true })) as Form;
    const values = { email: text(form, 'email'), name: text(form, 'name'), role: text(form, 'role'), officeIds: list(form, 'office') };
    const role: StaffRole = isStaffRole(values.role) ? values.role : 'clerk';
    const errors: { field: string; message: string }[] = [];
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.push({ field: 'email', message: m.emailInvalid });
    if (role !== 'admin' && values.officeIds.length === 0) errors.push({ field: 'offices', message: m.officesMissing });
    if (errors.length > 0) return newForm(c, values, errors);
    try {
      const created = await createStaffUser(ctx, {
        email: values.email,
        displayName: values.name || undefined,
        role,
        officeIds: values.officeIds,
        actor: actorOf(c.get('principal')),
        manager: c.get('principal'),
      });
      return c.html(
        <OneTimePasswordPage
          page={page}
          title={m.created(created.email)}
          password={created.oneTimePassword!}
          accountHref={`${BASE}/${created.userId}`}
        />,
        201,
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'already_exists')
        return newForm(c, values, [{ field: 'email', message: m.exists }]);
      throw error;
    }
  });

  pages.get('/verwaltung/konten/:id', async (c) => {
    const page = staffPageFor(c);
    const m = accountMessages[page.lang];
    const principal = c.get('principal');
    const all = await offices();
    const account = view(await findAccount(c), all, page.lang);
    const ok = c.req.query('ok');
    const notices: Record<string, string> = {
      geaendert: m.changed,
      unveraendert: m.unchanged,
      'zwei-faktor': m.secondFactorReset,
      deaktiviert: m.disabled(account.email),
      aktiviert: m.enabled(account.email),
    };
    const notice = ok ? notices[ok] : undefined;
    return c.html(
      <AccountDetailPage
        page={page}
        account={account}
        roles={assignableRoles(principal)}
        offices={choosable(all, principal)}
        notice={notice}
        isSelf={principal.kind === 'user' && principal.id === account.id}
      />,
    );
  });

  pages.post('/verwaltung/konten/:id', async (c) => {
    const form = (await c.req.parseBody({ all: true })) as Form;
    const role = text(form, 'role');
    if (!isStaffRole(role)) throw new DomainError('validation_failed', 'Unknown role');
    const { changed } = await changeStaffAccount(ctx, { ...target(c), role, officeIds: list(form, 'office') });
    return c.redirect(`${BASE}/${c.req.param('id')}?ok=${changed ? 'geaendert' : 'unveraendert'}`, 303);
  });

  // Deactivation and both resets: a confirmation page first, then the POST.
  const confirmations = {
    deaktivieren: (m: (typeof accountMessages)['de'], email: string) => ({
      title: m.confirmDisableTitle(email),
      body: m.confirmDisable,
      submit: m.confirmDisableSubmit,
    }),
    aktivieren: (m: (typeof accountMessages)['de'], email: string) => ({
      title: m.confirmEnableTitle(email),
      body: m.confirmEnable,
      submit: m.confirmEnableSubmit,
    }),
    passwort: (m: (typeof accountMessages)['de'], email: string) => ({
      title: m.confirmPasswordTitle(email),
      body: m.confirmPassword,
      submit: m.confirmPasswordSubmit,
    }),
    'zwei-faktor': (m: (typeof accountMessages)['de'], email: string) => ({
      title: m.confirmSecondFactorTitle(email),
      body: m.confirmSecondFactor,
      submit: m.confirmSecondFactorSubmit,
    }),
  };
  for (const [action, texts] of Object.entries(confirmations)) {
    pages.get(`/verwaltung/konten/:id/${action}`, async (c) => {
      const page = staffPageFor(c);
      const account = await findAccount(c);
      const href = `${BASE}/${account.id}`;
      return c.html(
        <ConfirmPage page={page} action={`${href}/${action}`} back={href} {...texts(accountMessages[page.lang], account.email)} />,
      );
    });
  }

  pages.post('/verwaltung/konten/:id/deaktivieren', async (c) => {
    const { userId } = await disableStaffAccount(ctx, target(c));
    return c.redirect(`${BASE}/${userId}?ok=deaktiviert`, 303);
  });

  pages.post('/verwaltung/konten/:id/aktivieren', async (c) => {
    const { userId } = await enableStaffAccount(ctx, target(c));
    return c.redirect(`${BASE}/${userId}?ok=aktiviert`, 303);
  });

  pages.post('/verwaltung/konten/:id/passwort', async (c) => {
    const page = staffPageFor(c);
    const reset = await resetStaffPassword(ctx, target(c));
    return c.html(
      <OneTimePasswordPage
        page={page}
        title={accountMessages[page.lang].passwordReset(reset.email)}
        password={reset.oneTimePassword}
        accountHref={`${BASE}/${reset.userId}`}
      />,
    );
  });

  pages.post('/verwaltung/konten/:id/zwei-faktor', async (c) => {
    const { userId } = await resetStaffSecondFactor(ctx, target(c));
    return c.redirect(`${BASE}/${userId}?ok=zwei-faktor`, 303);
  });

  return pages;
}
