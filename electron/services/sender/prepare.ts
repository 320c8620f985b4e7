import { performance } from 'node:perf_hooks';
import type { Diagnostic, Profile, RenderedRequest } from '@shared/model';
import { profileWithDefaults } from '@shared/engine/profile-use';
import { requestMask, type RequestMask } from '../secrets/mask';
import type { ProgressPhase } from './hop';
import { credentialValues, none, renderWithSecrets } from './secrets';
import { round } from './timings';
import type { SenderOptions, SendInput } from './types';
import { toWire, wireProblems, type WireRequest } from './wire';

/** What a send has worked out before anything goes on the wire. */
export interface Prepared {
  input: SendInput;
  startedAt: string;
  t0: number;
  profile: Profile;
  rendered: RenderedRequest;
  wire: WireRequest;
  /** The render's diagnostics, which the send adds to. */
  diagnostics: Diagnostic[];
  /** Where the secrets are in the request, by position. */
  mask: RequestMask;
  /** Every secret value sent (for redirects), and the ones searched for in the answer. */
  secretValues: string[];
  progress: ((phase: ProgressPhase, at: number) => void) | undefined;
  /** Where the request goes: the URL's origin, or the catcher's. */
  origin: string;
  whyNot: string | undefined;
  whyNotAlso: Diagnostic[];
}

/** The wall-clock start of a send, formatted at most once per millisecond. Speed: docs/performance.md#sender */
let isoAt = 0;
let isoText = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== isoAt) {
    isoAt = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

/** The first error and how many there are. Speed: docs/performance.md#sender */
function firstError(diagnostics: Diagnostic[]): { first: Diagnostic; count: number } | undefined {
  let first: Diagnostic | undefined;
  let count = 0;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i] as Diagnostic;
    if (d.severity !== 'error') continue;
    first ??= d;
    count++;
  }
  return first === undefined ? undefined : { first, count };
}

/** Everything before the wire: render, secrets, the checks, and the reason not to send if there is one. */
export function prepare(input: SendInput, closed: boolean): Prepared {
  const startedAt = isoNow();
  const t0 = performance.now();
  // Shared with the render's own merge of the same options: nothing changes it.
  const profile = profileWithDefaults(input.profile);
  // The exchange records the request itself, not where each token went: no token uses are built.
  const secrets = renderWithSecrets(input);
  const rendered = secrets.rendered;
  // The render's own list (made for this send alone) grows with what the sender finds.
  const renderErrors = firstError(rendered.diagnostics);
  const diagnostics: Diagnostic[] = rendered.diagnostics;
  // Indexed, and skipped when empty: a for-of costs an iterator before the code is optimised.
  const problems = secrets.problems;
  for (let i = 0; i < problems.length; i++) diagnostics.push(problems[i] as Diagnostic);
  const onWire = renderErrors === undefined ? wireProblems(rendered) : none;
  for (let i = 0; i < onWire.length; i++) diagnostics.push(onWire[i] as Diagnostic);
  // Secret and wire problems are all errors, and follow the render's diagnostics in the list.
  const firstBlocking = renderErrors?.first ?? secrets.problems[0] ?? onWire[0];
  const blockingCount = (renderErrors?.count ?? 0) + secrets.problems.length + onWire.length;
  const onProgress = input.onProgress;
  let whyNot: string | undefined;
  if (closed) whyNot = 'not sent: the sender has been closed';
  else if (firstBlocking !== undefined)
    whyNot = `not sent: ${firstBlocking.message}${blockingCount > 1 ? ` (and ${blockingCount - 1} more error(s))` : ''}`;
  return {
    input,
    startedAt,
    t0,
    profile,
    rendered,
    wire: toWire(rendered),
    diagnostics,
    mask: requestMask(rendered.secretSpans, rendered.headers, none),
    secretValues:
      rendered.secretSpans === undefined ? secrets.values : [...secrets.values, ...credentialValues(rendered)],
    progress: onProgress ? (phase, at) => onProgress({ phase, atMs: round(at - t0) }) : undefined,
    origin: rendered.origin ?? '',
    whyNot,
    whyNotAlso: none,
  };
}

/** Target 'catcher': the request goes to the built-in catcher (started now if need be) instead of the URL's origin. */
export async function toCatcher(
  p: Prepared,
  catcherUrl: SenderOptions['catcherUrl'],
  isClosed: () => boolean,
): Promise<void> {
  if (!catcherUrl) {
    p.whyNot = 'not sent: the built-in catcher is not available here';
    return;
  }
  try {
    p.origin = new URL(await catcherUrl()).origin;
  } catch (e) {
    p.whyNot = `not sent: the built-in catcher could not start (${e instanceof Error ? e.message : String(e)})`;
  }
  if (p.whyNot === undefined && isClosed()) p.whyNot = 'not sent: the sender has been closed';
}

/** Only http and https requests go out; anything else is not sent, with the reason as a diagnostic on the URL. */
export function checkScheme(p: Prepared): void {
  if (p.whyNot !== undefined || p.origin.startsWith('http://') || p.origin.startsWith('https://')) return;
  const problem: Diagnostic = {
    severity: 'error',
    code: 'unsupported-scheme',
    message: `the URL must start with http:// or https:// to be sent (got '${p.rendered.url.slice(0, 40)}')`,
    location: { part: 'url' },
  };
  p.whyNot = `not sent: ${problem.message}`;
  p.whyNotAlso = [problem];
}
