import { callAttributes, evaluateResponse, evaluateTriggers, lintResponse, type WebhookCall } from '@shared/engine';
import {
  defaultProfile,
  triggerListSchema,
  type Diagnostic,
  type MappingReport,
  type Trigger,
  type TriggerResult,
} from '@shared/model';
import { formatFileProblem } from '@shared/formats/documents';
import { readModelFile } from '@shared/formats/yaml-file';
import { CliError, exitCodes } from '../cli-error';
import { parseCommandArgs, readInputFile, writeJson, type Command } from '../io';
import { inputOptions, loadInputs } from '../load-inputs';
import { diagnosticLine } from './lint';

const usage =
  'webhook-studio map <webhook-file> [--collection <dir>] (--status <code> --body <file> [--reason <phrase>] [--header "Name: value"]... | --outcome timeout|network-error) ' +
  '[--triggers <triggers-file>] [--context <context-file>] [--fields <catalog-file>] [--profile <profile-file>] [--json]';

/** `--header "Name: value"`, as the answer's headers (for the rules that read them). */
function parseHeaders(raw: string[] | undefined): Array<{ name: string; value: string }> {
  return (raw ?? []).map((h) => {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new CliError(`--header '${h}' is not "Name: value"`);
    return { name: h.slice(0, colon).trim(), value: h.slice(colon + 1).trim() };
  });
}

/** A triggers file (the list triggers.yaml holds), for `map` and `run` without a collection. */
export async function readTriggers(cwd: string, file: string): Promise<Trigger[]> {
  // The same bounded reader as every other input: a FIFO or a device is refused, never waited on.
  const text = (await readInputFile({ cwd }, file, 'triggers file', 1024 * 1024)).toString('utf8');
  const result = readModelFile(triggerListSchema, text, file);
  if (!result.ok) throw new CliError(result.problems.map(formatFileProblem).join('\n'));
  return result.value;
}

const show = (v: unknown): string =>
  v === undefined ? '' : typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));

export const command: Command = {
  summary:
    "Apply a webhook's response mappings to a response: what each mapping finds, how it is coerced, whether it is written, and the lead before and after. Exit 1 when a mapping is not written.",
  usage,
  async run(io) {
    const { values, positionals } = parseCommandArgs(
      'map',
      io.argv,
      {
        status: { type: 'string' },
        body: { type: 'string' },
        reason: { type: 'string' },
        header: { type: 'string', multiple: true },
        outcome: { type: 'string' },
        triggers: { type: 'string' },
        ...inputOptions,
      },
      usage,
    );
    if (positionals.length !== 1)
      throw new CliError(`expected one webhook file, got ${positionals.length} (usage: ${usage})`);
    const outcome = values.outcome;
    if (outcome !== undefined && outcome !== 'timeout' && outcome !== 'network-error')
      throw new CliError(`--outcome must be timeout or network-error, not '${outcome}'`);
    if (outcome !== undefined && (values.status !== undefined || values.body !== undefined))
      throw new CliError(`--outcome ${outcome} means there was no answer: leave out --status and --body`);
    if (outcome !== undefined) return mapWithoutAnswer(io, positionals[0] as string, outcome, values);
    if (values.status === undefined) throw new CliError(`--status <code> is required`);
    if (!/^\d{3}$/.test(values.status) || Number(values.status) < 100 || Number(values.status) > 599) {
      throw new CliError(`--status '${values.status}' is not an HTTP status code (100-599)`);
    }
    if (values.body === undefined)
      throw new CliError(`--body <file> is required (the response body; an empty file for an empty body)`);
    const inputs = await loadInputs(io, {
      webhook: positionals[0] as string,
      context: values.context,
      fields: values.fields,
      profile: values.profile,
      collection: values.collection,
    });
    for (const w of inputs.warnings) io.stderr.write(`warning: ${w}\n`);
    // The same bound as a send: no body is read beyond the profile's maxResponseBytes.
    const maxBytes = inputs.profile.maxResponseBytes ?? defaultProfile.maxResponseBytes;
    const body = (await readInputFile(io, values.body, 'response body', maxBytes)).toString('utf8');
    const response: { status: number; reason?: string; body: string } = { status: Number(values.status), body };
    if (values.reason !== undefined) response.reason = values.reason;
    const headers = parseHeaders(values.header);
    const triggers = values.triggers !== undefined ? await readTriggers(io.cwd, values.triggers) : inputs.triggers;
    const report = evaluateResponse(inputs.webhook, response, {
      context: inputs.context,
      fields: inputs.fields,
      profile: inputs.profile,
    });
    const call: WebhookCall = {
      webhook: inputs.webhook.name,
      outcome: report.outcome,
      status: report.status,
      body,
      ...(values.reason !== undefined ? { reason: values.reason } : {}),
    };
    const errorType = callAttributes(call, inputs.profile).errorType;
    const fired = evaluateTriggers(triggers, call, inputs.profile);
    const responseLint = lintResponse({ status: report.status, headers }, report);
    if (values.json) {
      writeJson(io, {
        ...mappingJson(report),
        errorType,
        triggers: triggersJson(fired),
        diagnostics: [...report.diagnostics, ...responseLint],
      });
    } else {
      io.stdout.write(
        `HTTP ${report.status}: ${report.outcome}${report.errorType ? ` (Error Type: ${report.errorType})` : ''}\n`,
      );
      for (const m of report.mappings) {
        const what = m.written
          ? `written ${show(m.coerced)}`
          : `not written: ${m.reason ?? ''}${m.message ? ` (${m.message})` : ''}`;
        io.stdout.write(
          `  ${m.attribute} -> ${m.field}: ${m.found ? `found ${show(m.value)}` : 'not found'}; ${what}\n`,
        );
      }
      for (const d of [...report.diagnostics, ...responseLint]) io.stdout.write(`${diagnosticLine(d)}\n`);
      writeTriggerLines(io, fired);
    }
    const allWritten = report.outcome === 'updated' && report.mappings.every((m) => m.written);
    return allWritten ? exitCodes.ok : exitCodes.findings;
  },
};

/** `triggers` in `map --json`: name, fires, because, and the profile options it rests on when any. */
export function triggersJson(results: readonly TriggerResult[]): TriggerResult[] {
  return results.map((r) => ({
    name: r.name,
    fires: r.fires,
    because: r.because,
    ...(r.assumed ? { assumed: r.assumed } : {}),
  }));
}

function writeTriggerLines(io: Parameters<Command['run']>[0], results: readonly TriggerResult[]): void {
  for (const r of results) {
    io.stdout.write(
      `trigger "${r.name}": ${r.fires ? 'fires' : 'does not fire'}: ${r.because}${r.assumed ? ` (assumed: ${r.assumed.join(', ')})` : ''}\n`,
    );
  }
}

/**
 * No answer (a timeout or a network error): nothing is mapped, the Error Type comes from the profile,
 * and the triggers see an empty Response.
 */
async function mapWithoutAnswer(
  io: Parameters<Command['run']>[0],
  webhookFile: string,
  outcome: 'timeout' | 'network-error',
  values: {
    context?: string;
    fields?: string;
    profile?: string;
    collection?: string;
    triggers?: string;
    json?: boolean;
  },
): Promise<number> {
  const inputs = await loadInputs(io, {
    webhook: webhookFile,
    context: values.context,
    fields: values.fields,
    profile: values.profile,
    collection: values.collection,
  });
  for (const w of inputs.warnings) io.stderr.write(`warning: ${w}\n`);
  const triggers = values.triggers !== undefined ? await readTriggers(io.cwd, values.triggers) : inputs.triggers;
  const call: WebhookCall = { webhook: inputs.webhook.name, outcome, body: '' };
  const attrs = callAttributes(call, inputs.profile);
  const fired = evaluateTriggers(triggers, call, inputs.profile);
  // The lead as the context holds it, before and after alike: no answer writes nothing.
  const lead = evaluateResponse(
    { ...inputs.webhook, mappings: [] },
    { status: 200, body: '' },
    { context: inputs.context, fields: inputs.fields },
  ).lead.before;
  const why = outcome === 'timeout' ? 'no answer within the timeout' : 'the connection failed';
  const diagnostics: Diagnostic[] = [];
  if (attrs.assumed.length > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'profile-assumptions',
      message: `this result rests on assumed defaults for behaviour Marketo does not document: ${attrs.assumed.join(', ')}`,
      assumed: attrs.assumed,
    });
  }
  if (values.json) {
    writeJson(io, {
      status: null,
      outcome,
      errorType: attrs.errorType,
      mappings: inputs.webhook.mappings.map((m) => ({
        attribute: m.attribute,
        field: m.field,
        found: false,
        value: null,
        coerced: null,
        written: false,
        reason: outcome,
      })),
      lead: { before: lead, after: { ...lead } },
      triggers: triggersJson(fired),
      diagnostics,
    });
  } else {
    io.stdout.write(
      `${outcome}: ${why}; no lead field is updated (Error Type: ${attrs.errorType}${attrs.assumed.length ? `, assumed: ${attrs.assumed.join(', ')}` : ''})\n`,
    );
    for (const m of inputs.webhook.mappings)
      io.stdout.write(`  ${m.attribute} -> ${m.field}: not written: ${outcome}\n`);
    for (const d of diagnostics) io.stdout.write(`${diagnosticLine(d)}\n`);
    writeTriggerLines(io, fired);
  }
  return exitCodes.findings;
}

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
