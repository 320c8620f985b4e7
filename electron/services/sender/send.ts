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

/** What every hop of this send is dispatched with. */
function hopPlan(state: SenderState, p: Prepared): HopPlan {
  return {
    sink: {
      maxBytes: p.profile.maxResponseBytes,
      tempDir: state.tempDir,
      name: p.input.sendId,
      keep: state.options.keepBodyFiles === true,
    },
    progress: p.progress,
    timeoutMs: p.profile.timeoutMs,
  };
}

/** The flight before its first hop: the prepared request, straight to its origin. */
function startFlight(p: Prepared): Flight {
  return {
    current: { origin: p.origin, wire: p.wire, url: p.rendered.url, mask: p.mask },
    via: { entryOrigin: p.origin, wire: p.wire },
    redirects: [],
    redirectNotFollowed: undefined,
    fileProblem: undefined,
    fileBody: undefined,
  };
}

/**
 * One send, start to end: the hops (the request, a proxy's second try, the redirects) until its answer
 * is in. Whatever goes wrong inside (a throwing secrets hook, an engine bug) ends as an exchange, never a
 * rejection; this is the one async function of a send (Speed: docs/performance.md#sender). The work
 * before and after the waiting is in plain functions.
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
    const plan = hopPlan(state, p);
    const flight = startFlight(p);
    const control = new SendControl(input.sendId);
    const activeLink = state.active.push(control);
    // The timeout counts from the start of the send (Speed: docs/performance.md#sender).
    const deadline = state.deadlines.add(p.profile.timeoutMs, control, p.t0);
    let last: Hop;
    try {
      for (;;) {
        flight.via = state.pools.route(flight.current.origin, flight.current.wire);
        last = state.pools.dispatch(flight.via, plan);
        control.hop = last;
        if (control.reason) last.stop(control.reason);
        await last.done;
        // A proxy that would not tunnel is handed the same request again; else a redirect may lead on.
        const next = state.pools.forwardAfterRefusal(last, flight.current.origin)
          ? flight.current
          : nextHop(p, last, flight);
        if (next === undefined) break;
        await last.sink.discard();
        flight.current = next;
      }
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
