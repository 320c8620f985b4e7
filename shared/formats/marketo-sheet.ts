import type { FieldCatalog, Webhook } from '../model';
import { findFieldBySoapName } from '../catalog';

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

export function toMarketoSheet(collectionName: string, webhooks: Webhook[], fields: FieldCatalog): { text: string; unknownFields: { webhook: string; field: string }[] } {
  const unknownFields: { webhook: string; field: string }[] = [];
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
      for (const h of w.headers) out.push(`| ${cell(h.name)} | ${h.secret ? '(secret: paste the value from where you keep it)' : cell(h.value)} |`);
      out.push('');
    }
    if (w.mappings.length) {
      out.push('Webhooks Actions → Edit Response Mappings', '', '| Response Attribute | Marketo Field | API name |', '|---|---|---|');
      for (const m of w.mappings) {
        const field = findFieldBySoapName(fields, m.field);
        if (!field) unknownFields.push({ webhook: w.name, field: m.field });
        out.push(`| ${cell(m.attribute)} | ${cell(field?.displayName ?? '(not in the field catalog)')} | ${cell(m.field)} |`);
      }
      out.push('');
    }
  }
  return { text: out.join('\n'), unknownFields };
}
