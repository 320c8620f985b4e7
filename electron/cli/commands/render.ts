import { renderWebhook } from '@shared/engine';
import type { RenderedRequest } from '@shared/model';
import { CliError } from '../cli-error';
import { defineCommand, exitCodeFor } from '../command-kit';
import { writeJson, type CliIo } from '../io';
import { inputOptions, loadCommandInputs } from '../load-inputs';
import { diagnosticLine, diagnosticsJson } from './lint';

/** The request as Marketo would send it: request line, every header, a blank line, the body; then the diagnostics. */
function writeRequest(io: CliIo, r: RenderedRequest): void {
  const head = [`${r.method} ${r.requestTarget} HTTP/1.1`, ...r.headers.map((h) => `${h.name}: ${h.value}`)].join('\n');
  io.stdout.write(`${head}\n\n${r.body ?? ''}${r.body ? '\n' : ''}`);
  if (r.diagnostics.length > 0) io.stdout.write(`\n${r.diagnostics.map(diagnosticLine).join('\n')}\n`);
}

export const command = defineCommand({
  name: 'render',
  summary:
    'Render a webhook with a token context: the exact request Marketo would send (request line, every header, body). Exit 1 when a diagnostic is an error.',
  usage:
    'webhook-studio render <webhook-file> [--collection <dir>] --context <context-file> [--fields <catalog-file>] [--profile <profile-file>] [--json]',
  options: inputOptions,
  argument: { one: 'webhook file' },
  async run(io, values, webhookFile) {
    if (values.context === undefined && values.collection === undefined)
      throw new CliError(`--context <context-file> is required (the token values of the flow step)`);
    const inputs = await loadCommandInputs(io, webhookFile, values);
    const context = inputs.context as NonNullable<typeof inputs.context>;
    const r = renderWebhook(inputs.webhook, context, { fields: inputs.fields, profile: inputs.profile });
    if (values.json) {
      writeJson(io, {
        method: r.method,
        url: r.url,
        requestTarget: r.requestTarget,
        headers: r.headers.map((h) => ({ name: h.name, value: h.value })),
        body: r.body,
        diagnostics: diagnosticsJson(r.diagnostics),
      });
    } else writeRequest(io, r);
    return exitCodeFor(r.diagnostics);
  },
});
