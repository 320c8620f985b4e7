// undici's Pool on its own: the package has no `exports` map, so this deep path is public to Node, and it is the
// very class `undici` exports (its index re-exports this file).
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const PoolClass: typeof Pool;
  export = PoolClass;
}
