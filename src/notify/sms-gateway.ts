import type { SmsChannel } from './outbox-worker.ts';

// SMS through whatever HTTP gateway the municipality has a contract with (most German providers take
// a JSON POST). The body is a template so no provider needs code of its own: {{to}} becomes the
// number in international form (+49…), {{text}} the message, both JSON-escaped.

export type SmsGatewayOptions = {
  url: string;
  /** e.g. {"to":"{{to}}","text":"{{text}}"} or {"recipient":"{{to}}","message":"{{text}}","sender":"Stadt"} */
  body: string;
  /** Sent as the Authorization header, e.g. "Bearer …" or "Basic …". */
  authorization?: string | undefined;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

export function createSmsGateway(options: SmsGatewayOptions): SmsChannel & { describe: string } {
  const send = options.fetch ?? fetch;
  return {
    describe: `SMS: ${new URL(options.url).origin}`,
    async send(to, text) {
      const res = await send(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: options.authorization } : {}) },
        body: fillTemplate(options.body, { to: internationalNumber(to), text }),
        // A hanging gateway must become a retry, not a stuck worker.
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      if (!res.ok) {
        const detail = (await res.text().catch(() => '')).slice(0, 200);
        throw new Error(`SMS gateway answered ${res.status}${detail ? `: ${detail}` : ''}`);
      }
      await res.body?.cancel();
    },
  };
}

export function fillTemplate(template: string, values: { to: string; text: string }): string {
  const escape = (value: string) => JSON.stringify(value).slice(1, -1);
  return template.replaceAll('{{to}}', escape(values.to)).replaceAll('{{text}}', escape(values.text));
}

/** "0151 2345 6789", "0049 151 …", "+49 (151) …" -> "+4915123456789"; other forms are passed on as digits. */
export function internationalNumber(phone: string): string {
  const digits = phone.replace(/[^0-9+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0')) return `+49${digits.slice(1)}`;
  return digits;
}
