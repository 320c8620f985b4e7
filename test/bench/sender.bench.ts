import { createServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'undici';
import { createConnector, type NetSettings } from '../../electron/services/net/connector';
import { Hop } from '../../electron/services/sender/hop';
import { createSender } from '../../electron/services/sender/index';
import { toWire } from '../../electron/services/sender/wire';
import { renderWebhook } from '../../shared/engine';
import { tokenContextSchema, webhookSchema } from '../../shared/model';
import { makeTestCerts } from '../fixtures/tls/certs';
import { median } from './median';

/**
 * Per-request time of the sender (render + send + exact-bytes record + timings + mapping) against a raw
 * undici Client sending the same bytes, both on loopback with keep-alive, measured in alternating blocks
 * in the same run. Goal: ratio <= 1.2. A second figure isolates the wire path (the sender's dispatch
 * handler over its pool and connector, same bytes, no rendering or mapping) against the same baseline.
 */
const responseBody = '{"id":"42","x":1}';
const response = Buffer.from(
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${responseBody.length}\r\n\r\n${responseBody}`,
);

async function startServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const m = /content-length: (\d+)/i.exec(pending.subarray(0, end).toString('latin1'));
        const total = end + 4 + (m ? Number(m[1]) : 0);
        if (pending.length < total) return;
        pending = pending.subarray(total);
        socket.write(response);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      }),
  };
}

/**
 * New TLS connections through the sender's connectors (a new one each time, from one settings object, as
 * a sender makes one per origin) to a loopback service whose certificate a test CA signed: trusted through
 * the extra CA (as a collection's CA setting does) against the same handshake unchecked. Without one
 * secure context for the settings, every connection (or every origin) parsed the system roots again.
 */
async function tlsConnections(): Promise<Record<string, unknown>> {
  const certs = makeTestCerts();
  const server = createTlsServer({ cert: certs.proxyCert, key: certs.proxyKey }, (socket) => socket.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = String((server.address() as { port: number }).port);
  // A connector per connection, from one settings object: as a sender makes one per origin.
  const handshakeMs = async (settings: NetSettings, n: number): Promise<number> => {
    const start = performance.now();
    for (let k = 0; k < n; k++) {
      const connect = createConnector(settings);
      const socket = await new Promise<Socket>((resolve, reject) =>
        connect({ protocol: 'https:', hostname: '127.0.0.1', port }, (err, s) => (err ? reject(err) : resolve(s))),
      );
      socket.destroy();
    }
    return (performance.now() - start) / n;
  };
  const withCa: NetSettings = { proxy: 'none', extraCa: [certs.caCert] };
  const unchecked: NetSettings = { proxy: 'none', verifyTls: false };
  await handshakeMs(withCa, 5);
  await handshakeMs(unchecked, 5);
  const caMs: number[] = [];
  const plainMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    caMs.push(await handshakeMs(withCa, 20));
    plainMs.push(await handshakeMs(unchecked, 20));
  }
  await new Promise<void>((r) => server.close(() => r()));
  const ca = median(caMs);
  const plain = median(plainMs);
  return {
    tlsConnectWithExtraCaMs: Math.round(ca * 100) / 100,
    tlsConnectUncheckedMs: Math.round(plain * 100) / 100,
    tlsConnectExtraCaRatio: Math.round((ca / plain) * 100) / 100,
    tlsConnectGoal: 'extra CA ratio <= 1.5',
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const server = await startServer();
  const origin = `http://127.0.0.1:${server.port}`;
  const webhook = webhookSchema.parse({
    name: 'bench',
    url: `${origin}/enrich?email={{lead.Email}}`,
    encoding: 'json',
    template: '{"email":{{lead.Email}},"first":{{lead.First Name}}}',
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    responseType: 'json',
    mappings: [{ attribute: 'id', field: 'Company' }],
  });
  const context = tokenContextSchema.parse({
    name: 'bench',
    lead: { Email: 'sandy@example.com', 'First Name': 'Sandy' },
  });
  const sender = createSender({ proxy: 'none' });
  const client = new Client(origin, { pipelining: 1 });

  // The raw client sends the very bytes the sender sends (taken from one rendered exchange).
  const sample = await sender.send({ sendId: 'sample', webhook, context });
  const body = sample.request.body;
  const headers = ['host', `127.0.0.1:${server.port}`, 'Content-Type', 'application/json'];
  const path = sample.request.requestTarget;

  const rawOnce = async (): Promise<void> => {
    const res = await client.request({ path, method: 'POST', headers, body });
    await res.body.text();
  };
  const wire = toWire(renderWebhook(webhook, context));
  const pool = new Pool(origin, { pipelining: 1, connect: createConnector({ proxy: 'none' }) });
  const wireOnce = async (): Promise<void> => {
    const hop = new Hop(
      wire,
      { maxBytes: 1 << 20, tempDir: '.', name: 'bench' },
      () => undefined,
      () => undefined,
    );
    pool.dispatch(
      { path: wire.path, method: wire.method, headers: wire.headers, body: wire.body, reset: wire.reset },
      hop,
    );
    await hop.done;
    if (hop.status !== 200) throw new Error(`bench wire path failed: ${hop.error?.message ?? hop.status}`);
  };
  let i = 0;
  const senderOnce = async (): Promise<void> => {
    const ex = await sender.send({ sendId: `b${i++}`, webhook, context });
    if (ex.outcome !== 'updated') throw new Error(`bench send failed: ${ex.outcome} ${ex.message}`);
  };

  const block = 1000;
  const rounds = 9;
  for (let k = 0; k < 3000; k++) {
    await rawOnce();
    await senderOnce();
    await wireOnce();
  }
  const rawPer: number[] = [];
  const senderPer: number[] = [];
  const wirePer: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    for (let k = 0; k < block; k++) await rawOnce();
    rawPer.push(((performance.now() - t) * 1000) / block);
    t = performance.now();
    for (let k = 0; k < block; k++) await senderOnce();
    senderPer.push(((performance.now() - t) * 1000) / block);
    t = performance.now();
    for (let k = 0; k < block; k++) await wireOnce();
    wirePer.push(((performance.now() - t) * 1000) / block);
  }
  await pool.close();
  await sender.close();
  await client.close();
  await server.close();
  const rawUs = median(rawPer);
  const senderUs = median(senderPer);
  const wireUs = median(wirePer);
  return {
    requests: block * rounds,
    senderPerRequestUs: Math.round(senderUs),
    baselineRawUndiciClientPerRequestUs: Math.round(rawUs),
    ratio: Math.round((senderUs / rawUs) * 100) / 100,
    goal: 'ratio <= 1.2',
    wirePathPerRequestUs: Math.round(wireUs),
    wirePathRatio: Math.round((wireUs / rawUs) * 100) / 100,
    ...(await tlsConnections()),
  };
}
