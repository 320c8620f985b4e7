import { useEffect, useState } from 'react';
import { openBody, openSharedBody, type BodyClient, type BodyInfo, type BodySource } from './body-client';
import type { BodyKind } from './body-index';

export type BodyHandle = { client: BodyClient; info: BodyInfo | null; error?: string };

/**
 * Opens a body for the lifetime of the component that shows it (the worker is ended on change).
 * `owner` (the exchange's response) lets views of one large detached body share its worker.
 */
export function useBody(
  source: BodySource | undefined,
  kind: BodyKind,
  key: string,
  partial = false,
  owner?: object,
): BodyHandle | null {
  const [handle, setHandle] = useState<BodyHandle | null>(null);
  useEffect(() => {
    if (source === undefined) {
      setHandle(null);
      return;
    }
    const client =
      owner && 'bytes' in source ? openSharedBody(owner, source.bytes, kind, partial) : openBody(source, kind, partial);
    let live = true;
    setHandle({ client, info: null });
    client.ready.then(
      (info) => live && setHandle({ client, info }),
      (e: unknown) => live && setHandle({ client, info: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
      client.dispose();
    };
    // The body is opened again only when it is another body (its key) or read as another kind.
  }, [key, kind]);
  return handle;
}

/**
 * Runs a search of the body a moment after the query stops changing, and hands over what it found
 * unless the query (or body) changed meanwhile.
 */
export function useDebouncedSearch<T>(
  run: (() => Promise<T>) | undefined,
  found: (result: T) => void,
  opts: { ms: number; deps: unknown[] },
) {
  useEffect(() => {
    if (!run) return;
    let live = true;
    const t = setTimeout(() => {
      void run().then((result) => {
        if (live) found(result);
      });
    }, opts.ms);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, opts.deps);
}

/** What a search covered when only the first part of the body is loaded. */
function partNote(partOf: string | undefined): string {
  return partOf ? ` in the first ${partOf} (only that part is loaded; open the whole body to search all of it)` : '';
}

/** How many lines (or nodes) matched, and in how much of the body. */
export function matchText(total: number, noun: 'line' | 'node', partOf: string | undefined): string {
  return total === 0
    ? `No match${partNote(partOf)}`
    : `${total.toLocaleString()} matching ${noun}${total > 1 ? 's' : ''}${partNote(partOf)}`;
}
