import net from 'node:net';

/**
 * A TCP proxy on loopback between a branch node and the central server, to cut the line on purpose:
 * - pass: forwards both ways
 * - drop: accepts and forwards nothing (a dead link: the request times out)
 * - reset: destroys every connection at once (RST-like: the request fails fast)
 * - lose_response: forwards the request, and when the central answer starts, cuts the connection
 *   (the central server committed; the branch never hears it)
 */
export type ProxyMode = 'pass' | 'drop' | 'reset' | 'lose_response';

export type TcpProxy = {
  url: string;
  setMode(mode: ProxyMode): void;
  retarget(next: { host: string; port: number }): void;
  close(): Promise<void>;
};

export async function startTcpProxy(initial: { host: string; port: number }): Promise<TcpProxy> {
  let target = initial;
  let mode: ProxyMode = 'pass';
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === 'reset') return client.resetAndDestroy();
    if (mode === 'drop') return; // held open, never answered
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    const connectionMode = mode;
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (connectionMode === 'lose_response' || mode === 'lose_response') {
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setMode(next) {
      mode = next;
      // Connections of the old mode go away (keep-alive would otherwise keep using a healthy link).
      for (const s of sockets) s.destroy();
    },
    retarget(next) {
      target = next;
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
