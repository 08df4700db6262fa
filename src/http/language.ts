import type { Context } from 'hono';

export type UiLanguage = 'de' | 'en';

/** ?lang= wins, then a language cookie, then Accept-Language; German is the default. */
export function requestLanguage(c: Context): UiLanguage {
  const explicit = c.req.query('lang') ?? readCookie(c.req.header('cookie'), 'lang');
  if (explicit === 'de' || explicit === 'en') return explicit;
  const accepted = (c.req.header('accept-language') ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag, q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of accepted) {
    if (tag.startsWith('de')) return 'de';
    if (tag.startsWith('en')) return 'en';
  }
  return 'de';
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
