import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { SsoMapping } from './domain/sso-claims.ts';

// The only reader of process.env. Every problem is listed at once so an operator fixes them in one go.

/** A positive whole number of `unit`, or 'off' (null). */
const countOrOff = (unit: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      if (value === 'off') return null;
      const n = Number(value);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a positive integer (${unit}) or "off"` });
        return z.NEVER;
      }
      return n;
    });

// A duration of hours or minutes: '2h', '90min' (or '90m'); a bare number is hours. Returns minutes.
const holdDuration = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const m = /^(\d+(?:\.\d+)?)\s*(h|m|min)?$/.exec(value);
    const minutes = m ? Math.round(Number(m[1]) * (m[2] === 'm' || m[2] === 'min' ? 1 : 60)) : NaN;
    if (!Number.isFinite(minutes) || minutes < 5 || minutes > 7 * 24 * 60) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration between 5 minutes and 7 days, e.g. 2h or 90min' });
      return z.NEVER;
    }
    return minutes;
  });

/** A network of the office LAN: its devices use kiosk and call display without being paired. */
export type OfficeNetwork = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

/** `10.20.0.0/16`, `fd00:20::/64`, or a bare address (one host). */
function parseNetwork(entry: string): OfficeNetwork | null {
  const [address = '', prefixText, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

// A branch PC serves its own office's LAN (docs/decisions/0010-office-devices.md): loopback, the
// private ranges of RFC 1918 and RFC 4193, and link-local, unless SCHALTER_OFFICE_NETWORKS says otherwise.
const BRANCH_DEFAULT_NETWORKS = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
].map((n) => parseNetwork(n)!);

const networkList = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === 'off') return [];
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const networks: OfficeNetwork[] = [];
    for (const entry of entries) {
      const network = parseNetwork(entry);
      if (network) networks.push(network);
      else ctx.addIssue({ code: 'custom', message: `"${entry}" is not a network (e.g. 10.20.0.0/16 or fd00:20::/64)` });
    }
    if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'must list networks (e.g. 10.20.0.0/16, fd00:20::/64) or be "off"' });
    return networks;
  });

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres://')
    .optional(),
  SCHALTER_DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Bürgerbüro Musterstadt <buergerbuero@musterstadt.example>'),
  SCHALTER_CONFIRMATION: z.enum(['email', 'none']).default('email'),
  SCHALTER_RESERVATION_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SCHALTER_RATE_LIMIT: countOrOff('requests per minute').default(300),
  SCHALTER_DEMO: z.enum(['auto', 'off']).default('auto'),
  SCHALTER_CAPACITY_DAYS: z.coerce.number().int().min(7).max(400).default(120),
  SCHALTER_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  SCHALTER_PUBLISH_RELEASE_TIME: z.enum(['on', 'off']).default('off'),
  SCHALTER_CLERK_FIGURES: z.enum(['on', 'off']).default('off'),
  SCHALTER_CONTACT_LIMIT: countOrOff('open appointments per person and service').default(1),
  SCHALTER_FAIR_RELEASE_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(0),
  SCHALTER_ALTCHA_CALM_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  SCHALTER_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  SCHALTER_DB_POOL: z.coerce.number().int().min(1).max(200).optional(),
  SCHALTER_ALTCHA_HMAC_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  SCHALTER_IMPRINT_URL: z.url().optional(),
  SCHALTER_PRIVACY_URL: z.url().optional(),
  // Branch node (docs/operations.md): standalone | central | branch
  SCHALTER_ROLE: z.enum(['standalone', 'central', 'branch']).default('standalone'),
  SCHALTER_CENTRAL_URL: z.url().optional(),
  SCHALTER_OFFICE: z.string().min(1).optional(),
  SCHALTER_BRANCH_ID: z.string().min(1).optional(),
  SCHALTER_BRANCH_TOKEN: z
    .string()
    .regex(/^schb_/, 'must be the token printed by `schalter branch enroll`')
    .optional(),
  SCHALTER_BRANCH_LEASE_SHARE: z
    .string()
    .trim()
    .transform((value, ctx) => {
      if (value === 'auto') return 'auto' as const;
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || n > 0.9) {
        ctx.addIssue({ code: 'custom', message: 'must be "auto" or a share between 0 and 0.9 (e.g. 0.15)' });
        return z.NEVER;
      }
      return n;
    })
    .default('auto'),
  SCHALTER_OFFER_HOLD_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(14 * 24)
    .default(48),
  SCHALTER_WAITING_LIST_HOLD: holdDuration.default(120),
  SCHALTER_REMINDER_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24)
    .default(24),
  SCHALTER_CLOSURE_BATCH: z.coerce.number().int().min(1).max(5000).default(200),
  SCHALTER_CLOSURE_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  SCHALTER_SMS_URL: z.url().optional(),
  SCHALTER_SMS_BODY: z
    .string()
    .refine((v) => v.includes('{{to}}') && v.includes('{{text}}'), 'must contain {{to}} and {{text}}')
    .default('{"to":"{{to}}","text":"{{text}}"}'),
  SCHALTER_SMS_AUTHORIZATION: z.string().min(1).optional(),
  SCHALTER_OFFICE_NETWORKS: networkList.optional(),
  SCHALTER_DISPLAY_CONNECTIONS: z.coerce.number().int().min(1).max(1000).default(20),
  SCHALTER_METRICS_NETWORKS: networkList.optional(),
  SCHALTER_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // Single sign-on for staff (docs/operations.md „Single sign-on“): off unless the issuer is set.
  SCHALTER_OIDC_ISSUER: z.url().optional(),
  SCHALTER_OIDC_CLIENT_ID: z.string().min(1).optional(),
  SCHALTER_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  SCHALTER_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  SCHALTER_OIDC_ADMIN_GROUP: z.string().min(1).default('schalter-admin'),
  SCHALTER_OIDC_TEAMLEAD_GROUP: z.string().min(1).default('schalter-teamleitung'),
  SCHALTER_OIDC_CLERK_GROUP: z.string().min(1).default('schalter-sachbearbeitung'),
  SCHALTER_OIDC_OFFICE_PREFIX: z.string().min(1).default('schalter-standort-'),
  SCHALTER_OIDC_TOWN_PREFIX: z.string().min(1).default('schalter-stadt-'),
  SCHALTER_OIDC_KREIS_GROUP: z.string().min(1).default('schalter-kreis'),
});

export type SsoConfig = { issuer: string; clientId: string; clientSecret: string; mapping: SsoMapping };

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  confirmation: 'email' | 'none';
  reservationMinutes: number;
  /** Requests per minute and IP address; null = no limit (load tests). */
  rateLimitPerMinute: number | null;
  /** Load the Musterstadt demo data into an empty database on start. */
  seedDemoWhenEmpty: boolean;
  /** How many days ahead capacity units are kept materialised. */
  capacityDays: number;
  /** Days after an appointment until its personal data is removed (retention job, #8). */
  retentionDays: number;
  /** Show the weekly release time on the public /transparenz page. */
  publishReleaseTime: boolean;
  /** Statistics per clerk for team leads; on only under a Dienstvereinbarung (decision record 0013). */
  clerkFigures: boolean;
  /** Open online appointments per person and service (null: no limit). */
  openAppointmentsPerContact: number | null;
  /** Fair release window in minutes after each release (lottery instead of first come); null = off. */
  fairReleaseMinutes: number | null;
  /** Bot-check challenges per minute and process that count as calm; above it the proof of work grows. */
  altchaCalmPerMinute: number;
  /** HTTP worker processes (node:cluster); more than 1 only with PostgreSQL, where the app is stateless. */
  workers: number;
  /** Database connections per process (default: 20 for PostgreSQL). */
  dbPoolSize: number | undefined;
  /**
   * Signs the bot-protection (ALTCHA) challenges. Unset: a random key per process, which is fine for
   * one process; several processes behind a load balancer need the same key, or a challenge issued
   * by one is rejected by another.
   */
  altchaHmacKey: string;
  altchaHmacKeyGenerated: boolean;
  /** The municipality's legal pages, linked in every citizen page's footer. */
  imprintUrl: string | undefined;
  privacyUrl: string | undefined;
  /** standalone (default), central (PostgreSQL, any number of processes) or branch (office PC). */
  role: 'standalone' | 'central' | 'branch';
  /** Share of each day's seats leased to an office's branch node; 'auto': its expected no-show + walk-in share. */
  branchLeaseShare: number | 'auto';
  /** Set for role branch: where the central server is and who this node is. */
  branch: { centralUrl: string; officeId: string; branchId: string; token: string } | null;
  /** Closures and replacement offers (see src/app/shared/settings.ts). */
  closures: {
    holdHours: number;
    reminderHours: number;
    batchSize: number;
    pauseMs: number;
    smsEnabled: boolean;
    waitlistHoldHours: number;
  };
  /**
   * SMS gateway: a JSON POST to `url` with `body` as template ({{to}}, {{text}} are filled in,
   * JSON-escaped) and an optional Authorization header. Unset: no SMS, mobile-only people are phoned.
   */
  sms: { url: string; body: string; authorization: string | undefined } | undefined;
  /**
   * Kiosks and call displays at these addresses need no pairing. The socket's address is compared:
   * X-Forwarded-For is not trusted (no trusted-proxy setting yet), so behind a reverse proxy only
   * pairing works. Default: none; on a branch node the private and local ranges.
   */
  officeNetworks: OfficeNetwork[];
  /** Open call-display streams per office and process; more are refused with 503 and Retry-After. */
  displayConnectionsPerOffice: number;
  /**
   * GET /metrics answers loopback and these networks (the Prometheus servers) without a token; anyone
   * else needs an admin API token. Compared with the socket's address, as officeNetworks.
   */
  metricsNetworks: OfficeNetwork[];
  /** Staff log in through the town's OpenID Connect provider as well (null: passwords only). */
  sso: SsoConfig | null;
  /** The least severe log lines written; `warn` drops the per-request lines (info). */
  logLevel: 'debug' | 'info' | 'warn' | 'error';
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ungültige Einstellungen / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const e = parsed.data;
  const browserHost = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(e.HOST) ? 'localhost' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.SCHALTER_DATA_DIR),
    publicUrl: (e.PUBLIC_URL ?? `http://${browserHost}:${e.PORT}`).replace(/\/$/, ''),
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    confirmation: e.SCHALTER_CONFIRMATION,
    reservationMinutes: e.SCHALTER_RESERVATION_MINUTES,
    rateLimitPerMinute: e.SCHALTER_RATE_LIMIT,
    seedDemoWhenEmpty: e.SCHALTER_DEMO === 'auto',
    capacityDays: e.SCHALTER_CAPACITY_DAYS,
    retentionDays: e.SCHALTER_RETENTION_DAYS,
    publishReleaseTime: e.SCHALTER_PUBLISH_RELEASE_TIME === 'on',
    clerkFigures: e.SCHALTER_CLERK_FIGURES === 'on',
    openAppointmentsPerContact: e.SCHALTER_CONTACT_LIMIT,
    fairReleaseMinutes: e.SCHALTER_FAIR_RELEASE_MINUTES > 0 ? e.SCHALTER_FAIR_RELEASE_MINUTES : null,
    altchaCalmPerMinute: e.SCHALTER_ALTCHA_CALM_PER_MINUTE,
    workers: e.SCHALTER_WORKERS,
    dbPoolSize: e.SCHALTER_DB_POOL,
    altchaHmacKey: e.SCHALTER_ALTCHA_HMAC_KEY ?? randomBytes(32).toString('hex'),
    altchaHmacKeyGenerated: e.SCHALTER_ALTCHA_HMAC_KEY === undefined,
    imprintUrl: e.SCHALTER_IMPRINT_URL,
    privacyUrl: e.SCHALTER_PRIVACY_URL,
    branchLeaseShare: e.SCHALTER_BRANCH_LEASE_SHARE,
    ...roleSettings(e),
    closures: {
      holdHours: e.SCHALTER_OFFER_HOLD_HOURS,
      reminderHours: e.SCHALTER_REMINDER_HOURS,
      batchSize: e.SCHALTER_CLOSURE_BATCH,
      pauseMs: e.SCHALTER_CLOSURE_PAUSE_MS,
      smsEnabled: e.SCHALTER_SMS_URL !== undefined,
      waitlistHoldHours: e.SCHALTER_WAITING_LIST_HOLD / 60,
    },
    sms: e.SCHALTER_SMS_URL
      ? { url: e.SCHALTER_SMS_URL, body: e.SCHALTER_SMS_BODY, authorization: e.SCHALTER_SMS_AUTHORIZATION }
      : undefined,
    officeNetworks: e.SCHALTER_OFFICE_NETWORKS ?? (e.SCHALTER_ROLE === 'branch' ? BRANCH_DEFAULT_NETWORKS : []),
    displayConnectionsPerOffice: e.SCHALTER_DISPLAY_CONNECTIONS,
    metricsNetworks: e.SCHALTER_METRICS_NETWORKS ?? [],
    logLevel: e.SCHALTER_LOG_LEVEL,
    sso: ssoSettings(e),
  };
}

/** The identity provider needs all three of issuer, client id and secret; a branch logs in by PIN. */
function ssoSettings(e: z.infer<typeof EnvSchema>): SsoConfig | null {
  const given = [e.SCHALTER_OIDC_ISSUER, e.SCHALTER_OIDC_CLIENT_ID, e.SCHALTER_OIDC_CLIENT_SECRET];
  if (given.every((v) => v === undefined)) return null;
  const missing = (['SCHALTER_OIDC_ISSUER', 'SCHALTER_OIDC_CLIENT_ID', 'SCHALTER_OIDC_CLIENT_SECRET'] as const).filter((k) => !e[k]);
  if (missing.length > 0) throw new ConfigError(missing.map((k) => `${k}: required for single sign-on (set all three or none)`));
  if (e.SCHALTER_ROLE === 'branch')
    throw new ConfigError(['SCHALTER_OIDC_ISSUER: a branch node logs staff in with their branch PIN; unset it']);
  return {
    issuer: e.SCHALTER_OIDC_ISSUER!,
    clientId: e.SCHALTER_OIDC_CLIENT_ID!,
    clientSecret: e.SCHALTER_OIDC_CLIENT_SECRET!,
    mapping: {
      groupsClaim: e.SCHALTER_OIDC_GROUPS_CLAIM,
      roleGroups: { admin: e.SCHALTER_OIDC_ADMIN_GROUP, teamlead: e.SCHALTER_OIDC_TEAMLEAD_GROUP, clerk: e.SCHALTER_OIDC_CLERK_GROUP },
      officePrefix: e.SCHALTER_OIDC_OFFICE_PREFIX,
      townPrefix: e.SCHALTER_OIDC_TOWN_PREFIX,
      kreisGroup: e.SCHALTER_OIDC_KREIS_GROUP,
    },
  };
}

/** The node's role; a branch needs all four of its settings, and never loads demo data (the feed fills it). */
function roleSettings(e: z.infer<typeof EnvSchema>): { role: Config['role']; branch: Config['branch']; seedDemoWhenEmpty?: false } {
  if (e.SCHALTER_ROLE === 'central') {
    if (!e.DATABASE_URL) throw new ConfigError(['SCHALTER_ROLE=central: needs DATABASE_URL (PostgreSQL)']);
    return { role: 'central', branch: null };
  }
  if (e.SCHALTER_ROLE !== 'branch') return { role: e.SCHALTER_ROLE, branch: null };
  const required = {
    SCHALTER_CENTRAL_URL: e.SCHALTER_CENTRAL_URL,
    SCHALTER_OFFICE: e.SCHALTER_OFFICE,
    SCHALTER_BRANCH_ID: e.SCHALTER_BRANCH_ID,
    SCHALTER_BRANCH_TOKEN: e.SCHALTER_BRANCH_TOKEN,
  };
  const missing = Object.entries(required)
    .filter(([, v]) => !v)
    .map(([k]) => `${k}: required for SCHALTER_ROLE=branch (see \`schalter branch enroll\`)`);
  if (e.DATABASE_URL) missing.push('DATABASE_URL: a branch node runs on its embedded database; unset it');
  if (missing.length > 0) throw new ConfigError(missing);
  return {
    role: 'branch',
    branch: {
      centralUrl: e.SCHALTER_CENTRAL_URL!.replace(/\/$/, ''),
      officeId: e.SCHALTER_OFFICE!,
      branchId: e.SCHALTER_BRANCH_ID!,
      token: e.SCHALTER_BRANCH_TOKEN!,
    },
    seedDemoWhenEmpty: false,
  };
}
