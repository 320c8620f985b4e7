import { connect, createServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface ConnectProxy {
  url: string;
  port: number;
  /** Each CONNECT request line and its headers, as received. */
  connects: string[];
  /** Each forwarded (absolute-form) request's bytes, as received. */
  forwards: Buffer[];
  /** What clients sent inside the tunnels, as received (a kept-alive tunnel carries later requests too). */
  tunnelled: Buffer[];
  close(): Promise<void>;
}

/**
 * A tiny HTTP proxy: it tunnels (CONNECT), like most corporate proxies do for HTTPS, or with
 * `tunnelPorts` only to those ports, forwarding absolute-form requests (`POST http://host/path`) instead.
 * With `tls` it is an https:// proxy: clients speak TLS to it (with that certificate) before anything else.
 */
export async function startConnectProxy(
  options: { requireAuth?: string; tunnelPorts?: number[]; tls?: { cert: string; key: string } } = {},
): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const connects: string[] = [];
  const forwards: Buffer[] = [];
  const tunnelled: Buffer[] = [];
  const onClient = (client: Socket): void => {
    // As real proxies do: without it, a small answer after the TLS handshake waits on a delayed ACK (~40 ms).
    client.setNoDelay(true);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const text = head.subarray(0, end).toString('latin1');
      const forward = /^([A-Z]+) http:\/\/([^/:]+):(\d+)(\/\S*) HTTP\/1\.1\r\n/.exec(text + '\r\n');
      if (forward) {
        forwards.push(Buffer.from(head));
        // Origin-form towards the service, the rest of the bytes as they came.
        const rewritten = Buffer.concat([
          Buffer.from(`${forward[1]} ${forward[4]} HTTP/1.1`, 'latin1'),
          head.subarray(head.indexOf('\r\n')),
        ]);
        const upstream = connect(Number(forward[3]), forward[2] as string, () => {
          upstream.write(rewritten);
          client.pipe(upstream);
          upstream.pipe(client);
        });
        sockets.add(upstream);
        upstream.on('close', () => client.destroy());
        upstream.on('error', () => client.destroy());
        return;
      }
      connects.push(text);
      const m = /^CONNECT (\S+):(\d+) HTTP\/1\.1/.exec(text);
      if (!m) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (options.tunnelPorts && !options.tunnelPorts.includes(Number(m[2]))) {
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (
        options.requireAuth &&
        !text.toLowerCase().includes(`proxy-authorization: ${options.requireAuth.toLowerCase()}`)
      ) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = connect(Number(m[2]), (m[1] as string).replace(/^\[|\]$/g, ''), () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        const rest = head.subarray(end + 4);
        if (rest.length) {
          tunnelled.push(Buffer.from(rest));
          upstream.write(rest);
        }
        client.on('data', (c: Buffer) => tunnelled.push(c));
        client.pipe(upstream);
        upstream.pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
  };
  const server = options.tls ? createTlsServer(options.tls, onClient) : createServer(onClient);
  // A client that gave up on the proxy's certificate is no test failure.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    connects,
    forwards,
    tunnelled,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
