/** What a secret shows as wherever it is not on the wire. */
export const SECRET_MASK = '••••••';

/** Replaces each span of `text` (UTF-16 offsets; may overlap, any order) with the mask; everything else stays byte for byte. */
export function maskSpans(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  if (spans.length === 0) return text;
  const sorted = spans.filter((s) => s.end > s.start).sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of sorted) {
    if (span.end <= at) continue;
    out += text.slice(at, Math.max(at, span.start)) + SECRET_MASK;
    at = span.end;
  }
  return out + text.slice(at);
}
