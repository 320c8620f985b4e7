import {
  attributeLabels,
  operatorLabels,
  valuelessOperators,
  type Exchange,
  type Outcome,
  type Profile,
  type ProfileOption,
  type Trigger,
  type TriggerConstraint,
  type TriggerResult,
} from '../model';
import { ProfileUse } from './render';
import { reasonPhrases } from './response';

/**
 * The "Webhook is Called" trigger simulator (DEV-ERR, TK-WIC). Marketo records a Call Webhook activity
 * for every call (AIO-LADS); a smart campaign listening with "Webhook is Called" fires when the webhook
 * is one it names and every constraint holds. The constraints read two attributes: Response (the
 * literal response payload) and Error Type (the Reason-Phrase of the HTTP status line).
 */

/** One call as the trigger sees it. */
export interface WebhookCall {
  /** The webhook's name. */
  webhook: string;
  outcome: Outcome;
  status?: number;
  /** The reason phrase as the status line carried it ('' or absent: none on the wire). */
  reason?: string;
  /** The response body as text; '' when there was no answer. */
  body: string;
  /** True when only the first part of the body was kept (matching reads that part). */
  bodyCut?: boolean;
}

export interface CallAttributes {
  /** The literal response payload. */
  response: string;
  errorType: string;
  /** The profile options whose assumed defaults decided the Error Type. */
  assumed: ProfileOption[];
  /** False when Marketo would not have called the webhook at all (batch campaign, cancelled). */
  called: boolean;
}

/** Outcomes in which no HTTP call was made, so no Call Webhook activity and no trigger. */
const notCalled: ReadonlySet<Outcome> = new Set(['not-sent', 'cancelled']);

/**
 * The Response and Error Type Marketo records for a call. A non-2xx answer's Error Type is its reason
 * phrase (DEV-ERR); an HTTP/2 answer or a bare status line carries none, so the standard phrase for the
 * code stands in, as the mapping report does. Everything else rests on a named profile option.
 */
export function callAttributes(call: WebhookCall, profile?: Partial<Profile>): CallAttributes {
  const pu = new ProfileUse(profile);
  const response = call.body;
  if (notCalled.has(call.outcome)) return { response: '', errorType: '', assumed: [], called: false };
  if (call.outcome === 'timeout') {
    pu.use('timeoutErrorType');
    return { response: '', errorType: pu.profile.timeoutErrorType, assumed: pu.assumed, called: true };
  }
  if (call.outcome === 'network-error' || call.status === undefined) {
    pu.use('networkErrorType');
    return { response: '', errorType: pu.profile.networkErrorType, assumed: pu.assumed, called: true };
  }
  const phrase = call.reason !== undefined && call.reason !== '' ? call.reason : (reasonPhrases[call.status] ?? '');
  if (call.status >= 200 && call.status <= 299) {
    pu.use('errorTypeOn2xx');
    return {
      response,
      errorType: pu.profile.errorTypeOn2xx === 'reason-phrase' ? phrase : '',
      assumed: pu.assumed,
      called: true,
    };
  }
  return { response, errorType: phrase, assumed: [], called: true };
}

/** The call as the trigger sees it, from an exchange (send, history, a runner lead). */
export function callOfExchange(exchange: Pick<Exchange, 'webhook' | 'outcome' | 'response'>): WebhookCall {
  const call: WebhookCall = { webhook: exchange.webhook, outcome: exchange.outcome, body: '' };
  const r = exchange.response;
  if (r) {
    call.status = r.status;
    call.reason = r.reason;
    // A body that is not UTF-8 text is kept as base64; the trigger compares text, so it reads as binary.
    call.body = r.bodyEncoding === 'utf8' ? r.body : '';
    if (r.truncated || r.bodyFile !== undefined || r.bodyEncoding !== 'utf8') call.bodyCut = true;
  }
  return call;
}

const quote = (s: string, max = 60): string => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);

function matches(
  operator: TriggerConstraint['operator'],
  actual: string,
  wanted: readonly string[],
  fold: boolean,
): boolean {
  const a = fold ? actual.toLowerCase() : actual;
  const ws = fold ? wanted.map((w) => w.toLowerCase()) : wanted;
  switch (operator) {
    case 'is':
      return ws.some((w) => a === w);
    case 'is-not':
      return !ws.some((w) => a === w);
    case 'contains':
      return ws.some((w) => a.includes(w));
    case 'not-contains':
      return !ws.some((w) => a.includes(w));
    case 'starts-with':
      return ws.some((w) => a.startsWith(w));
    case 'not-starts-with':
      return !ws.some((w) => a.startsWith(w));
    case 'is-empty':
      return actual === '';
    case 'is-not-empty':
      return actual !== '';
  }
}

/** "Error Type is "Not Found" or "Gone"": the constraint in Marketo's words. */
export function describeConstraint(c: TriggerConstraint): string {
  const head = `${attributeLabels[c.attribute]} ${operatorLabels[c.operator]}`;
  if (valuelessOperators.has(c.operator)) return head;
  const joiner = c.operator === 'is' || c.operator === 'contains' || c.operator === 'starts-with' ? ' or ' : ' nor ';
  return `${head} ${c.values.map((v) => quote(v)).join(joiner)}`;
}

function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * Whether one trigger fires for one call, and why, in a sentence a person can check: the first
 * constraint that fails, or every one that holds.
 */
export function evaluateTrigger(trigger: Trigger, call: WebhookCall, profile?: Partial<Profile>): TriggerResult {
  const pu = new ProfileUse(profile);
  const attrs = callAttributes(call, profile);
  const assumed = new Set<string>();
  const result = (fires: boolean, because: string): TriggerResult => {
    const r: TriggerResult = { name: trigger.name, fires, because };
    if (assumed.size > 0) r.assumed = [...assumed];
    return r;
  };
  if (!attrs.called)
    return result(false, `the webhook was not called (${call.outcome}), so Marketo records no Call Webhook activity`);
  if (trigger.webhooks.length > 0 && !trigger.webhooks.some((w) => sameName(w, call.webhook))) {
    return result(
      false,
      `Webhook is ${trigger.webhooks.map((w) => quote(w)).join(' or ')}, and this call is to ${quote(call.webhook)}`,
    );
  }
  const held: string[] = [trigger.webhooks.length > 0 ? `Webhook is ${quote(call.webhook)}` : 'Webhook is any'];
  for (const c of trigger.constraints) {
    const actual = c.attribute === 'response' ? attrs.response : attrs.errorType;
    if (c.attribute === 'errorType') for (const a of attrs.assumed) assumed.add(a);
    const fold = pu.profile.triggerMatchCase === 'insensitive';
    const ok = matches(c.operator, actual, c.values, fold);
    // The case option is named only where it changed the answer.
    if (!valuelessOperators.has(c.operator) && ok !== matches(c.operator, actual, c.values, !fold)) {
      pu.use('triggerMatchCase');
      if (pu.isAssumed('triggerMatchCase')) assumed.add('triggerMatchCase');
    }
    const cut =
      c.attribute === 'response' && call.bodyCut
        ? ' (only the first part of the body was kept, and that is what was compared)'
        : '';
    const shown = actual === '' ? 'empty' : quote(actual);
    if (!ok)
      return result(
        false,
        `${describeConstraint(c)} does not hold: the ${attributeLabels[c.attribute]} is ${shown}${cut}`,
      );
    held.push(`${describeConstraint(c)} (it is ${shown})${cut}`);
  }
  return result(true, held.join('; '));
}

/** Every trigger for one call, in the order defined. */
export function evaluateTriggers(
  triggers: readonly Trigger[],
  call: WebhookCall,
  profile?: Partial<Profile>,
): TriggerResult[] {
  return triggers.map((t) => evaluateTrigger(t, call, profile));
}
