import {
  type Diagnostic,
  type FieldCatalog,
  type MappingReport,
  type Profile,
  type Scalar,
  type TokenContext,
  type Webhook,
} from '../model';
import { defaultFieldCatalog } from '../catalog';
import { ProfileUse } from './profile-use';
import { parseResponseBody } from './response-body';
import { evaluateMapping, type MappingInput } from './response-evaluate';
import { leadBySoapName, mappingPlans, type MappingPlan } from './response-mapping';

// What callers import from here; parsing, path lookup and coercion live in the modules named for them.
export { parseResponseBody } from './response-body';
export type { ParsedBody } from './response-tree';

/** Standard reason phrases: the Error Type of an answer that carried none, and the phrase the catcher answers with. */
export const reasonPhrases: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export interface EvaluateOptions {
  context?: TokenContext;
  fields?: FieldCatalog;
  profile?: Partial<Profile>;
}

/** An answer as evaluateResponse reads it; `truncated`: the body was cut at maxResponseBytes (the sender knows). */
export interface EvaluatedResponse {
  status: number;
  reason?: string;
  body: string;
  truncated?: boolean;
}

/**
 * What Marketo would do with a response: the outcome, each mapping's value and whether it is written,
 * and the lead before and after. `truncated` says the body was cut at maxResponseBytes (the sender knows).
 */
export function evaluateResponse(
  webhook: Webhook,
  response: EvaluatedResponse,
  options: EvaluateOptions = {},
): MappingReport {
  const pu = new ProfileUse(options.profile);
  const catalog = options.fields ?? defaultFieldCatalog;
  const diagnostics: Diagnostic[] = [];
  const before: Record<string, Scalar> = {};
  const after: Record<string, Scalar> = {};
  leadBySoapName(options.context, catalog, before, after);
  const ok2xx = response.status >= 200 && response.status <= 299;
  // Same whitespace as trim(), without copying a large body. Speed: docs/performance.md#engine
  const first = response.body.charCodeAt(0);
  const empty = !(first > 0x20 && first < 0x7f) && !/\S/.test(response.body);
  const report: MappingReport = {
    status: response.status,
    outcome: 'updated',
    mappings: [],
    lead: { before, after },
    diagnostics,
  };
  outcome(report, response, empty);
  if (response.truncated) {
    pu.use('maxResponseBytes');
    diagnostics.push({
      severity: 'warning',
      code: 'response-truncated',
      message: `the response was cut at ${pu.profile.maxResponseBytes} bytes (profile maxResponseBytes); mappings read only what was kept`,
      assumed: pu.isAssumed('maxResponseBytes') ? ['maxResponseBytes'] : undefined,
    });
  }
  const responseType = webhook.responseType;
  const parsed =
    responseType !== 'none' && !empty && webhook.mappings.length > 0
      ? parseForMappings(response.body, responseType, pu, diagnostics)
      : { tree: undefined, problem: undefined };
  const input: MappingInput = {
    status: response.status,
    ok2xx,
    empty,
    responseType,
    tree: parsed.tree,
    parseProblem: parsed.problem,
    catalog,
    pu,
    after,
  };
  const mappings = webhook.mappings;
  const plans = mappingPlans(mappings, catalog);
  for (let index = 0; index < mappings.length; index++)
    report.mappings.push(evaluateMapping(mappings[index] as Mapping, index, plans[index] as MappingPlan, input));
  for (let i = diagnostics.length - 1; i >= 0; i--) {
    const d = diagnostics[i];
    if (d && d.assumed === undefined && 'assumed' in d) delete d.assumed;
  }
  if (pu.assumed.length > 0) {
    diagnostics.push({
      severity: 'info',
      code: 'profile-assumptions',
      message: `this result rests on assumed defaults for behaviour Marketo does not document: ${pu.assumed.join(', ')}`,
      assumed: pu.assumed.slice(),
    });
  }
  return report;
}

type Mapping = Webhook['mappings'][number];

/** A non-2xx is ignored and an empty body updates nothing (Marketo code 1001); otherwise the lead is updated. */
function outcome(report: MappingReport, response: EvaluatedResponse, empty: boolean): void {
  if (response.status < 200 || response.status > 299) {
    report.outcome = 'ignored';
    report.errorType =
      response.reason !== undefined && response.reason !== ''
        ? response.reason
        : (reasonPhrases[response.status] ?? '');
    report.diagnostics.push({
      severity: 'warning',
      code: 'non-2xx',
      message: `HTTP ${response.status}${report.errorType ? ` ${report.errorType}` : ''}: Marketo ignores the response for updating lead fields; the "Webhook is Called" Error Type is '${report.errorType}'`,
    });
  } else if (empty) {
    report.outcome = 'empty-body';
    report.diagnostics.push({
      severity: 'warning',
      code: 'empty-body',
      message: 'the web service returned an empty body (Marketo code 1001); no lead field is updated',
    });
  }
}

/** The answer parsed for the mappings, or why it could not be (reported once, then given as each mapping's reason). */
function parseForMappings(
  body: string,
  responseType: 'json' | 'xml',
  pu: ProfileUse,
  diagnostics: Diagnostic[],
): { tree: unknown; problem: MappingInput['parseProblem'] } {
  if (responseType === 'xml' && /<[^!?/\s>][^>]*\s[^\s=>]+\s*=/.test(body)) pu.use('xmlAttributes');
  const parsed = parseResponseBody(body, responseType, pu.profile);
  if (parsed.ok) {
    for (const d of parsed.diagnostics) diagnostics.push(d);
    return { tree: parsed.tree, problem: undefined };
  }
  if (parsed.tooDeep) pu.use('maxResponseDepth');
  const d: Diagnostic = {
    severity: 'error',
    code: parsed.tooDeep ? 'response-too-deep' : 'response-parse-error',
    message: parsed.message,
  };
  if (parsed.line !== undefined) d.location = { part: 'file', line: parsed.line, column: parsed.column ?? 1 };
  diagnostics.push(d);
  return {
    tree: undefined,
    problem: { reason: parsed.tooDeep ? 'too-deep' : 'unparseable-response', message: parsed.message },
  };
}
