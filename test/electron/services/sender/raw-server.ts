import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';

/** What a raw server does with one complete request: write these bytes (or act on the socket itself). */
export type RawResponder = (request: Buffer, socket: Socket) => void;

export interface RawServer {
  url: string;
  port: number;
  /** Every complete request received, as the exact bytes, in order. */
  received: Buffer[];
  /** Every byte received on every connection, in order of connections. */
  connections: Buffer[][];
  respond: RawResponder;
  close(): Promise<void>;
}

export const ok = (body = '{"id":"42"}', extra = 'Content-Type: application/json\r\n'): string =>
  `HTTP/1.1 200 OK\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/**
 * A TCP server that knows just enough HTTP to find where a request ends (blank line plus Content-Length),
 * deliberately independent of the catcher's parser, so it can judge the sender's bytes.
 */
export async function startRawServer(
  respond: RawResponder = (_req, s) => s.write(ok()),
  tls?: TlsOptions,
  host = '127.0.0.1',
): Promise<RawServer & { clientCertificates: string[] }> {
  const sockets = new Set<Socket>();
  const state: RawServer & { clientCertificates: string[] } = {
    clientCertificates: [],
    url: '',
    port: 0,
    received: [],
    connections: [],
    respond,
    close: async () => undefined,
  };
  const onSocket = (socket: Socket) => {
    sockets.add(socket);
    if (tls) {
      // The TLS server hands its connection listener TLSSockets; the listener is typed for both servers.
      // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- see above
      const peer = (socket as TLSSocket).getPeerCertificate();
      if (peer && peer.subject) state.clientCertificates.push(String(peer.subject.CN));
    }
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const chunks: Buffer[] = [];
    state.connections.push(chunks);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const m = /\r\ncontent-length: *(\d+)/i.exec(head);
        const total = end + 4 + (m ? Number(m[1]) : 0);
        if (pending.length < total) return;
        const request = Buffer.from(pending.subarray(0, total));
        pending = pending.subarray(total);
        state.received.push(request);
        state.respond(request, socket);
      }
    });
  };
  const server: Server = tls ? createTlsServer(tls, onSocket) : createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  state.url = `${tls ? 'https' : 'http'}://${host}:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
  return state;
}

/** The two TLS servers the network tests need: one plain HTTPS, one that requires a client certificate from the CA. */
export async function startTlsServers(certs: { serverCert: string; serverKey: string; caCert: string }): Promise<{
  https: RawServer & { clientCertificates: string[] };
  mtls: RawServer & { clientCertificates: string[] };
}> {
  const https = await startRawServer(undefined, { cert: certs.serverCert, key: certs.serverKey });
  const mtls = await startRawServer(undefined, {
    cert: certs.serverCert,
    key: certs.serverKey,
    requestCert: true,
    rejectUnauthorized: true,
    ca: [certs.caCert],
  });
  return { https, mtls };
}
