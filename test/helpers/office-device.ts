import type { Fixture } from './fixture.ts';

type App = Fixture['app'];

/**
 * What @hono/node-server hands the app about the connection: app.request() has no socket, so a test
 * says where a request comes from this way (the office pages trust no header for it).
 */
export function socketFrom(address: string) {
  return { incoming: { socket: { remoteAddress: address, remotePort: 40_000, remoteFamily: address.includes(':') ? 'IPv6' : 'IPv4' } } };
}

/** A kiosk or call display's browser at `address`, without JavaScript: keeps its device cookie, posts forms. */
export class DeviceBrowser {
  cookie: string | null = null;
  constructor(
    private readonly app: App,
    readonly address: string,
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(await this.app.request(path, { headers: { ...this.headers(), ...headers } }, socketFrom(this.address)));
  }

  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const init = {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    };
    return this.keep(await this.app.request(path, init, socketFrom(this.address)));
  }

  private headers(): Record<string, string> {
    return this.cookie ? { cookie: `schalter_device=${this.cookie}` } : {};
  }

  private keep(res: Response): Response {
    for (const header of res.headers.getSetCookie()) {
      const match = /^schalter_device=([^;]*)/.exec(header);
      if (match) this.cookie = match[1]!;
    }
    return res;
  }
}

/** Reads server-sent events until one contains `text` (or fails after a few seconds). */
export async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string): Promise<string> {
  const decoder = new TextDecoder();
  let seen = '';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`no event with ${text}; got:\n${seen}`)), 5000)),
  );
  try {
    while (!seen.includes(text)) {
      const { value, done } = await Promise.race([reader.read(), timeout]);
      if (done) throw new Error(`stream ended; got:\n${seen}`);
      seen += decoder.decode(value);
    }
    return seen;
  } finally {
    clearTimeout(timer);
  }
}

export async function until(check: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
