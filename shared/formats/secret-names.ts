/** Secrets in the environment: `api key` → `WEBHOOK_STUDIO_SECRET_API_KEY` (upper case, other runs become `_`). */
export const secretEnvPrefix = 'WEBHOOK_STUDIO_SECRET_';

export function secretEnvName(name: string): string {
  return (
    secretEnvPrefix +
    name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
  );
}

/** The secret that holds a secret header's value is named after the header. */
export function secretNameForHeader(headerName: string): string {
  return headerName;
}

/** The secret that holds a secret My Token's value: `my.<token>`. */
export function secretNameForMyToken(tokenName: string): string {
  return `my.${tokenName}`;
}

/**
 * A rendered text with each secret span swapped for a placeholder (exports carry placeholders, never
 * values): `literal` turns the text between spans into output, `placeholder` a secret's name.
 */
export function withPlaceholders(
  text: string,
  spans: ReadonlyArray<{ start: number; end: number; name: string }>,
  literal: (t: string) => string,
  placeholder: (name: string) => string,
): string {
  const sorted = spans
    .filter((s) => s.end >= s.start)
    .slice()
    .sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) continue;
    if (s.start > at) out += literal(text.slice(at, s.start));
    out += placeholder(s.name);
    at = s.end;
  }
  if (at < text.length || out === '') out += literal(text.slice(at));
  return out;
}
