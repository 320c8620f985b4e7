import type { CompletionContext, CompletionResult, Completion } from '@codemirror/autocomplete';
import type { FieldCatalog, TokenContext } from '@shared/model';
import { tokenNamespaces } from '@shared/model';

/** Tokens Marketo documents outside the lead catalog (spec §2.2). */
const fixedTokens: Record<string, string[]> = {
  system: ['date', 'time', 'dateTime'],
  campaign: ['name', 'id', 'description'],
  program: ['Name', 'Description', 'id'],
  trigger: [
    'Trigger Name',
    'Name',
    'Link',
    'Subject',
    'Category',
    'Details',
    'Web Page',
    'Client IP Address',
    'Sent By',
    'Received By',
    'Referrer',
    'Search Engine',
    'Search Query',
    'Browser',
  ],
  member: ['webinar url', 'registration code'],
};

/** Every token name the studio can offer for a namespace: the catalog's fields, the context's My Tokens, Marketo's fixed names. */
export function tokenNames(
  namespace: string,
  fields: FieldCatalog,
  context: TokenContext | undefined,
): { name: string; detail: string }[] {
  const ns = namespace.toLowerCase();
  const out = new Map<string, string>();
  if (ns === 'lead' || ns === 'company') for (const f of fields) out.set(f.displayName, f.type);
  for (const n of fixedTokens[ns] ?? []) out.set(n, ns);
  if (context) {
    const table = (ns === 'my' ? context.my : (context as Record<string, unknown>)[ns]) as
      Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(table ?? {})) {
      if (out.has(k)) continue;
      const type =
        typeof v === 'object' && v !== null && 'type' in v
          ? String(v.type)
          : typeof v === 'number'
            ? 'number'
            : ns === 'my'
              ? 'text'
              : 'context';
      out.set(k, ns === 'my' ? `My Token · ${type}` : type);
    }
  }
  return [...out].map(([name, detail]) => ({ name, detail }));
}

/** Completes `{{ns.` and `{{ns.Name` with namespaces and names; the closing braces are written too. */
export function tokenCompletionSource(get: () => { fields: FieldCatalog; context: TokenContext | undefined }) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const before = ctx.matchBefore(/\{\{[A-Za-z]*(\.[^{}\r\n]*)?$/);
    if (!before) return null;
    const body = before.text.slice(2);
    const dot = body.indexOf('.');
    const after = ctx.state.sliceDoc(ctx.pos, ctx.pos + 2);
    const close = after === '}}' ? '' : '}}';
    if (dot < 0) {
      const options: Completion[] = tokenNamespaces.map((ns) => ({
        label: `${ns}.`,
        type: 'namespace',
        detail: 'namespace',
      }));
      return { from: before.from + 2, options, validFor: /^[A-Za-z]*$/ };
    }
    const ns = body.slice(0, dot);
    const { fields, context } = get();
    const options: Completion[] = tokenNames(ns, fields, context).map(({ name, detail }) => ({
      label: name,
      detail,
      type: 'variable',
      apply: `${name}${close}`,
    }));
    return { from: before.from + 2 + dot + 1, options, validFor: /^[^{}\r\n]*$/ };
  };
}
