/** One save at a time per file, so a version check and its write cannot interleave with another save. */
const fileLocks = new Map<string, Promise<unknown>>();

export async function withFileLock<T>(absPath: string, fn: () => Promise<T>): Promise<T> {
  const prior = fileLocks.get(absPath) ?? Promise.resolve();
  const run = prior.then(fn, fn);
  const settled = run.catch(() => undefined);
  fileLocks.set(absPath, settled);
  try {
    return await run;
  } finally {
    if (fileLocks.get(absPath) === settled) fileLocks.delete(absPath);
  }
}
