import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeSmsGateway = {
  url: string;
  /** Every request as received: headers and parsed JSON body. */
  received: { authorization: string | undefined; body: Record<string, string> }[];
  /** Answer the next n requests with this status instead of 200. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
};

/** A local stand-in for a provider's SMS HTTP API: records what it got, can be told to fail. */
export async function startFakeSmsGateway(): Promise<FakeSmsGateway> {
  const received: FakeSmsGateway['received'] = [];
  let failures = 0;
  let failStatus = 500;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      if (failures > 0) {
        failures--;
        res.writeHead(failStatus, { 'content-type': 'text/plain' }).end('gateway unavailable');
        return;
      }
      received.push({ authorization: req.headers.authorization, body: JSON.parse(data) as Record<string, string> });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"accepted"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/sms`,
    received,
    failNext: (n, status = 500) => {
      failures = n;
      failStatus = status;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
