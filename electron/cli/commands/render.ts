import { renderWebhook } from '@shared/engine';
import { CliError, exitCodes } from '../cli-error';
import { parseCommandArgs, writeJson, type Command } from '../io';
import { inputOptions, loadInputs } from '../load-inputs';
import { diagnosticLine, diagnosticsJson } from './lint';

const usage =
  'webhook-studio render <webhook-file> [--collection <dir>] --context <context-file> [--fields <catalog-file>] [--profile <profile-file>] [--json]';

export const command: Command = {
  summary:
    'Render a webhook with a token context: the exact request Marketo would send (request line, every header, body). Exit 1 when a diagnostic is an error.',
  usage,
  async run(io) {
    const { values, positionals } = parseCommandArgs(
      'render',
      io.argv,
      {
        ...inputOptions,
      },
      usage,
    );
    if (positionals.length !== 1)
      throw new CliError(`expected one webhook file, got ${positionals.length} (usage: ${usage})`);
    if (values.context === undefined && values.collection === undefined)
      throw new CliError(`--context <context-file> is required (the token values of the flow step)`);
    const inputs = await loadInputs(io, {
      webhook: positionals[0] as string,
      context: values.context,
      fields: values.fields,
      profile: values.profile,
      collection: values.collection,
    });
    for (const w of inputs.warnings) io.stderr.write(`warning: ${w}\n`);
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
    } else {
      const head = [`${r.method} ${r.requestTarget} HTTP/1.1`, ...r.headers.map((h) => `${h.name}: ${h.value}`)].join(
        '\n',
      );
      io.stdout.write(`${head}\n\n${r.body ?? ''}${r.body ? '\n' : ''}`);
      if (r.diagnostics.length > 0) io.stdout.write(`\n${r.diagnostics.map(diagnosticLine).join('\n')}\n`);
    }
    return r.diagnostics.some((d) => d.severity === 'error') ? exitCodes.findings : exitCodes.ok;
  },
};
