import { parseArgs } from 'node:util';
import type { AppContext } from '../app/shared/context.ts';
import { openRuntime } from '../bootstrap.ts';
import { loadConfig } from '../config.ts';
import { DomainError } from '../domain/errors.ts';
import { isStaffRole, STAFF_ROLES, type StaffRole } from '../domain/staff-access.ts';
import {
  addUser,
  createToken,
  disableUser as disableUserOperation,
  enableUser as enableUserOperation,
  listTokens,
  listUsers as listUsersOperation,
  resetUser as resetUserOperation,
  resetUserPassword as resetUserPasswordOperation,
  resetUserSecondFactor as resetUserSecondFactorOperation,
  revokeToken,
  setUserTown,
} from '../http/control/control-operations.ts';
import { executeFor, type Execute } from './control-client.ts';
import { domainErrorText } from './cli-errors.ts';

// `schalter user …` and `schalter token …`: how an operator creates the first accounts and the
// tokens of integrations. Secrets go to stdout alone (scriptable); everything else to stderr.
// Each command is one operation (src/http/control/control-operations.ts): run in this process, or by
// the server that holds the data folder while it runs; the result is printed the same either way.

export const STAFF_HELP = `  user add --email E --role clerk|teamlead|admin --office ID [--office ID …] [--name N] [--password-stdin]
           [--municipality ID | --kreis [--personal-data]]
                     create a staff account; prints a one-time password (or reads one from stdin);
                     it must be changed at first login. Admins work for every office of their town
                     (no --office). The town: --municipality ID; left out, the town of the offices, for
                     an admin the only town — in a Kreis of several towns an admin needs --municipality
                     or --kreis (an admin of the whole Kreis: set-up of every town, no personal data of
                     citizens unless --personal-data grants it)
  user town --email E (--municipality ID | --kreis) [--personal-data yes|no]
                     move an account to another town or to the whole Kreis (admins only); the grant of
                     personal data counts only for an admin of the whole Kreis
  user list          accounts: email, role, offices, state (active | disabled | needs_reset: give a new
                     one-time password), second factor (totp | -), last login (ISO time | never),
                     town (kreis: an admin of the whole Kreis; -: none, an installation without towns)
  user disable --email E          deactivate: logins refused, that person's sessions end at once
  user enable --email E           undo disable: the same password and second factor work again
  user reset-password --email E   a new one-time password (shown once); the second factor stays
  user reset-2fa --email E        remove the TOTP secret and recovery codes (a lost phone): the next
                     login enrols a new second factor
  user reset --email E   all at once: new one-time password; second factor, recovery codes, branch PIN
                     and sessions are cleared
  token create --name N --role clerk|teamlead|admin [--office ID …] [--municipality ID | --kreis]
                     create an API token for an integration; printed once, only its hash is kept;
                     the town as for \`user add\` (a Kreis token never sees personal data)
  token revoke ID|NAME   revoke a token at once
  token list         list tokens (never the secrets)
`;

export type StaffCliIo = {
  out: (text: string) => void;
  err: (text: string) => void;
  readStdin: () => Promise<string>;
  execute: Execute;
};

class Usage extends Error {}

/** The real terminal: config from the environment, progress lines on stderr. */
export function terminalIo(env: NodeJS.ProcessEnv): StaffCliIo & { open: () => Promise<{ ctx: AppContext; close: () => Promise<void> }> } {
  const progress = (line: string) => void process.stderr.write(`${line}\n`);
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    open: async () => {
      const runtime = await openRuntime(loadConfig(env), progress);
      return { ctx: runtime.ctx, close: runtime.shutdown };
    },
    // The config is read when a command runs, after its arguments were checked (usage errors need none).
    execute: (operation, input) => executeFor(loadConfig(env), progress)(operation, input),
  };
}

export async function runUserCommand(args: string[], io: StaffCliIo): Promise<number> {
  return guard(io, async () => {
    const [sub, ...rest] = args;
    if (sub === 'reset') return resetUser(rest, io);
    if (sub === 'list') return listUsers(rest, io);
    if (sub === 'disable') return disableUser(rest, io);
    if (sub === 'enable') return enableUser(rest, io);
    if (sub === 'reset-password') return resetUserPassword(rest, io);
    if (sub === 'reset-2fa') return resetUserSecondFactor(rest, io);
    if (sub === 'town') return setUserTownCommand(rest, io);
    if (sub !== 'add')
      throw new Usage(sub ? `unknown user command "${sub}" (known: ${USER_COMMANDS})` : `user needs a command: ${USER_COMMANDS}`);
    const { values } = parse(rest, {
      email: { type: 'string' },
      role: { type: 'string' },
      office: { type: 'string', multiple: true },
      name: { type: 'string' },
      'password-stdin': { type: 'boolean' },
      ...TOWN_OPTIONS,
      'personal-data': { type: 'boolean' },
    });
    const email = required(values.email, '--email');
    const role = roleOf(values.role);
    const officeIds = officesFor(role, values.office);
    const municipalityId = townOf(role, values);
    if (values['personal-data'] && municipalityId !== null)
      throw new Usage('--personal-data is a grant for an admin of the whole Kreis: use it with --kreis');
    const password = values['password-stdin'] ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined;
    if (password !== undefined && password.length === 0) throw new Usage('--password-stdin: nothing was read from stdin');
    const created = await io.execute(addUser, {
      email,
      displayName: values.name,
      role,
      officeIds,
      municipalityId,
      personalData: values['personal-data'],
      password,
    });
    const town =
      created.municipalityId === null
        ? `ganzer Kreis / whole Kreis${created.personalData ? ', mit personenbezogenen Daten / with personal data' : ''}`
        : `Stadt / town ${created.municipalityId}`;
    io.err(
      `Konto angelegt / account created: ${created.email} (${role}, ${town}${officeIds.length ? `, ${officeIds.join(', ')}` : ', alle Standorte / all offices'})\n`,
    );
    if (created.oneTimePassword) {
      io.err(
        'Einmalpasswort (wird nur jetzt angezeigt, bei der ersten Anmeldung zu ändern) / one-time password (shown once, changed at first login):\n',
      );
      io.out(`${created.oneTimePassword}\n`);
    }
    return 0;
  });
}

async function resetUser(args: string[], io: StaffCliIo): Promise<number> {
  const { values } = parse(args, { email: { type: 'string' } });
  const email = required(values.email, '--email');
  const reset = await io.execute(resetUserOperation, { email });
  io.err(`Konto zurückgesetzt / account reset: ${reset.email}. Einmalpasswort (nur jetzt sichtbar) / one-time password (shown once):\n`);
  io.out(`${reset.oneTimePassword}\n`);
  return 0;
}

const USER_COMMANDS = 'add, list, town, disable, enable, reset-password, reset-2fa, reset';

const TOWN_OPTIONS = { municipality: { type: 'string' }, kreis: { type: 'boolean' } } as const;

/** --municipality ID → that town; --kreis → null (the whole Kreis, admins only); neither → undefined (the default). */
function townOf(role: StaffRole, values: { municipality?: string | undefined; kreis?: boolean | undefined }): string | null | undefined {
  if (values.municipality !== undefined && values.kreis) throw new Usage('--municipality and --kreis exclude each other');
  if (values.kreis) {
    if (role !== 'admin') throw new Usage(`only an admin belongs to the whole Kreis; a ${role} works for offices of one town`);
    return null;
  }
  if (values.municipality === undefined) return undefined;
  return required(values.municipality, '--municipality');
}

async function setUserTownCommand(args: string[], io: StaffCliIo): Promise<number> {
  const { values } = parse(args, { email: { type: 'string' }, ...TOWN_OPTIONS, 'personal-data': { type: 'string' } });
  const email = required(values.email, '--email');
  if (values.municipality === undefined && !values.kreis) throw new Usage('user town needs --municipality ID or --kreis');
  if (values.municipality !== undefined && values.kreis) throw new Usage('--municipality and --kreis exclude each other');
  const grant = values['personal-data'];
  if (grant !== undefined && grant !== 'yes' && grant !== 'no') throw new Usage(`--personal-data must be yes or no, not "${grant}"`);
  if (grant === 'yes' && !values.kreis) throw new Usage('--personal-data is a grant for an admin of the whole Kreis: use it with --kreis');
  const done = await io.execute(setUserTown, {
    email,
    municipalityId: values.kreis ? null : required(values.municipality, '--municipality'),
    personalData: grant === undefined ? undefined : grant === 'yes',
  });
  const town =
    done.municipalityId === null
      ? `ganzer Kreis / whole Kreis, personenbezogene Daten / personal data: ${done.personalData ? 'ja / yes' : 'nein / no'}`
      : `Stadt / town ${done.municipalityId}`;
  io.err(`${done.changed ? 'Konto geändert / account changed' : 'Keine Änderung / nothing changed'}: ${done.email} (${town})\n`);
  return 0;
}

function emailOf(args: string[]): string {
  const { values } = parse(args, { email: { type: 'string' } });
  return required(values.email, '--email');
}

async function disableUser(args: string[], io: StaffCliIo): Promise<number> {
  const done = await io.execute(disableUserOperation, { email: emailOf(args) });
  io.err(
    done.alreadyDisabled
      ? `Konto war schon deaktiviert / account was already deactivated: ${done.email}\n`
      : `Konto deaktiviert, Sitzungen beendet / account deactivated, sessions ended: ${done.email}\n`,
  );
  return 0;
}

async function enableUser(args: string[], io: StaffCliIo): Promise<number> {
  const done = await io.execute(enableUserOperation, { email: emailOf(args) });
  io.err(
    done.alreadyActive
      ? `Konto war schon aktiv / account was already active: ${done.email}\n`
      : `Konto wieder aktiv / account active again: ${done.email}\n`,
  );
  return 0;
}

async function resetUserPassword(args: string[], io: StaffCliIo): Promise<number> {
  const reset = await io.execute(resetUserPasswordOperation, { email: emailOf(args) });
  io.err(
    `Passwort zurückgesetzt / password reset: ${reset.email}. Einmalpasswort (nur jetzt sichtbar) / one-time password (shown once):\n`,
  );
  io.out(`${reset.oneTimePassword}\n`);
  return 0;
}

async function resetUserSecondFactor(args: string[], io: StaffCliIo): Promise<number> {
  const reset = await io.execute(resetUserSecondFactorOperation, { email: emailOf(args) });
  io.err(
    `Zweiter Faktor entfernt, Sitzungen beendet / second factor removed, sessions ended: ${reset.email} — bei der nächsten Anmeldung neu einzurichten / enrolled anew at the next login\n`,
  );
  return 0;
}

async function listUsers(args: string[], io: StaffCliIo): Promise<number> {
  parse(args, {});
  for (const a of await io.execute(listUsersOperation, {}))
    io.out(
      `${a.email}\t${a.role}\t${a.officeIds.join(',') || '-'}\t${a.state}\t${a.secondFactor ? 'totp' : '-'}\t${a.lastLoginAt ?? 'never'}\t${a.municipalityId ?? (a.role === 'admin' ? 'kreis' : '-')}\n`,
    );
  return 0;
}

export async function runTokenCommand(args: string[], io: StaffCliIo): Promise<number> {
  return guard(io, async () => {
    const [sub, ...rest] = args;
    switch (sub) {
      case 'create': {
        const { values } = parse(rest, {
          name: { type: 'string' },
          role: { type: 'string' },
          office: { type: 'string', multiple: true },
          ...TOWN_OPTIONS,
        });
        const name = required(values.name, '--name');
        const role = roleOf(values.role);
        const officeIds = officesFor(role, values.office);
        const { id, token } = await io.execute(createToken, { name, role, officeIds, municipalityId: townOf(role, values) });
        io.err(`Token ${id} „${name}“ (${role}) angelegt. Nur jetzt sichtbar / shown only now — use as "Authorization: Bearer <token>":\n`);
        io.out(`${token}\n`);
        return 0;
      }
      case 'revoke': {
        const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true });
        if (positionals.length !== 1) throw new Usage('token revoke needs exactly one token id or name');
        const { revoked } = await io.execute(revokeToken, { idOrName: positionals[0]! });
        if (revoked === 0) {
          io.err(`Kein aktives Token „${positionals[0]}“ / no active token with this id or name\n`);
          return 1;
        }
        io.err(`${revoked} Token widerrufen / revoked\n`);
        return 0;
      }
      case 'list': {
        parse(rest, {});
        for (const t of await io.execute(listTokens, {})) {
          io.out(`${t.id}\t${t.name}\t${t.role}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}\t${t.lastUsedAt ?? 'never used'}\n`);
        }
        return 0;
      }
      default:
        throw new Usage(
          sub ? `unknown token command "${sub}" (known: create, revoke, list)` : 'token needs a command: create, revoke or list',
        );
    }
  });
}

type Options = Parameters<typeof parseArgs>[0] extends infer C ? (C extends { options?: infer O } ? NonNullable<O> : never) : never;

function parse<O extends Options>(args: string[], options: O) {
  return parseArgs({ args, options, strict: true, allowPositionals: false });
}

function required(value: string | undefined, flag: string): string {
  if (!value?.trim()) throw new Usage(`${flag} is required`);
  return value.trim();
}

function roleOf(value: string | undefined): StaffRole {
  if (value === undefined) throw new Usage(`--role is required (${STAFF_ROLES.join(', ')})`);
  if (!isStaffRole(value)) throw new Usage(`--role must be one of ${STAFF_ROLES.join(', ')}, not "${value}"`);
  return value;
}

function officesFor(role: StaffRole, offices: string[] | undefined): string[] {
  const ids = (offices ?? []).map((o) => o.trim()).filter(Boolean);
  if (role === 'admin' && ids.length > 0) throw new Usage('admins work for every office: leave out --office');
  if (role !== 'admin' && ids.length === 0) throw new Usage(`a ${role} needs at least one --office`);
  return ids;
}

/** Wrong arguments exit with 2 and say what is wrong; refusals by the rules (duplicate account, unknown email) with 1. */
async function guard(io: StaffCliIo, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    const isParseError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (error instanceof Usage || isParseError) {
      io.err(`schalter: ${(error as Error).message}\n\n${STAFF_HELP}`);
      return 2;
    }
    if (error instanceof DomainError) {
      const isArgument = [
        'unknown_office',
        'validation_failed',
        'weak_password',
        'unknown_municipality',
        'office_of_other_town',
        'account_town_required',
      ].includes(error.code);
      // not_found here is always the account: say so rather than the generic „Nicht gefunden“.
      const text =
        error.code === 'not_found' ? `schalter: Kein Konto mit dieser E-Mail-Adresse / ${error.message}` : domainErrorText(error);
      io.err(`${text}\n`);
      return isArgument ? 2 : 1;
    }
    throw error;
  }
}
