import type { CatcherRule } from '@shared/model';

/** Answers a Marketo tester reaches for, one click each; they match every request until given a path. */
export const catcherPresets: Array<{ label: string; rule: CatcherRule }> = [
  {
    label: '404 Not Found',
    rule: {
      status: 404,
      reason: 'Not Found',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      body: '{"error":"not found"}',
    },
  },
  {
    label: '500 error',
    rule: {
      status: 500,
      reason: 'Internal Server Error',
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      body: '{"error":"internal error"}',
    },
  },
  {
    // Marketo gives up on a webhook after 30 seconds; one second more shows what it does then.
    label: "Slow answer (31 s, past Marketo's 30 s timeout)",
    rule: {
      status: 200,
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      body: '{"ok":true}',
      delayMs: 31_000,
    },
  },
  {
    label: '429 rate limited',
    rule: {
      status: 429,
      reason: 'Too Many Requests',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        { name: 'Retry-After', value: '30' },
      ],
      body: '{"error":"rate limit exceeded"}',
    },
  },
  {
    label: 'JSON body for mappings',
    rule: {
      status: 200,
      headers: [{ name: 'Content-Type', value: 'application/json; charset=utf-8' }],
      body: '{"company":{"name":"Acme Corp","industry":"Software","employees":250},"person":{"title":"VP Marketing"},"score":87}',
    },
  },
];
