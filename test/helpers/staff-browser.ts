import type { Fixture } from './fixture.ts';

/**
 * A minimal browser for the staff pages over app.request(): keeps the cookies, submits forms as
 * application/x-www-form-urlencoded and adds the page's CSRF token the way the real form does.
 */
export class StaffBrowser {
  private cookies = new Map<string, string>();
  csrf: string | null = null;
  constructor(
    private readonly f: Fixture,
    private readonly client = 'browser-1',
  ) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.f.app.request(path, { headers: { ...this.headers(), ...headers } });
    return this.keep(res);
  }

  /** GETs a page and remembers its CSRF token; returns the HTML. */
  async page(path: string): Promise<{ status: number; html: string; res: Response }> {
    const res = await this.get(path);
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) this.csrf = token[1]!;
    return { status: res.status, html, res };
  }

  /** A field given as a list is sent once per value, as checkboxes of one name are. */
  async post(path: string, fields: Record<string, string | string[]>, options: { csrf?: boolean } = {}): Promise<Response> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
    if (options.csrf !== false && this.csrf) body.set('_csrf', this.csrf);
    const res = await this.f.app.request(path, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    return this.keep(res);
  }

  async postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.f.app.request(path, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return this.keep(res);
  }

  async putJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.f.app.request(path, {
      method: 'PUT',
      headers: { ...this.headers(), 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return this.keep(res);
  }

  hasSession(): boolean {
    return this.cookies.has('schalter_staff');
  }

  private headers(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { 'x-test-client': this.client, ...(cookie ? { cookie } : {}) };
  }

  private keep(res: Response): Response {
    for (const header of res.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const [name = '', ...value] = pair.split('=');
      const v = value.join('=');
      if (v === '' || /max-age=0/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, v);
    }
    return res;
  }
}
