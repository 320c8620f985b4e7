// The studio's own types, apart from the code that builds it, so the handler modules and the front door
// (index.ts) both read them without importing each other.
import type { z } from 'zod';
import type { ChannelName, ChannelOutput, EventName, EventPayload, channels } from '@shared/contract';
import type { SafeStorage } from '../secrets/index';

/** Electron's safeStorage as the secrets service uses it; main hands in the real one. */
export type SafeStorageLike = SafeStorage;

export interface StudioDeps {
  shell: 'electron' | 'browser';
  userDataDir: string;
  safeStorage?: SafeStorageLike;
  env: NodeJS.ProcessEnv;
  /** The native folder picker (Electron only); absent in the browser host. */
  pickFolder?: () => Promise<string | null>;
  /** The collection the shell was started on (`serve --collection`, the sample on first run). */
  initialCollection?: string;
  version?: string;
}

export type ParsedInput<C extends ChannelName> = z.output<(typeof channels)[C]['input']>;

/** The one table behind every contract channel, used by Electron's IPC and the browser host alike. */
export interface Studio {
  handle<C extends ChannelName>(channel: C, input: unknown): Promise<ChannelOutput<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  close(): Promise<void>;
}

export type Handlers = { [C in ChannelName]: (input: ParsedInput<C>) => Promise<ChannelOutput<C>> };

/** The handlers of the channels named `<prefix>:…`. */
export type HandlerGroup<P extends string> = Pick<Handlers, Extract<ChannelName, `${P}:${string}`>>;

export type Emit = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface RecentList {
  list(): Promise<string[]>;
  add(dir: string): Promise<string[]>;
}
