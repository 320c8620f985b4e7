// The Marketo webhook engine: one implementation for the preview, the sender, the runner and the CLI.
export { renderWebhook, type EngineOptions } from './render';
export { evaluateResponse, parseResponseBody, type EvaluateOptions, type ParsedBody } from './response';
export {
  lintDetailed,
  lintRendered,
  lintWebhook,
  lintMarketoTokens,
  lintResponse,
  renderForLint,
  type LintOptions,
  type LintedResponse,
} from './lint';
export { parseMappingPath, marketoPathFor, type PathStep, type ParsedPath } from './mapping-path';
export { scanTokens, type ScannedToken } from './tokens';
export { preparseTemplate } from './preparse';
export { formUrlEncode, jsonQuote } from './encode';
export {
  callAttributes,
  callOfExchange,
  describeConstraint,
  evaluateTrigger,
  evaluateTriggers,
  type CallAttributes,
  type WebhookCall,
} from './triggers';
