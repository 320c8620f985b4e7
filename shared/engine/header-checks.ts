import type { CompiledText } from './compile';

/** Token characters (RFC 9110 §5.6.2): what an HTTP header name may hold. */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
export const FORBIDDEN_IN_HEADER = /[\r\n\0]/;
/** Headers undici refuses outright (it computes or forbids them), so the request could not be sent. */
export const REFUSED_HEADERS = new Set(['content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

// Speed: docs/performance.md#engine (a token-free header is checked once per distinct name and value).
const plainHeaders = new WeakMap<CompiledText, WeakMap<CompiledText, string | null>>();

/** The lowercase name of a token-free header that passes every check; undefined when it needs the full checks (and their diagnostics). */
export function plainHeaderLower(name: CompiledText, value: CompiledText): string | undefined {
  let byValue = plainHeaders.get(name);
  if (byValue === undefined) {
    byValue = new WeakMap();
    plainHeaders.set(name, byValue);
  }
  let lower = byValue.get(value);
  if (lower === undefined) {
    const n = name.text;
    lower =
      !FORBIDDEN_IN_HEADER.test(n) &&
      !FORBIDDEN_IN_HEADER.test(value.text) &&
      HEADER_NAME.test(n) &&
      !REFUSED_HEADERS.has(n.toLowerCase())
        ? n.toLowerCase()
        : null;
    byValue.set(value, lower);
  }
  return lower ?? undefined;
}
