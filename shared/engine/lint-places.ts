import type { Diagnostic, FieldCatalog, Location, Profile, TokenContext, Webhook } from '../model';
import { sourceOffset } from './preparse';
import type { DetailedRender } from './render';
import { lineColumn } from './text';

export interface LintOptions {
  context?: TokenContext;
  fields?: FieldCatalog;
  profile?: Partial<Profile>;
  /** Render secrets as •••••• (the preview); the wire render in the main process puts the values in. */
  maskSecrets?: boolean;
}

export const emptyContext: TokenContext = {
  name: 'empty',
  lead: {},
  company: {},
  my: {},
  program: {},
  campaign: {},
  trigger: {},
  member: {},
  system: {},
};

/** A template location from an offset in the template as written. */
export function templateLocation(template: string, offset: number, length: number): Location {
  const { line, column } = lineColumn(template, offset);
  return { part: 'template', line, column, offset, length };
}

/** The texts of a webhook that hold tokens (URL, template, header names and values), each with how to name a place in it. */
export function webhookTextParts(
  webhook: Webhook,
): Array<{ text: string; location: (offset: number, length: number) => Location }> {
  const template = webhook.template;
  return [
    { text: webhook.url, location: (offset, length) => ({ part: 'url', offset, length }) },
    { text: template, location: (offset, length) => templateLocation(template, offset, length) },
    ...webhook.headers.flatMap((h, index) => [
      {
        text: h.name,
        location: (offset: number, length: number): Location => ({
          part: 'header',
          index,
          field: 'name',
          offset,
          length,
        }),
      },
      {
        text: h.value,
        location: (offset: number, length: number): Location => ({
          part: 'header',
          index,
          field: 'value',
          offset,
          length,
        }),
      },
    ]),
  ];
}

/** Maps an offset in the rendered body to the template as written (through tokens and the pre-parse). */
export function bodyToTemplate(r: DetailedRender, outOffset: number): number {
  const uses = r.templateOutput.uses;
  const tokens = r.template.tokens;
  let shift = 0;
  for (let i = 0; i < uses.length; i++) {
    const u = uses[i];
    const t = tokens[i];
    if (!u || !t) break;
    if (outOffset < u.outputStart) break;
    if (outOffset < u.outputEnd) return sourceOffset(r.template.pre, t.start);
    shift = t.end - u.outputEnd;
  }
  return sourceOffset(r.template.pre, outOffset + shift);
}

/** Which template tokens sit inside a JSON string literal of the pre-parsed template. */
export function tokensInsideJsonStrings(r: DetailedRender): number[] {
  const text = r.template.text;
  const inside: number[] = [];
  let inString = false;
  let pos = 0;
  r.template.tokens.forEach((t, i) => {
    for (; pos < t.start; pos++) {
      const c = text.charCodeAt(pos);
      if (inString && c === 92) pos++;
      else if (c === 34) inString = !inString;
    }
    if (inString) inside.push(i);
    pos = t.end;
  });
  return inside;
}

/** What every lint rule reads: the webhook, the render it was made from, and the list it adds to. */
export interface LintInput {
  webhook: Webhook;
  context: TokenContext;
  r: DetailedRender;
  diagnostics: Diagnostic[];
}
