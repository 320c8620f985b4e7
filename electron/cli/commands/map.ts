import { evaluateResponse } from '../../../shared/engine';
import { defaultProfile, type MappingReport } from '../../../shared/model';
import { CliError, exitCodes } from '../cli-error';
import { parseCommandArgs, readInputFile, writeJson, type Command } from '../io';
import { inputOptions, loadInputs } from '../load-inputs';
import { diagnosticLine } from './lint';

const usage = 'webhook-studio map <webhook-file> [--collection <dir>] --status <code> --body <file> [--reason <phrase>] [--context <context-file>] [--fields <catalog-file>] [--profile <profile-file>] [--json]';

const show = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));

export const command: Command = {
  summary: "Apply a webhook's response mappings to a response: what each mapping finds, how it is coerced, whether it is written, and the lead before and after. Exit 1 when a mapping is not written.",
  usage,
  async run(io) {
    const { values, positionals } = parseCommandArgs('map', io.argv, {
      status: { type: 'string' },
      body: { type: 'string' },
      reason: { type: 'string' },
      ...inputOptions,
    }, usage);
    if (positionals.length !== 1) throw new CliError(`expected one webhook file, got ${positionals.length} (usage: ${usage})`);
    if (values.status === undefined) throw new CliError(`--status <code> is required`);
    if (!/^\d{3}$/.test(values.status) || Number(values.status) < 100 || Number(values.status) > 599) {
      throw new CliError(`--status '${values.status}' is not an HTTP status code (100-599)`);
    }
    if (values.body === undefined) throw new CliError(`--body <file> is required (the response body; an empty file for an empty body)`);
    const inputs = await loadInputs(io, { webhook: positionals[0] as string, context: values.context, fields: values.fields, profile: values.profile, collection: values.collection });
    for (const w of inputs.warnings) io.stderr.write(`warning: ${w}\n`);
    // The same bound as a send: no body is read beyond the profile's maxResponseBytes.
    const maxBytes = inputs.profile.maxResponseBytes ?? defaultProfile.maxResponseBytes;
    const body = (await readInputFile(io, values.body, 'response body', maxBytes)).toString('utf8');
    const response: { status: number; reason?: string; body: string } = { status: Number(values.status), body };
    if (values.reason !== undefined) response.reason = values.reason;
    const report = evaluateResponse(inputs.webhook, response, { context: inputs.context, fields: inputs.fields, profile: inputs.profile });
    if (values.json) {
      writeJson(io, mappingJson(report));
    } else {
      io.stdout.write(`HTTP ${report.status}: ${report.outcome}${report.errorType ? ` (Error Type: ${report.errorType})` : ''}\n`);
      for (const m of report.mappings) {
        const what = m.written ? `written ${show(m.coerced)}` : `not written: ${m.reason ?? ''}${m.message ? ` (${m.message})` : ''}`;
        io.stdout.write(`  ${m.attribute} -> ${m.field}: ${m.found ? `found ${show(m.value)}` : 'not found'}; ${what}\n`);
      }
      for (const d of report.diagnostics) io.stdout.write(`${diagnosticLine(d)}\n`);
    }
    const allWritten = report.outcome === 'updated' && report.mappings.every((m) => m.written);
    return allWritten ? exitCodes.ok : exitCodes.findings;
  },
};

/** The mapping report as `map --json` prints it; `send --json` prints the same shape. */
export function mappingJson(report: Pick<MappingReport, 'status' | 'outcome' | 'mappings' | 'lead'>) {
  return {
    status: report.status,
    outcome: report.outcome,
    mappings: report.mappings.map((m) => ({
      attribute: m.attribute,
      field: m.field,
      found: m.found,
      value: m.value === undefined ? null : m.value,
      coerced: m.coerced,
      written: m.written,
      reason: m.reason ?? null,
    })),
    lead: report.lead,
  };
}
