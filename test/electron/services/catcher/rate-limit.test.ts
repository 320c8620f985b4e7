import { afterEach, describe, expect, it } from 'vitest';
import { CatcherRulesError, parseCatcherRules, startCatcher, type Catcher } from '@services/catcher/index';

let catcher: Catcher | undefined;
afterEach(async () => {
  await catcher?.close();
  catcher = undefined;
});

async function statuses(
  url: string,
  n: number,
): Promise<Array<{ status: number; retryAfter: string | null; body: string }>> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = await fetch(url, { method: 'POST', body: `{"i":${i}}` });
    out.push({ status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() });
  }
  return out;
}

describe('catcher rules: rateLimit answers 429 after N requests per window', () => {
  it('answers the rule for the first N requests of a window, then 429 with Retry-After', async () => {
    catcher = await startCatcher({
      rules: parseCatcherRules(
        '- path: /hook\n  status: 200\n  body: \'{"ok":1}\'\n  rateLimit: { requests: 3, windowMs: 60000 }\n',
        'rules.yaml',
      ),
    });
    const got = await statuses(`${catcher.url}/hook`, 5);
    expect(got.map((g) => g.status)).toEqual([200, 200, 200, 429, 429]);
    expect(got[0]?.body).toBe('{"ok":1}');
    expect(got[3]).toEqual({ status: 429, retryAfter: '60', body: '{"error":"rate limit exceeded"}' });
    // Another path is not counted against the rule.
    expect((await fetch(`${catcher.url}/other`, { method: 'POST', body: '' })).status).toBe(200);
  });

  it('starts a new window once the old one is over', async () => {
    catcher = await startCatcher({
      rules: parseCatcherRules('[{"rateLimit":{"requests":1,"windowMs":150},"status":204}]', 'rules.json'),
    });
    expect((await statuses(catcher.url, 2)).map((g) => g.status)).toEqual([204, 429]);
    await new Promise((r) => setTimeout(r, 200));
    expect((await statuses(catcher.url, 2)).map((g) => g.status)).toEqual([204, 429]);
  });

  it('refuses a bad rateLimit with the file, line and field', () => {
    expect(() => parseCatcherRules('- rateLimit:\n    requests: 0\n    windowMs: 1000\n', 'r.yaml')).toThrow(
      CatcherRulesError,
    );
    expect(() => parseCatcherRules('- rateLimit:\n    requests: 0\n    windowMs: 1000\n', 'r.yaml')).toThrow(
      /r\.yaml:2:15.*rateLimit\.requests.*is at least 1/s,
    );
    expect(() => parseCatcherRules('- rateLimit: { requests: 2 }\n', 'r.yaml')).toThrow(/windowMs/);
  });
});
