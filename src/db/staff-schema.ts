import type { ColumnType, Generated, Selectable } from 'kysely';
import type { StaffRole } from '../domain/staff-access.ts';

// Tables of staff access (accounts, sessions, tokens, throttling, audit); joined into DB in schema.ts.

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** bigint comes back from pg as a string. */
type BigIntColumn = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export type { StaffRole };

export type StaffUserTable = {
  id: Generated<string>;
  email: string;
  display_name: string;
  role: StaffRole;
  password_hash: string;
  must_change_password: Generated<boolean>;
  totp_secret: string | null;
  totp_last_counter: BigIntColumn;
  /** argon2id of the branch PIN (docs/decisions/0009): only branch nodes verify it, never the central login. */
  branch_pin_hash: ColumnType<string | null, string | null | undefined, string | null>;
  disabled_at: NullableTimestamp;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  /** When the person last completed a login (after the second factor where there is one). */
  last_login_at: NullableTimestamp;
  /** The account's town; null: the whole Kreis (issue #20, docs/decisions/0003 "Town scope"). */
  municipality_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** A Kreis admin's grant to see citizens' personal data; means nothing for a town's own staff. */
  personal_data: Generated<boolean>;
  /** "issuer sub" of the person at the town's identity provider; null: a local account only. */
  oidc_subject: ColumnType<string | null, string | null | undefined, string | null>;
};

/** One-time codes that stand in for a TOTP code once each (issue #19); only their hash is stored. */
export type StaffRecoveryCodeTable = { user_id: string; code_hash: string; created_at: Timestamp; used_at: NullableTimestamp };

export type StaffUserOfficeTable = { user_id: string; office_id: string };

export type StaffSessionTable = {
  id_hash: string;
  user_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  totp_verified_at: NullableTimestamp;
  totp_pending_secret: string | null;
  office_id: string | null;
  ip: string | null;
  user_agent: string | null;
  /** 'sso': opened by the identity provider, which asked for the second factor itself. */
  login_method: Generated<'password' | 'sso'>;
};

export type ApiTokenTable = {
  id: Generated<string>;
  name: string;
  role: StaffRole;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** The integration's town; null: the whole Kreis (an admin token of no town sees no personal data). */
  municipality_id: ColumnType<string | null, string | null | undefined, string | null>;
};

export type ApiTokenOfficeTable = { token_id: string; office_id: string };

/** One row per key of a login attempt, written before the secret is checked; a success deletes its rows (app/staff/login-attempts.ts). */
export type LoginFailureTable = { id: Generated<string>; key: string; at: Timestamp };

export type AuditLogTable = {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  office_id: string | null;
  details: ColumnType<Record<string, unknown> | null, string | null, string | null>;
  /** The branch node through which the entry arrived (its journal), or null when written here. */
  branch_id: ColumnType<string | null, string | null | undefined, string | null>;
};

export type StaffTables = {
  staff_user: StaffUserTable;
  staff_user_office: StaffUserOfficeTable;
  staff_recovery_code: StaffRecoveryCodeTable;
  staff_session: StaffSessionTable;
  api_token: ApiTokenTable;
  api_token_office: ApiTokenOfficeTable;
  login_failure: LoginFailureTable;
  audit_log: AuditLogTable;
};

export type StaffUser = Selectable<StaffUserTable>;
export type StaffSession = Selectable<StaffSessionTable>;
export type AuditLogEntry = Selectable<AuditLogTable>;
