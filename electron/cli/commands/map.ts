import { callAttributes, evaluateResponse, evaluateTriggers, lintResponse, type WebhookCall } from '@shared/engine';
import { unevaluatedMapping } from '@shared/engine/response-evaluate';
import { defaultProfile, type Diagnostic, type MappingReport, type Trigger, type TriggerResult } from '@shared/model';
import { CliError, exitCodes } from '../cli-error';
import { defineCommand, type OptionValues } from '../command-kit';
import { readInputFile, writeJson, type CliIo } from '../io';
import { inputOptions, loadCommandInputs, readTriggers, type Inputs } from '../load-inputs';
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

// run.ts reads --triggers with it too, from here for now.

/** A value as JSON: a mapping's value is a JSON value or an element's text, which JSON always spells. */
const show = (v: unknown): string => (v === undefined ? '' : JSON.stringify(v));

const options = {
  status: { type: 'string' },
  body: { type: 'string' },
  reason: { type: 'string' },
  header: { type: 'string', multiple: true },
  outcome: { type: 'string' },
  triggers: { type: 'string' },
  ...inputOptions,
} as const;
type MapValues = OptionValues<typeof options>;

/** What the options say came back: no answer (a timeout, a network error), or a status and a body file. */
type Answer = { outcome: 'timeout' | 'network-error' } | { status: number; bodyFile: string };

function answerOf(values: MapValues): Answer {
  const outcome = values.outcome;
  if (outcome !== undefined && outcome !== 'timeout' && outcome !== 'network-error')
    throw new CliError(`--outcome must be timeout or network-error, not '${outcome}'`);
  if (outcome !== undefined && (values.status !== undefined || values.body !== undefined))
    throw new CliError(`--outcome ${outcome} means there was no answer: leave out --status and --body`);
  if (outcome !== undefined) return { outcome };
  if (values.status === undefined) throw new CliError(`--status <code> is required`);
  if (!/^\d{3}$/.test(values.status) || Number(values.status) < 100 || Number(values.status) > 599) {
    throw new CliError(`--status '${values.status}' is not an HTTP status code (100-599)`);
  }
  if (values.body === undefined)
    throw new CliError(`--body <file> is required (the response body; an empty file for an empty body)`);
  return { status: Number(values.status), bodyFile: values.body };
}

/** --triggers when given, else the collection's triggers (none without --collection). */
async function triggersFor(io: CliIo, values: MapValues, inputs: Inputs): Promise<Trigger[]> {
  return values.triggers !== undefined ? await readTriggers(io.cwd, values.triggers) : inputs.triggers;
}

export const command = defineCommand({
  name: 'map',
  summary:
    "Apply a webhook's response mappings to a response: what each mapping finds, how it is coerced, whether it is written, and the lead before and after. Exit 1 when a mapping is not written.",
  usage,
  options,
  argument: { one: 'webhook file' },
  async run(io, values, webhookFile) {
    const answer = answerOf(values);
    if ('outcome' in answer) return mapWithoutAnswer(io, webhookFile, answer.outcome, values);
    return mapAnswer(io, webhookFile, answer, values);
  },
});

/** An answer: the mappings applied to its body, the Error Type, the triggers and the response's lint. */
async function mapAnswer(
  io: CliIo,
  webhookFile: string,
  answer: { status: number; bodyFile: string },
  values: MapValues,
): Promise<number> {
  const inputs = await loadCommandInputs(io, webhookFile, values);
  // The same bound as a send: no body is read beyond the profile's maxResponseBytes.
  const maxBytes = inputs.profile.maxResponseBytes ?? defaultProfile.maxResponseBytes;
  const body = (await readInputFile(io, answer.bodyFile, 'response body', maxBytes)).toString('utf8');
  const response: { status: number; reason?: string; body: string } = { status: answer.status, body };
  if (values.reason !== undefined) response.reason = values.reason;
  const headers = parseHeaders(values.header);
  const triggers = await triggersFor(io, values, inputs);
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
  const diagnostics = [...report.diagnostics, ...lintResponse({ status: report.status, headers }, report)];
  if (values.json) {
    writeJson(io, { ...mappingJson(report), errorType, triggers: triggersJson(fired), diagnostics });
  } else {
    writeMappingLines(io, report);
    for (const d of diagnostics) io.stdout.write(`${diagnosticLine(d)}\n`);
    writeTriggerLines(io, fired);
  }
  const allWritten = report.outcome === 'updated' && report.mappings.every((m) => m.written);
  return allWritten ? exitCodes.ok : exitCodes.findings;
}

/** The status and outcome, then what each mapping found and whether it was written. */
function writeMappingLines(io: CliIo, report: MappingReport): void {
  io.stdout.write(
    `HTTP ${report.status}: ${report.outcome}${report.errorType ? ` (Error Type: ${report.errorType})` : ''}\n`,
  );
  for (const m of report.mappings) {
    const what = m.written
      ? `written ${show(m.coerced)}`
      : `not written: ${m.reason ?? ''}${m.message ? ` (${m.message})` : ''}`;
    io.stdout.write(`  ${m.attribute} -> ${m.field}: ${m.found ? `found ${show(m.value)}` : 'not found'}; ${what}\n`);
  }
}

/** `triggers` in `map --json`: name, fires, because, and the profile options it rests on when any. */
export function triggersJson(results: readonly TriggerResult[]): TriggerResult[] {
  return results.map((r) => ({
    name: r.name,
    fires: r.fires,
    because: r.because,
    ...(r.assumed ? { assumed: r.assumed } : {}),
  }));
}

function writeTriggerLines(io: CliIo, results: readonly TriggerResult[]): void {
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
  io: CliIo,
  webhookFile: string,
  outcome: 'timeout' | 'network-error',
  values: MapValues,
): Promise<number> {
  const inputs = await loadCommandInputs(io, webhookFile, values);
  const triggers = await triggersFor(io, values, inputs);
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
      mappings: inputs.webhook.mappings.map((m) => ({ ...unevaluatedMapping(m), reason: outcome })),
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
