import type { FieldCatalog, Webhook } from '../model';
import { findFieldBySoapName } from '../catalog';
import { parseMappingPath } from '../engine/mapping-path';

/**
 * A "paste into Marketo" sheet: each webhook's fields in the order Admin → Webhooks → New Webhook asks
 * for them, its custom headers, and its response mapping rows with the field's display name (what the
 * Marketo Field picker shows). Markdown, so it reads well as text and renders in a wiki.
 */

const encodingLabel: Record<Webhook['encoding'], string> = { none: 'None', json: 'JSON', 'form-url': 'Form/Url' };
const responseLabel: Record<Webhook['responseType'], string> = { none: 'None', json: 'JSON', xml: 'XML' };

function fence(text: string): string {
  let ticks = '```';
  while (text.includes(ticks)) ticks += '`';
  return `${ticks}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${ticks}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A mapping row the sheet flags: Marketo would refuse it or it would not do what it says. */
export type SheetProblem = { webhook: string; mapping: number; message: string };

export function toMarketoSheet(
  collectionName: string,
  webhooks: Webhook[],
  fields: FieldCatalog,
): { text: string; unknownFields: { webhook: string; field: string }[]; problems: SheetProblem[] } {
  const unknownFields: { webhook: string; field: string }[] = [];
  const problems: SheetProblem[] = [];
  const out: string[] = [`# ${collectionName}: webhooks to paste into Marketo`, ''];
  for (const w of webhooks) {
    out.push(`## ${w.name}`, '', 'Admin → Webhooks → New Webhook', '');
    out.push(`- **Webhook Name:** ${w.name}`);
    out.push(`- **Description:** ${w.description ?? ''}`);
    out.push('- **URL:**', '', fence(w.url), '');
    out.push(`- **Request Type:** ${w.method}`);
    out.push('- **Template:**', '', fence(w.template), '');
    out.push(`- **Request Token Encoding:** ${encodingLabel[w.encoding]}`);
    out.push(`- **Response type:** ${responseLabel[w.responseType]}`, '');
    if (w.headers.length) {
      out.push('Webhooks Actions → Set Custom Header', '', '| Key | Value |', '|---|---|');
      for (const h of w.headers)
        out.push(
          `| ${cell(h.name)} | ${h.secret ? '(secret: paste the value from where you keep it)' : cell(h.value)} |`,
        );
      out.push('');
    }
    if (w.mappings.length) {
      out.push(
        'Webhooks Actions → Edit Response Mappings',
        '',
        '| Response Attribute | Marketo Field | API name |',
        '|---|---|---|',
      );
      const firstWriter = new Map<string, number>();
      const flags: string[] = [];
      w.mappings.forEach((m, i) => {
        const field = findFieldBySoapName(fields, m.field);
        if (!field) unknownFields.push({ webhook: w.name, field: m.field });
        const own: string[] = [];
        const path = parseMappingPath(m.attribute);
        if (!path.ok) own.push(`'${m.attribute}' is not a Marketo path: ${path.message}`);
        const key = (field?.soapName ?? m.field).toLowerCase();
        const first = firstWriter.get(key);
        if (first !== undefined)
          own.push(`${field?.soapName ?? m.field} is already mapped in row ${first + 1}; the later row wins`);
        else firstWriter.set(key, i);
        for (const message of own) {
          problems.push({ webhook: w.name, mapping: i, message });
          flags.push(`> ⚠ Row ${i + 1}: ${message}`);
        }
        out.push(
          `| ${cell(m.attribute)}${own.length ? ' ⚠' : ''} | ${cell(field?.displayName ?? '(not in the field catalog)')} | ${cell(m.field)} |`,
        );
      });
      out.push('');
      if (flags.length) out.push(...flags, '');
    }
  }
  return { text: out.join('\n'), unknownFields, problems };
}
