import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '../../electron/services/sender/index';
import { exchangeSchema, outcomes, type Exchange, type Profile, type WebhookInput } from '../../shared/model';
import type { RawServer } from '../electron/services/sender/raw-server';
import { send as sendTo, startHostile } from './hostile';

// Issue 11: web services that misbehave on purpose. Every send ends with a clear outcome and message,
// memory stays bounded, and the same sender serves a normal request afterwards.

const MiB = 1024 * 1024;
/** Resident memory a single hostile send may add, at its peak, over what the process held before it. */
const rssBoundMiB = 96;

/** Writes `piece` for as long as the socket takes it (the sender stops it by closing the connection). */
function pump(socket: Socket, piece: Buffer | string): void {
  const go = (): void => {
    while (!socket.destroyed && socket.writable && socket.write(piece));
    if (!socket.destroyed) socket.once('drain', go);
  };
  go();
}

/** Writes one byte of `text` every `ms` until it is all out or the connection is gone. */
function trickle(socket: Socket, text: string, ms: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) {
      clearInterval(timer);
      return;
    }
    socket.write(text[at++] as string);
  }, ms);
  socket.on('close', () => clearInterval(timer));
}

/** A gzip stream that inflates to 1 GiB of zeros: 1024 gzip members of 1 MiB each, about 1 MB on the wire. */
const bombMember = gzipSync(Buffer.alloc(MiB), { level: 9 });
const gzipBomb = Buffer.concat(Array(1024).fill(bombMember) as Buffer[]);

const depth = 100_000;
const deepJsonArrays = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const deepJsonObjects = `${'{"name":'.repeat(depth)}"Kim"${'}'.repeat(depth)}`;
const deepXml = `<?xml version="1.0"?>${'<a>'.repeat(depth)}<name>Kim</name>${'</a>'.repeat(depth)}`;

const withLength = (body: string | Buffer, extra = '') =>
  `HTTP/1.1 200 OK\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

const routes: Record<string, (s: Socket) => void> = {
  // Resets: the peer aborts the connection (RST) part way.
  '/reset-mid-head': (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Le');
    setTimeout(() => s.resetAndDestroy(), 20);
  },
  '/reset-mid-body': (s) => {
    s.write(withLength('x'.repeat(1000)));
    s.write('{"name":"Ki');
    setTimeout(() => s.resetAndDestroy(), 20);
  },
  '/reset-mid-large-body': (s) => {
    s.write(withLength(Buffer.alloc(5_000_000)));
    // Time for the sender to read what came (a reset drops what the receiver has not read yet).
    s.write(Buffer.alloc(3_000_000, 'a'), () => setTimeout(() => s.resetAndDestroy(), 300));
  },
  '/close-mid-large-body': (s) => {
    s.write(`HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n`);
    s.end(Buffer.alloc(3_000_000, 'a'));
  },
  // Garbage where the status line should be, and heads no parser should accept.
  '/garbage-words': (s) => s.end('this is not HTTP at all\r\n\r\n'),
  '/garbage-status-code': (s) => s.end('HTTP/1.1 abc OK\r\nContent-Length: 0\r\n\r\n'),
  '/garbage-protocol': (s) => s.end('SPDY/9 200 OK\r\nContent-Length: 0\r\n\r\n'),
  '/garbage-binary': (s) => s.end(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256))),
  '/garbage-negative-length': (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\nhello'),
  '/garbage-two-lengths': (s) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'),
  '/garbage-nul-in-header': (s) => s.end('HTTP/1.1 200 OK\r\nX-Bad: a\0b\r\nContent-Length: 2\r\n\r\n{}'),
  '/garbage-endless-header': (s) => {
    s.write('HTTP/1.1 200 OK\r\nX-Flood: ');
    pump(s, 'a'.repeat(64 * 1024));
  },
  // Bodies that never end: at full speed (the size cap stops them) or a byte at a time (the timeout does).
  '/endless-chunked': (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
    const data = Buffer.alloc(64 * 1024, 'z');
    pump(s, Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]));
  },
  '/endless-until-close': (s) => {
    s.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
    pump(s, Buffer.alloc(64 * 1024, 'z'));
  },
  '/endless-trickle': (s) => {
    s.write('HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n');
    trickle(s, 'z'.repeat(1_000_000), 20);
  },
  '/trickle-head': (s) =>
    trickle(
      s,
      'HTTP/1.1 200 OK\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n',
      100,
    ),
  // A gzip bomb: the studio shows the bytes that came; it never inflates them.
  '/gzip-bomb': (s) => {
    s.write(withLength(gzipBomb, 'Content-Type: application/json\r\nContent-Encoding: gzip\r\n'));
    s.write(gzipBomb);
  },
  '/gzip-bomb-chunked-close': (s) => {
    s.write(
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
    );
    s.write(`${gzipBomb.length.toString(16)}\r\n`);
    s.write(gzipBomb);
    s.end('\r\n0\r\n\r\n');
  },
  // Nesting 100,000 deep.
  '/deep-json-arrays': (s) =>
    s.write(withLength(deepJsonArrays, 'Content-Type: application/json\r\n') + deepJsonArrays),
  '/deep-json-objects': (s) =>
    s.write(withLength(deepJsonObjects, 'Content-Type: application/json\r\n') + deepJsonObjects),
  '/deep-xml': (s) => s.write(withLength(deepXml, 'Content-Type: application/xml\r\n') + deepXml),
};

let server: RawServer;
let sender: Sender;
let tmp: string;
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hostile-server-'));
  server = await startHostile(routes);
  sender = createSender({ proxy: 'none', tempDir: tmp });
  process.on('uncaughtException', onUncaught);
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await sender.close();
  await server.close();
  await rm(tmp, { recursive: true, force: true });
});

/**
 * Sends to a hostile route, sampling resident memory while it runs; then checks what every hostile send
 * must give: an exchange that fits the schema, an outcome with a message, RSS within the bound, no
 * uncaught exception, and a normal send on the same sender that works.
 */
async function hostile(
  route: string,
  input: Partial<WebhookInput> = {},
  profile: Partial<Profile> = {},
  anyOutcome = false,
): Promise<Exchange & { peakGrowthMiB: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  let ex: Exchange;
  try {
    ex = await sendTo(sender, `${server.url}${route}`, input, profile);
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  const peakGrowthMiB = (peak - before) / MiB;
  expect(exchangeSchema.safeParse(ex).success).toBe(true);
  expect(ex.message.length).toBeGreaterThan(10);
  expect(outcomes).toContain(ex.outcome);
  if (!anyOutcome) expect(ex.outcome).not.toBe('internal-error');
  expect(peakGrowthMiB).toBeLessThan(rssBoundMiB);
  // A socket's end or close is handled a turn later: that is where a crash would surface.
  await new Promise((r) => setTimeout(r, 30));
  expect(uncaught).toEqual([]);
  const normal = await sendTo(sender, `${server.url}/ok`);
  expect(normal.outcome).toBe('updated');
  expect(normal.mapping?.lead.after['FirstName']).toBe('Robin');
  if (ex.response?.bodyFile) expect(existsSync(ex.response.bodyFile)).toBe(true);
  return Object.assign(ex, { peakGrowthMiB });
}

describe('connection resets', () => {
  it('mid-head: a network error that says the connection was reset before an answer', async () => {
    const ex = await hostile('/reset-mid-head');
    expect(ex.outcome).toBe('network-error');
    expect(ex.response).toBeUndefined();
    expect(ex.message).toMatch(/reset|closed/i);
  });

  it('mid-body: a network error; the part that came is kept', async () => {
    const ex = await hostile('/reset-mid-body');
    expect(ex.outcome).toBe('network-error');
    expect(ex.response?.body).toBe('{"name":"Ki');
    expect(ex.message).toMatch(/reset|closed/i);
  });

  it('mid-body of a body over 1 MiB: a network error, nothing crashes', async () => {
    const ex = await hostile('/reset-mid-large-body');
    expect(ex.outcome).toBe('network-error');
    expect(ex.response?.bodyBytes).toBeGreaterThan(MiB);
    expect(ex.response?.bodyBytes).toBeLessThanOrEqual(3_000_000);
  });

  it('the server closes part way through a body over 1 MiB it announced: a network error naming the short body', async () => {
    const ex = await hostile('/close-mid-large-body');
    expect(ex.outcome).toBe('network-error');
    expect(ex.response?.bodyBytes).toBe(3_000_000);
  });
});

describe('garbage for an answer', () => {
  for (const route of [
    '/garbage-words',
    '/garbage-status-code',
    '/garbage-protocol',
    '/garbage-binary',
    '/garbage-negative-length',
    '/garbage-nul-in-header',
  ]) {
    it(`${route}: a network error saying the answer is not HTTP`, async () => {
      const ex = await hostile(route);
      expect(ex.outcome).toBe('network-error');
      expect(ex.message).toMatch(/HTTP|protocol|answer|response/i);
    });
  }

  it('two different Content-Length values: a network error naming them', async () => {
    const ex = await hostile('/garbage-two-lengths');
    expect(ex.outcome).toBe('network-error');
    expect(ex.message).toContain('Content-Length cannot be trusted');
  });

  it('a header that never ends: stopped at undici’s head size limit, a network error', async () => {
    const ex = await hostile('/garbage-endless-header');
    expect(ex.outcome).toBe('network-error');
    expect(ex.response).toBeUndefined();
  });
});

describe('bodies that never end', () => {
  // The cap works the same at the default 128 MiB (measured: ~36 MiB peak RSS growth, 2.6 s); 48 MiB
  // keeps the suite light on a shared machine while still far past what memory may hold.
  it('at full speed, chunked: cut at the size cap, memory bounded, the send still ends', async () => {
    const ex = await hostile(
      '/endless-chunked',
      { responseType: 'none', mappings: [] },
      { maxResponseBytes: 48 * MiB },
    );
    expect(ex.response?.truncated).toBe(true);
    expect(ex.response?.bodyBytes).toBe(48 * MiB);
    expect(ex.message).toContain('maxResponseBytes');
    // The file holds what was kept; it goes now rather than at exit.
    await rm(ex.response?.bodyFile as string, { force: true });
  });

  it('at full speed until the server closes, mapped as JSON: cut at the profile’s cap', async () => {
    const ex = await hostile('/endless-until-close', {}, { maxResponseBytes: 16 * MiB });
    expect(ex.response?.truncated).toBe(true);
    expect(ex.response?.bodyBytes).toBe(16 * MiB);
    expect(ex.message).toContain('maxResponseBytes');
  });

  it('a byte at a time: the timeout ends it', async () => {
    const ex = await hostile('/endless-trickle', {}, { timeoutMs: 1_500 });
    expect(ex.outcome).toBe('timeout');
    expect(ex.message).toContain('1500 ms');
  });

  it('a head sent a byte at a time: the timeout ends it', async () => {
    const ex = await hostile('/trickle-head', {}, { timeoutMs: 1_500 });
    expect(ex.outcome).toBe('timeout');
    expect(ex.response).toBeUndefined();
  });
});

describe('1 GiB gzip bombs', () => {
  it('the bomb inflates to 1 GiB (1024 members of 1 MiB)', () => {
    expect(gunzipSync(bombMember).length).toBe(MiB);
    expect(gzipBomb.length).toBe(1024 * bombMember.length);
    expect(gzipBomb.length).toBeLessThan(2 * MiB);
  });

  for (const route of ['/gzip-bomb', '/gzip-bomb-chunked-close']) {
    it(`${route}: the compressed bytes are kept as they came, never inflated`, async () => {
      const ex = await hostile(route);
      expect(ex.response?.bodyBytes).toBe(gzipBomb.length);
      expect(ex.response?.bodyEncoding).toBe('base64');
      expect(ex.outcome).toBe('updated');
      // JSON was expected; the mapping says the body is not JSON rather than reading 1 GiB of zeros.
      expect(ex.mapping?.mappings[0]?.written).toBe(false);
    });
  }
});

// How deep the mappings read is the mapping engine's to bound (shared/engine/response.ts); here only
// that the send ends with an outcome, the process survives and the sender serves on.
describe('100,000-deep bodies meet the mappings', () => {
  it('JSON arrays: the send ends with an outcome', async () => {
    const ex = await hostile(
      '/deep-json-arrays',
      { responseType: 'json', mappings: [{ attribute: '0', field: 'FirstName' }] },
      {},
      true,
    );
    expect(ex.response?.bodyBytes).toBe(Buffer.byteLength(deepJsonArrays));
  });

  it('JSON objects: the send ends with an outcome', async () => {
    const ex = await hostile(
      '/deep-json-objects',
      { responseType: 'json', mappings: [{ attribute: 'name.name', field: 'FirstName' }] },
      {},
      true,
    );
    expect(ex.response?.bodyBytes).toBe(Buffer.byteLength(deepJsonObjects));
  });

  it('XML: the send ends with an outcome', async () => {
    const ex = await hostile(
      '/deep-xml',
      { responseType: 'xml', mappings: [{ attribute: 'a.name', field: 'FirstName' }] },
      {},
      true,
    );
    expect(ex.response?.bodyBytes).toBe(Buffer.byteLength(deepXml));
  });
});
