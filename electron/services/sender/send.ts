import type { Exchange } from '@shared/model';
import { searchedSecrets } from '../secrets/mask';
import type { Deadlines } from './deadlines';
import { answeredExchange, internalFailed, notSentExchange, prepareFailed } from './exchange';
import { SendControl, type Flight } from './flight';
import type { Hop } from './hop';
import type { Links } from './links';
import { maskBodyFile } from './mask-file';
import type { HopPlan, Pools } from './pools';
import { checkScheme, prepare, toCatcher, type Prepared } from './prepare';
import { nextHop } from './redirects';
import type { SenderOptions, SendInput } from './types';

/** What one sender keeps between sends. */
export interface SenderState {
  readonly options: SenderOptions;
  /** Where bodies over 1 MiB are streamed (see spill.ts). */
  readonly tempDir: string;
  readonly pools: Pools;
  /** Sends in flight; a send id used twice at once cancels the later send, as a map by id would. */
  readonly active: Links<SendControl>;
  readonly deadlines: Deadlines;
  closed: boolean;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * A body over 1 MiB went to a temp file: the file is closed, read back whole when mappings parse it, and
 * masked when secrets were sent. What fails is recorded on the flight and as a warning.
 */
async function finishBodyFile(state: SenderState, p: Prepared, last: Hop, flight: Flight): Promise<void> {
  try {
    await last.sink.close();
  } catch (e) {
    flight.fileProblem = message(e);
  }
  // A whole body in a temp file is what the mappings read; if it cannot be read, the first part in memory is.
  // Without mappings nothing parses it, so up to maxResponseBytes is not read back just to be dropped.
  const parsed = p.input.webhook.responseType !== 'none' && p.input.webhook.mappings.length > 0;
  if (parsed && flight.fileProblem === undefined && !last.stopped && !last.error && last.status !== undefined) {
    try {
      flight.fileBody = (await last.sink.all()).toString('utf8');
    } catch {
      flight.fileBody = undefined;
    }
  }
  // A service that echoes a secret must not leave it on disk in clear: the file is masked like the record.
  const searched = searchedSecrets(p.secretValues);
  if (last.sink.filePath !== undefined && flight.fileProblem === undefined && searched.length > 0) {
    try {
      await maskBodyFile(last.sink.filePath, searched);
    } catch (e) {
      flight.fileProblem = `its secrets could not be masked (${message(e)}), so it was deleted`;
    }
  }
  if (flight.fileProblem !== undefined) {
    p.diagnostics.push({
      severity: 'warning',
      code: 'body-file-failed',
      message: `the response body over 1 MiB could not be written to ${state.tempDir}: ${flight.fileProblem}; only its first part is kept`,
    });
  }
}

/** Sends the hops of one send (the request, a proxy's second try, the redirects) until its answer is in. */
async function fly(state: SenderState, p: Prepared, flight: Flight, control: SendControl): Promise<Hop> {
  const plan: HopPlan = {
    sink: {
      maxBytes: p.profile.maxResponseBytes,
      tempDir: state.tempDir,
      name: p.input.sendId,
      keep: state.options.keepBodyFiles === true,
    },
    progress: p.progress,
    timeoutMs: p.profile.timeoutMs,
  };
  for (;;) {
    flight.via = state.pools.route(flight.current.origin, flight.current.wire);
    const hop = state.pools.dispatch(flight.via, plan);
    control.hop = hop;
    if (control.reason) hop.stop(control.reason);
    await hop.done;
    if (state.pools.forwardAfterRefusal(hop, flight.current.origin)) {
      await hop.sink.discard();
      continue;
    }
    const next = nextHop(p, hop, flight);
    if (next === undefined) return hop;
    await hop.sink.discard();
    flight.current = next;
  }
}

/**
 * One send, start to end. Whatever goes wrong inside (a throwing secrets hook, an engine bug) ends as an
 * exchange, never a rejection (Speed: docs/performance.md#sender). The async part is only the waiting
 * (catcher start, hops, a temp file): the work before and after is in plain functions.
 */
export async function send(state: SenderState, input: SendInput): Promise<Exchange> {
  // Set once nothing more can stop the send before the wire: a failure after that is internal-error.
  let prepared: Prepared | undefined;
  try {
    const p = prepare(input, state.closed);
    if (p.whyNot === undefined && input.target === 'catcher')
      await toCatcher(p, state.options.catcherUrl, () => state.closed);
    checkScheme(p);
    if (p.whyNot !== undefined) return notSentExchange(p, p.whyNot);
    prepared = p;
    const control = new SendControl(input.sendId);
    const activeLink = state.active.push(control);
    // The timeout counts from the start of the send (Speed: docs/performance.md#sender).
    const deadline = state.deadlines.add(p.profile.timeoutMs, control, p.t0);
    const flight: Flight = {
      current: { origin: p.origin, wire: p.wire, url: p.rendered.url, mask: p.mask },
      via: { entryOrigin: p.origin, wire: p.wire },
      redirects: [],
      redirectNotFollowed: undefined,
      fileProblem: undefined,
      fileBody: undefined,
    };
    let last: Hop;
    try {
      last = await fly(state, p, flight, control);
    } finally {
      state.deadlines.drop(deadline);
      state.active.remove(activeLink);
    }
    if (last.sink.spilled) await finishBodyFile(state, p, last, flight);
    return answeredExchange(p, last, flight);
  } catch (e) {
    return prepared === undefined ? prepareFailed(input, e) : internalFailed(prepared, e);
  }
}
