import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Pool } from 'undici';
import DeepPool from 'undici/lib/dispatcher/pool.js';

/**
 * The sender loads undici's Pool from its own file (undici/lib/dispatcher/pool.js) to skip the rest of
 * undici at start-up. That path is undici's layout, not its API: this says at once, on an upgrade, if it
 * moved, stopped being the class undici exports, or became unreachable behind an exports map.
 */
describe("undici's Pool, loaded alone", () => {
  it('is the very class undici exports', () => {
    expect(DeepPool).toBe(Pool);
  });

  it('resolves as the built sender resolves it (no exports map in the way)', () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve('undici/lib/dispatcher/pool.js')).toMatch(/undici[\\/]lib[\\/]dispatcher[\\/]pool\.js$/);
    expect(require('undici/lib/dispatcher/pool.js')).toBe(Pool);
  });
});
