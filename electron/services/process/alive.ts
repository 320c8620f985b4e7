/**
 * Whether a process still runs, for leftovers named after the pid that wrote them (interrupted saves,
 * spilled response bodies): signal 0 only asks. EPERM means it runs, as another user.
 */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
