/*
 * Numbers written as JSON text by hand (results.jsonl, the JSON report), exactly as JSON.stringify
 * writes them. Speed: docs/performance.md#runner
 */

/** JSON text of a number: a finite number, else null (as JSON.stringify writes NaN). */
export const jsonNumber = (n: number | null): string => (n === null || !Number.isFinite(n) ? 'null' : String(n));

/**
 * JSON text of a timing, written from an integer count of microseconds (timings carry at most three
 * decimals); a value with more decimals, or too large, takes the usual path. Speed: docs/performance.md#runner
 */
export function jsonMs(n: number | null): string {
  if (n === null || !(n >= 0) || n >= 1e9) return jsonNumber(n);
  const micros = Math.round(n * 1000);
  if (micros / 1000 !== n) return jsonNumber(n);
  const whole = Math.floor(micros / 1000);
  const frac = micros - whole * 1000;
  if (frac === 0) return `${whole}`;
  if (frac % 100 === 0) return `${whole}.${frac / 100}`;
  if (frac % 10 === 0) return `${whole}.${frac < 100 ? '0' : ''}${frac / 10}`;
  return `${whole}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`;
}

/** What JSON.stringify changes in a string: a quote, a backslash, a control character, a surrogate (lone ones are escaped). */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const jsonSpecial = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * JSON text of a string, as JSON.stringify writes it: a text with nothing to escape (a lead's key, its
 * email address) is put in quotes as it is, which costs less than the call. Speed: docs/performance.md#runner
 */
export function jsonString(text: string): string {
  return jsonSpecial.test(text) ? JSON.stringify(text) : `"${text}"`;
}

/**
 * JSON text of a string, remembering the last one it wrote: a run's records repeat their outcome and
 * message ("HTTP 200 OK: Marketo would write 1 lead field(s) (Company)" on every lead that succeeded), and
 * comparing with the last text costs less than escaping it again. Speed: docs/performance.md#runner
 */
export function createJsonTextMemo(): (text: string) => string {
  let last = '';
  let json = '""';
  return (text) => {
    if (text !== last) {
      json = jsonString(text);
      last = text;
    }
    return json;
  };
}

/** JSON text of a list, as JSON.stringify writes it; an empty one (most leads miss no mapping) without the call. */
export function jsonList(list: readonly unknown[]): string {
  return list.length === 0 ? '[]' : JSON.stringify(list);
}
