import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { resolveApiToken } from '../../app/staff/api-tokens.ts';
import type { AppContext } from '../../app/shared/context.ts';
import { resolveSession, type SessionState } from '../../app/staff/staff-auth.ts';
import { csrfTokenMatches } from '../../app/staff/staff-secrets.ts';
import { hasRole, seesPersonalData, type Principal, type StaffRole } from '../../domain/staff-access.ts';
import { carriesPersonalData } from '../personal-data-routes.ts';
import { SESSION_ABSOLUTE_MS } from '../../domain/staff-session.ts';
import { errorResponse } from '../api/errors.ts';

/**
 * Hono env of every staff route. After `staffApiAuth` or `requireStaffPage`, `principal` is set;
 * `session` and `sessionId` only for people logged in through the pages (not for API tokens).
 */
export type StaffEnv = {
  Variables: {
    principal: Principal;
    session: SessionState | null;
    sessionId: string | null;
  };
};

export const STAFF_COOKIE = 'schalter_staff';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function setSessionCookie(c: Context, sessionId: string, secure: boolean): void {
  // HttpOnly: no script can read it; SameSite=Lax: not sent with cross-site POSTs (CSRF tokens are the second wall).
  setCookie(c, STAFF_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, STAFF_COOKIE, { path: '/' });
}

export function sessionIdOf(c: Context): string | null {
  return getCookie(c, STAFF_COOKIE) ?? null;
}

/** The caller's address for throttling. Tests (app.request) have no socket. */
export function clientIp(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return c.req.header('x-test-client') ?? 'local';
  }
}

/**
 * Authenticates every staff API request: `Authorization: Bearer sch_…` (integrations) or the
 * session cookie of a fully logged-in person; with the cookie, changes need the X-CSRF-Token header.
 * 401 when neither is valid.
 */
export function staffApiAuth(ctx: AppContext): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const [scheme, token] = authorization.split(' ');
      const principal = scheme?.toLowerCase() === 'bearer' && token ? await resolveApiToken(ctx, token) : null;
      if (!principal) return unauthenticated(c);
      c.set('principal', principal);
      c.set('session', null);
      c.set('sessionId', null);
      if (!seesPersonalData(principal) && carriesPersonalData(c)) return errorResponse(c, 'personal_data_not_granted');
      return next();
    }
    const sessionId = sessionIdOf(c);
    const session = sessionId ? await resolveSession(ctx, sessionId) : null;
    if (!sessionId || !session || session.stage !== 'active') return unauthenticated(c);
    if (!SAFE_METHODS.has(c.req.method) && !csrfTokenMatches(sessionId, c.req.header(CSRF_HEADER))) return errorResponse(c, 'csrf_failed');
    c.set('principal', session.principal);
    c.set('session', session);
    c.set('sessionId', sessionId);
    if (!seesPersonalData(session.principal) && carriesPersonalData(c)) return errorResponse(c, 'personal_data_not_granted');
    return next();
  };
}

/** 403 unless the principal has at least this role (clerk < teamlead < admin). */
export function requireRole(minimum: StaffRole): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    if (!hasRole(c.get('principal'), minimum)) return errorResponse(c, 'forbidden', { requiredRole: minimum });
    return next();
  };
}

function unauthenticated(c: Context) {
  c.header('WWW-Authenticate', 'Bearer realm="schalter-staff"');
  return errorResponse(c, 'unauthenticated');
}
