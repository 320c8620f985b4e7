import { lintWebhook } from '@shared/engine';
import type { Diagnostic, Location } from '@shared/model';
import { defineCommand, exitCodeFor } from '../command-kit';
import { writeJson, type CliIo } from '../io';
import { inputOptions, loadCommandInputs } from '../load-inputs';

/** Where a diagnostic points, as a person reads it: `template:3:14`, `url@12`, `headers[1].value`. */
export function describeLocation(loc: Location | undefined): string {
  if (!loc) return '';
  switch (loc.part) {
    case 'template':
      return loc.line !== undefined ? `template:${loc.line}:${loc.column ?? 1}` : 'template';
    case 'url':
      return loc.offset !== undefined ? `url@${loc.offset + 1}` : 'url';
    case 'header':
      return `headers[${loc.index ?? 0}]${loc.field ? `.${loc.field}` : ''}`;
    case 'mapping':
      return loc.index !== undefined
        ? `mappings[${loc.index}]${loc.field ? `.${loc.field}` : ''}${loc.column !== undefined ? `:${loc.column}` : ''}`
        : `mapping ${loc.path ?? ''}`.trim();
    case 'context':
      return `context${loc.path ? ` ${loc.path}` : ''}`;
    case 'file':
      return loc.line !== undefined ? `body:${loc.line}:${loc.column ?? 1}` : 'body';
    default:
      return loc.path ?? loc.part;
  }
}

export function diagnosticLine(d: Diagnostic): string {
  const where = describeLocation(d.location);
  return `${d.severity} ${d.code}${where ? ` (${where})` : ''}: ${d.message}`;
}

/** The diagnostics in the CLI's JSON shape: always the same four keys. */
export function diagnosticsJson(
  diagnostics: Diagnostic[],
): Array<{ severity: string; code: string; message: string; location: Location | null }> {
  return diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    location: d.location ?? null,
  }));
}

/** Each diagnostic on a line of its own after the file it is about, then the count of errors and warnings. */
function writeDiagnosticLines(io: CliIo, webhookFile: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) io.stdout.write(`${webhookFile}: ${diagnosticLine(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  io.stdout.write(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
}

export const command = defineCommand({
  name: 'lint',
  summary:
    "Lint a webhook: Marketo's known pitfalls, each with a stable code and where it is. Exit 1 when one is an error.",
  usage:
    'webhook-studio lint <webhook-file> [--collection <dir>] [--context <context-file>] [--fields <catalog-file>] [--profile <profile-file>] [--json]',
  options: inputOptions,
  argument: { one: 'webhook file' },
  async run(io, values, webhookFile) {
    const inputs = await loadCommandInputs(io, webhookFile, values);
    const diagnostics = lintWebhook(inputs.webhook, {
      context: inputs.context,
      fields: inputs.fields,
      profile: inputs.profile,
    });
    if (values.json) writeJson(io, { diagnostics: diagnosticsJson(diagnostics) });
    else writeDiagnosticLines(io, webhookFile, diagnostics);
    return exitCodeFor(diagnostics);
  },
});
