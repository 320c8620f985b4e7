import type { Scalar, TokenContext, Webhook } from '@shared/model';
import { show } from '../context/token-values';

/**
 * The places of a webhook or a context that the collection search looks in, each with its text and what
 * the user is shown ("Template · line 3"). Built once per document value and kept while the value is the
 * same object (the store replaces a value on every edit), so a keystroke in the palette only matches.
 */

/** The context tables that hold tokens, with the title the context editor gives each. */
export const contextTables = [
  ['lead', 'Lead'],
  ['company', 'Company'],
  ['my', 'My Token'],
  ['program', 'Program'],
  ['campaign', 'Campaign tokens'],
  ['trigger', 'Trigger'],
  ['member', 'Program member'],
] as const;
export type ContextTable = (typeof contextTables)[number][0];

/** Where in a document a match is: what choosing it opens. */
export type SearchPlace =
  | { part: 'name' }
  | { part: 'url' }
  | { part: 'template' }
  | { part: 'header'; index: number; field: 'name' | 'value' }
  | { part: 'mapping'; index: number; field: 'attribute' | 'field' }
  | { part: 'token'; table: ContextTable; name: string; field: 'name' | 'value' };

/** One searchable text: a field, or one line of the template. */
export type SearchTarget = {
  place: SearchPlace;
  label: string;
  text: string;
  lowered: string;
  /** Where `text` starts in the field it comes from (a template line's offset), for placing the cursor. */
  offset: number;
  /** Names beat addresses and keys, which beat bodies and values. */
  weight: 3 | 2 | 1;
};

function target(place: SearchPlace, label: string, text: string, weight: SearchTarget['weight'], offset = 0) {
  return { place, label, text, lowered: text.toLowerCase(), offset, weight };
}

/** The template's lines, numbered from 1, with where each starts. */
function templateTargets(template: string): SearchTarget[] {
  const out: SearchTarget[] = [];
  let offset = 0;
  template.split('\n').forEach((line, i) => {
    if (line.trim()) out.push(target({ part: 'template' }, `Template · line ${i + 1}`, line, 1, offset));
    offset += line.length + 1;
  });
  return out;
}

function webhookTargets(w: Webhook): SearchTarget[] {
  return [
    target({ part: 'name' }, 'Name', w.name, 3),
    target({ part: 'url' }, 'URL', w.url, 2),
    ...w.headers.flatMap((h, index) => [
      target({ part: 'header', index, field: 'name' }, `Header · row ${index + 1}`, h.name, 2),
      // A secret header's value is not in the document; nothing of it is searched or shown.
      ...(h.secret ? [] : [target({ part: 'header', index, field: 'value' }, `Header · ${h.name}`, h.value, 1)]),
    ]),
    ...w.mappings.flatMap((m, index) => [
      target(
        { part: 'mapping', index, field: 'attribute' },
        `Mapping · row ${index + 1} · response attribute`,
        m.attribute,
        2,
      ),
      target({ part: 'mapping', index, field: 'field' }, `Mapping · row ${index + 1} · lead field`, m.field, 2),
    ]),
    ...templateTargets(w.template),
  ].filter((t) => t.text !== '');
}

/** A My Token's value as written, or nothing for a secret one (its value lives in the secrets store). */
function tokenValue(value: TokenContext['my'][string]): Scalar | undefined {
  if (value === null || typeof value !== 'object') return value;
  return value.secret ? undefined : value.value;
}

function contextTargets(c: TokenContext): SearchTarget[] {
  const tokens = contextTables.flatMap(([table, title]) =>
    Object.entries(c[table]).flatMap(([name, raw]) => {
      const value = tokenValue(raw);
      return [
        target({ part: 'token', table, name, field: 'name' }, `${title} token`, name, 2),
        ...(value === undefined
          ? []
          : [target({ part: 'token', table, name, field: 'value' }, `${title} · ${name}`, show(value), 1)]),
      ];
    }),
  );
  return [target({ part: 'name' }, 'Name', c.name, 3), ...tokens].filter((t) => t.text !== '');
}

const webhookCache = new WeakMap<Webhook, SearchTarget[]>();
const contextCache = new WeakMap<TokenContext, SearchTarget[]>();

/** The places of a webhook, from the cache while its value is unchanged. */
export function placesOfWebhook(w: Webhook): SearchTarget[] {
  let t = webhookCache.get(w);
  if (!t) webhookCache.set(w, (t = webhookTargets(w)));
  return t;
}

/** The places of a context, from the cache while its value is unchanged. */
export function placesOfContext(c: TokenContext): SearchTarget[] {
  let t = contextCache.get(c);
  if (!t) contextCache.set(c, (t = contextTargets(c)));
  return t;
}
