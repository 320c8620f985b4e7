import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { webhookSchema, tokenContextSchema, type Webhook, type WebhookInput } from '@shared/model';

/** A real HTTP server on loopback; `answer` decides each response from the request body. */
export async function startServer(
  answer: (
    body: string,
    url: string,
    headers: http.IncomingHttpHeaders,
  ) => { status: number; body: string; delayMs?: number; contentType?: string },
) {
  let received = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received++;
      const a = answer(Buffer.concat(chunks).toString('utf8'), req.url ?? '', req.headers);
      const send = () => {
        res.writeHead(a.status, { 'content-type': a.contentType ?? 'application/json' });
        res.end(a.body);
      };
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function enrichWebhook(origin: string, extra: Partial<WebhookInput> = {}): Webhook {
  return webhookSchema.parse({
    name: 'Enrich lead',
    url: `${origin}/enrich?email={{lead.Email Address}}`,
    method: 'POST',
    template: '{"email":{{lead.Email Address}},"company":{{lead.Company Name}}}',
    encoding: 'json',
    responseType: 'json',
    mappings: [
      { attribute: 'company.name', field: 'Company' },
      { attribute: 'title', field: 'Title' },
    ],
    ...extra,
  });
}

export const triggerContext = tokenContextSchema.parse({
  name: 'Trigger',
  my: { 'API Key': 'k-123' },
  campaign: { Type: 'trigger' },
});

export function leadsCsv(n: number, row: (i: number) => string = (i) => `lead${i}@example.com,Company ${i}`): string {
  const lines = ['Email Address,Company Name'];
  for (let i = 0; i < n; i++) lines.push(row(i));
  return `${lines.join('\n')}\n`;
}
