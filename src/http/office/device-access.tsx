import { BlockList } from 'node:net';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppContext } from '../../app/shared/context.ts';
import { deviceByToken, pairDevice, PAIRING_MINUTES, type DeviceKind } from '../../app/counter/office-devices.ts';
import { findOffice } from '../../app/shared/catalogue.ts';
import type { OfficeNetwork } from '../../config.ts';
import { DomainError } from '../../domain/errors.ts';
import { errorResponse } from '../api/errors.ts';
import { ERROR_MESSAGES } from '../api/error-messages.ts';
import { requestLanguage } from '../language.ts';
import { Alert, TextInput } from '../pages/components.tsx';
import { OfficeLayout } from './layout.tsx';
import { officeMessages } from './messages.ts';

// Who may use an office's kiosk and call display (issue 15, item 7; decision record 0010): a device
// paired by a team lead (device token in a cookie), or any device on a configured office network.
// Everyone else gets the pairing page, and the kiosk's forms and the display's stream refuse them.

export type OfficeDeviceEnv = { Variables: { device: { id: string; name: string } | null } };

export type DeviceAccessOptions = {
  /** SCHALTER_OFFICE_NETWORKS: addresses whose devices need no pairing. */
  networks: readonly OfficeNetwork[];
  /** Secure cookie although the request came over plain http (TLS ends at the reverse proxy). */
  secureCookies: boolean;
};

export const DEVICE_COOKIE = 'schalter_device';
/** Browsers keep a cookie at most 400 days; every page load of the device renews it. */
const DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600;

/**
 * The socket's address. X-Forwarded-For is not read: without a setting that names a trusted proxy
 * anyone could write it. Requests without a socket (app.request in tests) have no address.
 */
function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    return null;
  }
}

function networkMatcher(networks: readonly OfficeNetwork[]): (address: string | null) => boolean {
  if (networks.length === 0) return () => false;
  const list = new BlockList();
  for (const n of networks) list.addSubnet(n.address, n.prefix, n.family);
  return (address) => {
    if (!address) return false;
    // BlockList also matches IPv4-mapped IPv6 (::ffff:10.0.0.5, a dual-stack socket's view) against IPv4 networks.
    return list.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
  };
}

/** A form posted from another site (a page a clerk's browser opened) never draws tickets or pairs. */
function isCrossSite(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  return c.req.method === 'POST' && site !== undefined && site !== 'same-origin' && site !== 'none';
}

async function officeName(ctx: AppContext, officeId: string): Promise<string> {
  const office = await findOffice(ctx.db, officeId);
  if (!office) throw new DomainError('not_found', 'No such office');
  return office.name;
}

const devicePath = (kind: DeviceKind, officeId: string) => `/${kind}/${officeId}`;

export function deviceAccess(ctx: AppContext, options: DeviceAccessOptions) {
  const isOfficeNetwork = networkMatcher(options.networks);

  const setDeviceCookie = (c: Context, kind: DeviceKind, officeId: string, token: string) =>
    // Path: the cookie goes only to this office's kiosk (or display) pages. SameSite=Strict: never with a request from elsewhere.
    setCookie(c, DEVICE_COOKIE, token, {
      httpOnly: true,
      secure: options.secureCookies || new URL(c.req.url).protocol === 'https:',
      sameSite: 'Strict',
      path: devicePath(kind, officeId),
      maxAge: DEVICE_COOKIE_MAX_AGE,
    });

  const pairingPage = async (c: Context, kind: DeviceKind, officeId: string, problem: string | null, status: 403 | 422) => {
    const lang = requestLanguage(c);
    const t = officeMessages(lang).pairing;
    const name = await officeName(ctx, officeId);
    const langQuery = c.req.query('lang') ? `?lang=${lang}` : '';
    return c.html(
      <OfficeLayout
        lang={lang}
        title={`${t.title} – ${name}`}
        switchHref={`${devicePath(kind, officeId)}?lang=${lang === 'de' ? 'en' : 'de'}`}
      >
        <h1 class="kern-heading-large">{t.title}</h1>
        {problem ? <Alert variant="danger" title={problem} role="alert" focus /> : null}
        <p class="kern-body">{t.intro(t.kinds[kind], name)}</p>
        <p class="kern-body">{t.how(PAIRING_MINUTES)}</p>
        <form method="post" action={`${devicePath(kind, officeId)}/koppeln${langQuery}`}>
          <TextInput id="code" label={t.code} autocomplete="off" maxlength={20} required error={problem ? t.checkCode : undefined} />
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{t.submit}</span>
          </button>
        </form>
        <p class="kern-body">{t.network}</p>
      </OfficeLayout>,
      status,
    );
  };

  /** Lets enrolled devices and office networks through; pages answer others with the pairing page, `json` with the error envelope. */
  const guard =
    (kind: DeviceKind, refusal: 'page' | 'json'): MiddlewareHandler<OfficeDeviceEnv> =>
    async (c, next) => {
      const officeId = c.req.param('officeId') ?? '';
      await officeName(ctx, officeId);
      if (isCrossSite(c)) return errorResponse(c, 'csrf_failed');
      if (isOfficeNetwork(socketAddress(c))) {
        c.set('device', null);
        return next();
      }
      const token = getCookie(c, DEVICE_COOKIE);
      const device = token ? await deviceByToken(ctx, { officeId, kind, token }) : null;
      if (device) {
        c.set('device', device);
        if (c.req.method === 'GET' && refusal === 'page') setDeviceCookie(c, kind, officeId, token!);
        return next();
      }
      if (refusal === 'json') return errorResponse(c, 'device_not_enrolled');
      return pairingPage(c, kind, officeId, null, 403);
    };

  const routes = new Hono();
  for (const kind of ['kiosk', 'display'] as const) {
    routes.post(`/${kind}/:officeId/koppeln`, async (c) => {
      const officeId = c.req.param('officeId');
      await officeName(ctx, officeId);
      if (isCrossSite(c)) return errorResponse(c, 'csrf_failed');
      const form = await c.req.parseBody();
      try {
        const { token } = await pairDevice(ctx, { officeId, kind, code: typeof form.code === 'string' ? form.code : '' });
        setDeviceCookie(c, kind, officeId, token);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'pairing_code_invalid')) throw error;
        return pairingPage(c, kind, officeId, ERROR_MESSAGES.pairing_code_invalid[requestLanguage(c)], 422);
      }
      return c.redirect(`${devicePath(kind, officeId)}${c.req.query('lang') ? `?lang=${requestLanguage(c)}` : ''}`, 303);
    });
  }
  return { guard, routes };
}
