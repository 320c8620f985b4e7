import type { Exchange } from '@shared/model';
import type { RequestMask } from '../secrets/mask';
import type { Hop, StopReason } from './hop';
import type { Route } from './pools';
import type { WireRequest } from './wire';

/** The request of the current hop: the first one, or where a followed redirect leads. */
export interface HopRequest {
  origin: string;
  wire: WireRequest;
  url: string;
  mask: RequestMask;
}

/** A send on the wire: the hop going out now, how it went, and the redirects so far. */
export interface Flight {
  current: HopRequest;
  /** How the current hop went out (before the first dispatch: straight to the origin). */
  via: Route;
  redirects: Exchange['redirects'];
  /** The Location of a redirect answer that was not followed (not asked to, or refused). */
  redirectNotFollowed: string | undefined;
  /** Why a body over 1 MiB is not (or no longer) in its file. */
  fileProblem: string | undefined;
  /** The whole body read back from its file, for the mappings. */
  fileBody: string | undefined;
}

/** A send in flight, as cancel, close and its deadline reach it. */
export class SendControl {
  hop: Hop | undefined;
  reason: StopReason | undefined;
  constructor(readonly sendId: string) {}

  /** The first reason wins; the current hop (if any) stops, and a hop dispatched later stops at once. */
  stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.hop?.stop(reason);
  }

  expire(): void {
    this.stop('timeout');
  }
}
