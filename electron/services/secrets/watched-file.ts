import { readFileSync, statSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** A file read again when it changes (size or time), looked at no more than every `everyMs`. */
export function watchedFile<T>(
  file: string,
  parse: (text: string) => T,
  empty: T,
  everyMs = 200,
): { value(): T; set(v: T): void } {
  let value = empty;
  let stamp = '';
  let checkedAt = -Infinity;
  return {
    value() {
      const now = performance.now();
      if (now - checkedAt < everyMs) return value;
      checkedAt = now;
      let next: string;
      try {
        const st = statSync(file);
        next = `${st.size}:${st.mtimeMs}:${st.ino}`;
      } catch {
        next = 'none';
      }
      if (next !== stamp) {
        stamp = next;
        value = next === 'none' ? empty : parse(readFileSync(file, 'utf8'));
      }
      return value;
    },
    set(v) {
      value = v;
      stamp = '';
      checkedAt = -Infinity;
    },
  };
}
