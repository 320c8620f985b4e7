import type { CollectionSnapshot } from '../../shared/contract';
import type { Exchange, TokenContext, Webhook } from '../../shared/model';
import { defaultProfile } from '../../shared/model';
import { defaultFieldCatalog } from '../../shared/catalog';

export function webhook(name: string, change: Partial<Webhook> = {}): Webhook {
  return {
    name,
    url: 'https://api.example.com/hook?id={{lead.Id}}',
    method: 'POST',
    template: '{"email": {{lead.Email Address}}}',
    encoding: 'json',
    responseType: 'json',
    headers: [],
    mappings: [],
    ...change,
  };
}

export function context(name: string, lead: Record<string, string | number | boolean | null> = {}): TokenContext {
  return {
    name,
    lead,
    company: {},
    my: {},
    program: {},
    campaign: { Type: 'trigger' },
    trigger: {},
    member: {},
    system: {},
  };
}

export function snapshot(change: Partial<CollectionSnapshot> = {}): CollectionSnapshot {
  return {
    dir: '/c',
    name: 'Test collection',
    profile: defaultProfile,
    fields: defaultFieldCatalog,
    webhooks: [
      { path: 'webhooks/enrich.yaml', folder: '', version: 'v1', webhook: webhook('Enrich') },
      { path: 'webhooks/crm/lookup.yaml', folder: 'crm', version: 'v1', webhook: webhook('Lookup', { method: 'GET' }) },
    ],
    contexts: [
      {
        path: 'contexts/plain.yaml',
        version: 'c1',
        context: context('Plain', { 'Email Address': 'ada@example.com', Id: 7 }),
      },
    ],
    problems: [],
    secrets: [],
    ...change,
  };
}

export function exchange(change: Partial<Exchange> = {}): Exchange {
  return {
    id: 'x1',
    webhook: 'Enrich',
    startedAt: '2026-11-27T18:00:00.000Z',
    request: {
      method: 'POST',
      url: 'https://api.example.com/hook',
      origin: 'https://api.example.com',
      requestTarget: '/hook',
      head: 'POST /hook HTTP/1.1\r\n\r\n',
      body: '{}',
      bodyEncoding: 'utf8',
    },
    response: {
      httpVersion: '1.1',
      status: 200,
      reason: 'OK',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      head: '',
      body: '{"a":1}',
      bodyEncoding: 'utf8',
      bodyBytes: 7,
      truncated: false,
    },
    timings: { dnsMs: 1, connectMs: 2, tlsMs: null, sentMs: 1, ttfbMs: 40, downloadMs: 6, totalMs: 50 },
    outcome: 'updated',
    message: '',
    redirects: [],
    diagnostics: [],
    ...change,
  };
}
