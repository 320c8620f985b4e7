/**
 * Large response bodies of an exchange travel from the parsing worker as UTF-8 bytes (transferred,
 * never copied through the main thread as a string); the exchange keeps only a short preview in
 * `response.body`. The views open the body from these bytes in their own worker.
 */
const bodies = new WeakMap<object, ArrayBuffer>();

/** A body above this many characters is detached from the exchange. */
export const DETACH_BODY_CHARS = 1024 * 1024;
/** What stays in `response.body` when the body is detached. */
export const DETACHED_PREVIEW_CHARS = 64 * 1024;

export function attachBodyBytes(response: object, bytes: ArrayBuffer): void {
  bodies.set(response, bytes);
}

export function detachedBodyBytes(response: object | undefined): ArrayBuffer | undefined {
  return response ? bodies.get(response) : undefined;
}
