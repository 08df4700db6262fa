import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import type { AppContext } from '../../app/shared/context.ts';
import { loginWithIdentityProvider } from '../../app/staff/staff-sso.ts';
import type { SsoConfig } from '../../config.ts';
import { clientIp, setSessionCookie, type StaffEnv } from './auth.ts';
import { stagePath } from './page.tsx';

const FLOW_COOKIE = 'schalter_sso';
const FLOW_PATH = '/staff/sso';
const FLOW_SECONDS = 600;
export const SSO_RETURN_PATH = '/staff/sso/zurueck';

type Flow = { verifier: string; state: string; nonce: string };

/**
 * Single sign-on through the town's OpenID Connect provider (authorization code flow with PKCE,
 * issue #23 item 4): `/staff/sso` sends the browser there, `/staff/sso/zurueck` takes the code back,
 * lets openid-client check the ID token (signature, issuer, audience, nonce, expiry), and logs the
 * person in by its claims. What the flow needs between the two requests (PKCE verifier, state,
 * nonce) lives in a short-lived HttpOnly cookie of this browser: a code fetched in another browser
 * does not match it, so nobody can be logged in as someone else by a link.
 */
export function ssoPages(ctx: AppContext, sso: SsoConfig, options: { secureCookies: boolean; log: (m: string, e?: unknown) => void }) {
  const pages = new Hono<StaffEnv>();
  const redirectUri = `${ctx.settings.publicUrl}${SSO_RETURN_PATH}`;
  let provider: Promise<oidc.Configuration> | null = null;
  // Discovered once; a provider that was down is asked again by the next login.
  const configuration = () =>
    (provider ??= discover(sso).catch((error: unknown) => {
      provider = null;
      throw error;
    }));
  const refuse = (c: Context, reason: string) => {
    deleteCookie(c, FLOW_COOKIE, { path: FLOW_PATH });
    return c.redirect(`/staff/login?sso=${encodeURIComponent(reason)}`, 303);
  };

  pages.get('/sso', async (c) => {
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (error) {
      options.log('Single sign-on: identity provider not reachable', error);
      return refuse(c, 'unreachable');
    }
    const flow: Flow = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
    setCookie(c, FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: options.secureCookies,
      path: FLOW_PATH,
      maxAge: FLOW_SECONDS,
    });
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return c.redirect(url.href, 303);
  });

  pages.get('/sso/zurueck', async (c) => {
    const flow = readFlow(getCookie(c, FLOW_COOKIE));
    if (!flow) return refuse(c, 'expired');
    // The person cancelled at the provider, or it refused them: its own words are not shown.
    if (c.req.query('error')) return refuse(c, c.req.query('error') === 'access_denied' ? 'cancelled' : 'provider_error');
    let claims: Record<string, unknown>;
    try {
      const config = await configuration();
      // The address the provider sent the browser to, as registered there (not the proxy's internal one).
      const current = new URL(`${redirectUri}${new URL(c.req.url).search}`);
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
      // Providers that keep groups out of the ID token (Keycloak without a mapper, ADFS) give them here.
      if (claims[sso.mapping.groupsClaim] === undefined || claims.email === undefined) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims, [sso.mapping.groupsClaim]: claims[sso.mapping.groupsClaim] ?? info[sso.mapping.groupsClaim] };
      }
    } catch (error) {
      options.log('Single sign-on: code exchange or ID token check failed', error);
      return refuse(c, 'provider_error');
    }
    const result = await loginWithIdentityProvider(ctx, {
      issuer: sso.issuer,
      claims,
      mapping: sso.mapping,
      ip: clientIp(c),
      userAgent: c.req.header('user-agent'),
    });
    if ('refused' in result) return refuse(c, result.refused);
    deleteCookie(c, FLOW_COOKIE, { path: FLOW_PATH });
    setSessionCookie(c, result.sessionId, options.secureCookies);
    return c.redirect(stagePath(result.stage), 303);
  });
  return pages;
}

async function discover(sso: SsoConfig): Promise<oidc.Configuration> {
  const issuer = new URL(sso.issuer);
  // Plain HTTP only to a provider on this machine (a test, a local Keycloak); anywhere else HTTPS.
  const local = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  return oidc.discovery(issuer, sso.clientId, sso.clientSecret, undefined, local ? { execute: [oidc.allowInsecureRequests] } : undefined);
}

function readFlow(value: string | undefined): Flow | null {
  if (!value) return null;
  try {
    const flow = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Flow>;
    return typeof flow.verifier === 'string' && typeof flow.state === 'string' && typeof flow.nonce === 'string' ? (flow as Flow) : null;
  } catch {
    return null;
  }
}
