/** The middle value (the upper of the two middles for an even count); 0 for no values. Shared by every bench. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
