import { describe, expect, it } from 'vitest';
import { callAttributes, callOfExchange, evaluateTrigger, evaluateTriggers, type WebhookCall } from '@shared/engine';
import { triggerListSchema, triggerSchema, type TriggerInput } from '@shared/model';

const ok: WebhookCall = {
  webhook: 'Enrich',
  outcome: 'updated',
  status: 200,
  reason: 'OK',
  body: '{"status":"success","id":7}',
};
const notFound: WebhookCall = {
  webhook: 'Enrich',
  outcome: 'ignored',
  status: 404,
  reason: 'Not Found',
  body: '{"error":"no such lead"}',
};
const serverError: WebhookCall = {
  webhook: 'Enrich',
  outcome: 'ignored',
  status: 503,
  reason: 'Service Unavailable',
  body: 'Upstream down',
};
const timeout: WebhookCall = { webhook: 'Enrich', outcome: 'timeout', body: '' };
const network: WebhookCall = { webhook: 'Enrich', outcome: 'network-error', body: '' };
const calls = { '2xx': ok, '4xx': notFound, '5xx': serverError, timeout, 'network error': network } as const;

const trigger = (t: Partial<TriggerInput>) => triggerSchema.parse({ name: 't', ...t });
const fires = (t: Partial<TriggerInput>, call: WebhookCall, profile = {}) =>
  evaluateTrigger(trigger(t), call, profile).fires;

describe('Error Type (DEV-ERR: the reason phrase) and Response for each kind of call', () => {
  it('is the reason phrase for 4xx and 5xx, empty for 2xx, and a profile value for timeout and network error', () => {
    expect(callAttributes(notFound).errorType).toBe('Not Found');
    expect(callAttributes(notFound).assumed).toEqual([]);
    expect(callAttributes(serverError).errorType).toBe('Service Unavailable');
    expect(callAttributes(ok)).toMatchObject({ errorType: '', assumed: ['errorTypeOn2xx'], response: ok.body });
    expect(callAttributes(ok, { errorTypeOn2xx: 'reason-phrase' })).toMatchObject({ errorType: 'OK', assumed: [] });
    expect(callAttributes(timeout)).toMatchObject({
      errorType: 'Timeout',
      assumed: ['timeoutErrorType'],
      response: '',
    });
    expect(callAttributes(timeout, { timeoutErrorType: 'Read timed out' }).errorType).toBe('Read timed out');
    expect(callAttributes(network)).toMatchObject({ errorType: 'Connection Error', assumed: ['networkErrorType'] });
  });
  it('falls back to the standard phrase when the status line carries none (HTTP/2, a bare status line)', () => {
    expect(callAttributes({ ...notFound, reason: '' }).errorType).toBe('Not Found');
    expect(callAttributes({ ...notFound, status: 429, reason: undefined }).errorType).toBe('Too Many Requests');
  });
  it('is a custom phrase as the server wrote it', () => {
    expect(callAttributes({ ...notFound, reason: 'Nope' }).errorType).toBe('Nope');
  });
});

describe('each constraint against 2xx, 4xx, 5xx, timeout and network error', () => {
  const table: Array<[string, Partial<TriggerInput>, Record<keyof typeof calls, boolean>]> = [
    ['no constraint', {}, { '2xx': true, '4xx': true, '5xx': true, timeout: true, 'network error': true }],
    [
      'Error Type is Not Found',
      { constraints: [{ attribute: 'errorType', operator: 'is', values: ['Not Found'] }] },
      { '2xx': false, '4xx': true, '5xx': false, timeout: false, 'network error': false },
    ],
    [
      'Error Type is not Not Found',
      { constraints: [{ attribute: 'errorType', operator: 'is-not', values: ['Not Found'] }] },
      { '2xx': true, '4xx': false, '5xx': true, timeout: true, 'network error': true },
    ],
    [
      'Error Type is empty',
      { constraints: [{ attribute: 'errorType', operator: 'is-empty' }] },
      { '2xx': true, '4xx': false, '5xx': false, timeout: false, 'network error': false },
    ],
    [
      'Error Type is not empty',
      { constraints: [{ attribute: 'errorType', operator: 'is-not-empty' }] },
      { '2xx': false, '4xx': true, '5xx': true, timeout: true, 'network error': true },
    ],
    [
      'Error Type contains Unavailable',
      { constraints: [{ attribute: 'errorType', operator: 'contains', values: ['unavailable'] }] },
      { '2xx': false, '4xx': false, '5xx': true, timeout: false, 'network error': false },
    ],
    [
      'Error Type starts with Time',
      { constraints: [{ attribute: 'errorType', operator: 'starts-with', values: ['Time'] }] },
      { '2xx': false, '4xx': false, '5xx': false, timeout: true, 'network error': false },
    ],
    [
      'Error Type not starts with Conn',
      { constraints: [{ attribute: 'errorType', operator: 'not-starts-with', values: ['Conn'] }] },
      { '2xx': true, '4xx': true, '5xx': true, timeout: true, 'network error': false },
    ],
    [
      'Error Type is Timeout or Connection Error',
      { constraints: [{ attribute: 'errorType', operator: 'is', values: ['Timeout', 'Connection Error'] }] },
      { '2xx': false, '4xx': false, '5xx': false, timeout: true, 'network error': true },
    ],
    [
      'Response contains error',
      { constraints: [{ attribute: 'response', operator: 'contains', values: ['error'] }] },
      { '2xx': false, '4xx': true, '5xx': false, timeout: false, 'network error': false },
    ],
    [
      'Response not contains success',
      { constraints: [{ attribute: 'response', operator: 'not-contains', values: ['success'] }] },
      { '2xx': false, '4xx': true, '5xx': true, timeout: true, 'network error': true },
    ],
    [
      'Response is Upstream down',
      { constraints: [{ attribute: 'response', operator: 'is', values: ['Upstream down'] }] },
      { '2xx': false, '4xx': false, '5xx': true, timeout: false, 'network error': false },
    ],
    [
      'Response is not Upstream down',
      { constraints: [{ attribute: 'response', operator: 'is-not', values: ['Upstream down'] }] },
      { '2xx': true, '4xx': true, '5xx': false, timeout: true, 'network error': true },
    ],
    [
      'Response starts with {',
      { constraints: [{ attribute: 'response', operator: 'starts-with', values: ['{'] }] },
      { '2xx': true, '4xx': true, '5xx': false, timeout: false, 'network error': false },
    ],
    [
      'Response not starts with {',
      { constraints: [{ attribute: 'response', operator: 'not-starts-with', values: ['{'] }] },
      { '2xx': false, '4xx': false, '5xx': true, timeout: true, 'network error': true },
    ],
    [
      'Response is empty',
      { constraints: [{ attribute: 'response', operator: 'is-empty' }] },
      { '2xx': false, '4xx': false, '5xx': false, timeout: true, 'network error': true },
    ],
    [
      'Response is not empty',
      { constraints: [{ attribute: 'response', operator: 'is-not-empty' }] },
      { '2xx': true, '4xx': true, '5xx': true, timeout: false, 'network error': false },
    ],
    [
      'Response contains error and Error Type is Not Found',
      {
        constraints: [
          { attribute: 'response', operator: 'contains', values: ['error'] },
          { attribute: 'errorType', operator: 'is', values: ['Not Found'] },
        ],
      },
      { '2xx': false, '4xx': true, '5xx': false, timeout: false, 'network error': false },
    ],
  ];
  for (const [label, t, expected] of table) {
    it(label, () => {
      const got = Object.fromEntries(Object.entries(calls).map(([k, call]) => [k, fires(t, call)]));
      expect(got).toEqual(expected);
    });
  }
});

describe('Webhook is', () => {
  it('fires only for the webhooks named (case-insensitive), any webhook when none is named', () => {
    expect(fires({ webhooks: ['enrich'] }, ok)).toBe(true);
    expect(fires({ webhooks: ['Other'] }, ok)).toBe(false);
    expect(evaluateTrigger(trigger({ webhooks: ['Other'] }), ok).because).toContain('"Other"');
    expect(fires({ webhooks: [] }, ok)).toBe(true);
  });
  it('never fires when the webhook was not called (batch campaign, cancelled)', () => {
    const r = evaluateTrigger(trigger({}), { webhook: 'Enrich', outcome: 'not-sent', body: '' });
    expect(r.fires).toBe(false);
    expect(r.because).toContain('not called');
  });
});

describe('why, and what rests on an assumption', () => {
  it('says which constraint failed and what the value was', () => {
    const r = evaluateTrigger(
      trigger({ constraints: [{ attribute: 'errorType', operator: 'is', values: ['Not Found'] }] }),
      serverError,
    );
    expect(r).toEqual({
      name: 't',
      fires: false,
      because: 'Error Type is "Not Found" does not hold: the Error Type is "Service Unavailable"',
    });
  });
  it('names the profile option behind a timeout Error Type', () => {
    const r = evaluateTrigger(
      trigger({ constraints: [{ attribute: 'errorType', operator: 'is', values: ['Timeout'] }] }),
      timeout,
    );
    expect(r.fires).toBe(true);
    expect(r.assumed).toEqual(['timeoutErrorType']);
    expect(
      evaluateTrigger(
        trigger({ constraints: [{ attribute: 'errorType', operator: 'is', values: ['Timeout'] }] }),
        timeout,
        { timeoutErrorType: 'Timeout' },
      ).assumed,
    ).toBeUndefined();
  });
  it('compares ignoring case by default, and names triggerMatchCase only where case decided it', () => {
    const t = trigger({ constraints: [{ attribute: 'errorType', operator: 'is', values: ['not found'] }] });
    expect(evaluateTrigger(t, notFound)).toMatchObject({ fires: true, assumed: ['triggerMatchCase'] });
    expect(evaluateTrigger(t, notFound, { triggerMatchCase: 'sensitive' }).fires).toBe(false);
    expect(
      evaluateTrigger(
        trigger({ constraints: [{ attribute: 'errorType', operator: 'is', values: ['Not Found'] }] }),
        notFound,
      ).assumed,
    ).toBeUndefined();
  });
  it('evaluates every trigger of a list in order', () => {
    const list = triggerListSchema.parse([
      { name: 'a' },
      { name: 'b', constraints: [{ attribute: 'errorType', operator: 'is-not-empty' }] },
    ]);
    expect(evaluateTriggers(list, ok).map((r) => [r.name, r.fires])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });
});

describe('a trigger definition', () => {
  it('needs a value for an operator that takes one', () => {
    expect(
      triggerSchema.safeParse({ name: 'x', constraints: [{ attribute: 'response', operator: 'contains', values: [] }] })
        .success,
    ).toBe(false);
    expect(
      triggerSchema.safeParse({ name: 'x', constraints: [{ attribute: 'response', operator: 'is-empty' }] }).success,
    ).toBe(true);
  });
});

describe('callOfExchange', () => {
  it('reads status, reason and body from an exchange, and says when the body was cut', () => {
    const base = { webhook: 'Enrich', outcome: 'ignored' as const };
    const response = {
      httpVersion: '1.1',
      status: 404,
      reason: 'Not Found',
      headers: [],
      head: '',
      body: 'nope',
      bodyEncoding: 'utf8' as const,
      bodyBytes: 4,
      truncated: false,
    };
    expect(callOfExchange({ ...base, response })).toEqual({
      webhook: 'Enrich',
      outcome: 'ignored',
      status: 404,
      reason: 'Not Found',
      body: 'nope',
    });
    expect(callOfExchange({ ...base, response: { ...response, truncated: true } }).bodyCut).toBe(true);
    expect(callOfExchange({ webhook: 'Enrich', outcome: 'timeout', response: undefined })).toEqual({
      webhook: 'Enrich',
      outcome: 'timeout',
      body: '',
    });
  });
});
