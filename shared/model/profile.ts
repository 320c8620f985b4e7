import { z } from 'zod';

/**
 * The highest maxResponseDepth a profile may set (also the default). The parsed tree is walked by
 * recursion: the XML tree build, JSON.stringify of a mapped value, and the structured clone that copies
 * values between processes and workers, which is the first to overflow (at about 1,800 levels of
 * objects on Node 20 here). 1,000 keeps a margin for callers that are themselves deep in the stack.
 */
export const maxResponseDepthCeiling = 1000;

/**
 * The profile: every Marketo behaviour that the sources leave unknown (marked [SILENT] or [INF] in
 * docs/marketo-spec.md) is a named option with a documented default. Output shaped by one of these
 * carries an "assumed" note naming the option, so the user knows the bytes rest on an assumption.
 */
export const profileSchema = z
  .object({
    encodingScope: z.enum(['body', 'body-and-url', 'all']).default('body'),
    jsonEscapeSlash: z.boolean().default(false),
    jsonNonAscii: z.enum(['raw', 'escape']).default('raw'),
    jsonEmptyValue: z.enum(['empty-string', 'null']).default('empty-string'),
    jsonBooleanBare: z.boolean().default(false),
    booleanFormat: z.enum(['true-false', 'TRUE-FALSE', '1-0']).default('true-false'),
    htmlEncodeTokens: z.boolean().default(false),
    encodeDefaults: z.boolean().default(true),
    malformedDefault: z.enum(['empty', 'literal']).default('empty'),
    templateOnGet: z.enum(['drop', 'send']).default('drop'),
    defaultContentType: z.string().default('application/x-www-form-urlencoded'),
    userAgent: z.string().default(''),
    urlUnsafeCharacters: z.enum(['percent-encode', 'refuse']).default('percent-encode'),
    followRedirects: z.boolean().default(false),
    timeoutMs: z.number().int().positive().max(600_000).default(30_000),
    maxResponseBytes: z
      .number()
      .int()
      .positive()
      .default(128 * 1024 * 1024),
    xmlAttributes: z.enum(['ignore', 'as-keys']).default('ignore'),
    xmlSingleElementIndex: z.enum(['both', 'bare-only']).default('both'),
    jsonRootArray: z.enum(['allow', 'refuse']).default('allow'),
    nestedValueToString: z.enum(['skip', 'json']).default('skip'),
    overLengthString: z.enum(['truncate', 'refuse']).default('truncate'),
    // Limits the studio applies to protect itself, not Marketo behaviour: see profileOptionDocs.
    maxResponseDepth: z.number().int().min(1).max(maxResponseDepthCeiling).default(maxResponseDepthCeiling),
    maxRenderedBytes: z
      .number()
      .int()
      .positive()
      .max(1024 * 1024 * 1024)
      .default(16 * 1024 * 1024),
    fullName: z.enum(['first-last', 'context-only']).default('first-last'),
    triggerMatchCase: z.enum(['insensitive', 'sensitive']).default('insensitive'),
    errorTypeOn2xx: z.enum(['empty', 'reason-phrase']).default('empty'),
    timeoutErrorType: z.string().default('Timeout'),
    networkErrorType: z.string().default('Connection Error'),
  })
  .strict();
export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
export type ProfileOption = keyof Profile;

export const defaultProfile: Profile = profileSchema.parse({});

/** What each option decides, why it is an option, and where the spec leaves it open. Used by the README, lint and the UI. */
export const profileOptionDocs: Record<ProfileOption, { summary: string; why: string }> = {
  encodingScope: {
    summary: 'Where Request Token Encoding applies: the body only, the body and the URL, or also the headers.',
    why: 'Marketo ties the setting to the body; whether URL and header tokens are encoded is not documented (spec §3).',
  },
  jsonEscapeSlash: {
    summary: 'Under JSON encoding, write `/` as `\\/`.',
    why: 'The exact JSON escape set is not documented (spec §3).',
  },
  jsonNonAscii: {
    summary: 'Under JSON encoding, write non-ASCII as raw UTF-8 or as `\\uXXXX`.',
    why: 'Not documented (spec §3).',
  },
  jsonEmptyValue: {
    summary: 'Under JSON encoding, an empty value becomes `""` or `null`.',
    why: 'Not documented (spec §3).',
  },
  jsonBooleanBare: {
    summary: 'Under JSON encoding, a Boolean token goes in bare (`true`) instead of quoted (`"true"`).',
    why: 'Not documented (spec §2.3, §3).',
  },
  booleanFormat: {
    summary: 'How a Boolean lead field renders as text: true/false, TRUE/FALSE or 1/0.',
    why: 'Not documented for webhooks (spec §2.3).',
  },
  htmlEncodeTokens: {
    summary: 'HTML-encode token values (as emails do by default).',
    why: 'Whether webhooks do is not documented (spec §2.3); off by default.',
  },
  encodeDefaults: {
    summary: 'Encode a token default like a field value.',
    why: 'Not documented; assumed yes (spec §3).',
  },
  malformedDefault: {
    summary: 'What `{{lead.Company=edit me}}` (no `:default`) renders: empty, or the literal token text.',
    why: 'Not documented (spec §2.1).',
  },
  templateOnGet: {
    summary: 'Whether a GET sends its template as a body.',
    why: 'The user guide permits templates only for POST, PUT, PATCH and DELETE (spec §1).',
  },
  defaultContentType: {
    summary: 'Content-Type sent with a body when no custom header sets one (empty: none).',
    why: 'Not documented; form-urlencoded is inferred from vendor guides (spec §6).',
  },
  userAgent: {
    summary: 'User-Agent sent with each request (empty: none).',
    why: "Marketo's User-Agent is not documented (spec §6).",
  },
  urlUnsafeCharacters: {
    summary:
      'What happens to a URL character that cannot go on the wire as written (space, control, non-ASCII): percent-encode as UTF-8, or refuse.',
    why: 'Marketo sends the URL as written; what it does with such characters is not documented (spec §1).',
  },
  followRedirects: {
    summary: 'Follow 3xx redirects.',
    why: 'Not documented; a 3xx is not 2xx, so off by default (spec §5).',
  },
  timeoutMs: { summary: 'How long to wait for the response.', why: 'Marketo waits up to 30 s (spec §5).' },
  maxResponseBytes: {
    summary: 'The largest response body read; the rest is cut off and reported.',
    why: "Marketo's maximum response size is not documented (spec §5).",
  },
  xmlAttributes: {
    summary: 'Whether XML attributes can be reached by a mapping path.',
    why: 'Not documented (spec §4).',
  },
  xmlSingleElementIndex: {
    summary: 'Whether `[0]` reaches an XML element that occurs once, as well as the bare name.',
    why: 'Not documented (spec §4).',
  },
  jsonRootArray: {
    summary: 'Whether a mapping path may start with `[n]` to index a root-level JSON array.',
    why: 'Not documented (spec §4).',
  },
  nestedValueToString: {
    summary: 'A JSON object or array mapped to a text field: skipped, or written as JSON text.',
    why: 'Not documented (spec §4).',
  },
  overLengthString: {
    summary: 'A mapped string longer than the field holds (String: 255): truncated, or not written.',
    why: 'Not documented (spec §4).',
  },
  maxResponseDepth: {
    summary:
      'The deepest nesting of JSON arrays/objects or XML elements read from a response (1 to 1,000); a deeper body is not read: its mappings are not written (reason `too-deep`, diagnostic `response-too-deep`).',
    why: "Marketo's limit is not documented. Real answers nest a few dozen levels; 1,000 keeps every walk of the tree (the XML tree, JSON text of a mapped value, copies between processes, which overflow near 1,800) clear of the JavaScript stack limit, so a hostile answer cannot crash the studio. It can be lowered, not raised.",
  },
  maxRenderedBytes: {
    summary:
      'The largest request the studio renders (URL, headers and body together, in bytes); a template whose tokens expand beyond it is refused before it is built in full (`rendered-too-large`).',
    why: "Marketo's limit is not documented. The largest token value is a Text My Token of 524,288 characters (at most 1.5 MiB of UTF-8), so 16 MiB holds ten of them with room to spare, far above any real webhook payload, while a template full of tokens stops at 16 MiB instead of growing towards gigabytes.",
  },
  fullName: {
    summary:
      '`{{lead.Full Name}}` with no Full Name in the context: First Name and Last Name joined by a space, or only what the context holds.',
    why: 'Marketo composes Full Name itself and lists it as a token (UG-TOK, DEV-BLOG IFTTT example), but how it is composed is not documented (docs/marketo-behaviours.md).',
  },
  triggerMatchCase: {
    summary: 'Whether "Webhook is Called" constraints (Response contains, Error Type is, ...) compare ignoring case.',
    why: "Marketo's string constraints are not documented as case-sensitive or not; smart lists are generally case-insensitive (docs/marketo-behaviours.md).",
  },
  errorTypeOn2xx: {
    summary: 'The Error Type of a 2xx call: empty, or the reason phrase (e.g. OK).',
    why: 'DEV-ERR calls Error Type the Reason-Phrase of the status line, but only for errors; what a successful call records is not documented.',
  },
  timeoutErrorType: {
    summary: 'The Error Type recorded when the service does not answer within the timeout.',
    why: 'Marketo logs a timeout error and moves on (DEV-WH, RADAR), but its Error Type text is not documented; set it to what your activity log shows.',
  },
  networkErrorType: {
    summary: 'The Error Type recorded when the connection fails (DNS, refused, reset, TLS).',
    why: 'Not documented: with no HTTP answer there is no reason phrase; set it to what your activity log shows.',
  },
};

/**
 * The options that differ from the documented defaults. A collection snapshot carries the whole
 * profile with defaults filled in; the engine marks output "assumed" only for options the caller did
 * not set, so passing just the changed ones keeps those badges truthful everywhere (app, CLI, runner).
 */
export function profileOverrides(profile: Profile): Partial<Profile> {
  const out: Partial<Profile> = {};
  for (const key of Object.keys(profile) as ProfileOption[]) {
    if (profile[key] !== defaultProfile[key]) (out as Record<string, unknown>)[key] = profile[key];
  }
  return out;
}
