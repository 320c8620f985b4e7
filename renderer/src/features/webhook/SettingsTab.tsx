import { useState } from 'react';
import { profileOptionDocs, responseTypes, tokenEncodings, type ProfileOption, type Webhook } from '@shared/model';
import { SelectRow, TextRow } from '../../components/Fields';
import { useStudio } from '../../store/context';
import { usePreview } from '../../lib/use-preview';

export const encodingLabels: Record<(typeof tokenEncodings)[number], string> = {
  none: 'None',
  json: 'JSON',
  'form-url': 'Form/Url',
};
const responseLabels: Record<(typeof responseTypes)[number], string> = { none: 'None', json: 'JSON', xml: 'XML' };

/** Each profile option in words; its identifier (as in the collection file) is kept as a tooltip. */
export const profileOptionLabels: Record<ProfileOption, string> = {
  encodingScope: 'Where token encoding applies',
  jsonEscapeSlash: 'JSON: write / as \\/',
  jsonNonAscii: 'JSON: non-ASCII characters',
  jsonEmptyValue: 'JSON: an empty value becomes',
  jsonBooleanBare: 'JSON: Booleans without quotes',
  booleanFormat: 'How a Boolean reads',
  htmlEncodeTokens: 'HTML-encode token values',
  encodeDefaults: 'Encode token defaults',
  malformedDefault: 'A default written without :default=',
  templateOnGet: 'Template on a GET',
  defaultContentType: 'Content-Type when none is set',
  userAgent: 'User-Agent',
  urlUnsafeCharacters: 'URL characters that cannot be sent',
  followRedirects: 'Follow redirects',
  timeoutMs: 'Timeout (ms)',
  maxResponseBytes: 'Largest response read (bytes)',
  xmlAttributes: 'XML attributes in mapping paths',
  xmlSingleElementIndex: 'XML: [0] on an element that occurs once',
  jsonRootArray: 'Mapping paths into a root-level JSON array',
  nestedValueToString: 'An object or array mapped to a text field',
  overLengthString: 'A mapped text longer than its field',
  maxResponseDepth: 'Deepest response nesting read',
  maxRenderedBytes: 'Largest request rendered (bytes)',
  fullName: 'How {{lead.Full Name}} is composed',
  triggerMatchCase: 'Trigger constraints: letter case',
  errorTypeOn2xx: 'Error Type of a 2xx call',
  timeoutErrorType: 'Error Type of a timeout',
  networkErrorType: 'Error Type of a failed connection',
};

/** The "why" of an option without its citation of the spec, a document the user does not have. */
function withoutSpecCitation(text: string): string {
  return text.replace(/\s*\(spec §[^)]*\)/g, '').replace(/;\s*$/, '');
}

/** The profile options the Settings tab offers beside the webhook's own settings. */
const profileOptionsShown: ProfileOption[] = [
  'timeoutMs',
  'followRedirects',
  'defaultContentType',
  'userAgent',
  'encodingScope',
  'templateOnGet',
  'booleanFormat',
  'jsonEmptyValue',
  'jsonNonAscii',
  'jsonEscapeSlash',
  'jsonBooleanBare',
  'htmlEncodeTokens',
  'malformedDefault',
  'urlUnsafeCharacters',
  'xmlAttributes',
  'xmlSingleElementIndex',
  'jsonRootArray',
  'nestedValueToString',
  'overLengthString',
  'maxResponseBytes',
  'maxResponseDepth',
  'maxRenderedBytes',
  'fullName',
  'triggerMatchCase',
  'errorTypeOn2xx',
  'timeoutErrorType',
  'networkErrorType',
];

const enumChoices: Partial<Record<ProfileOption, readonly string[]>> = {
  encodingScope: ['body', 'body-and-url', 'all'],
  jsonNonAscii: ['raw', 'escape'],
  jsonEmptyValue: ['empty-string', 'null'],
  booleanFormat: ['true-false', 'TRUE-FALSE', '1-0'],
  malformedDefault: ['empty', 'literal'],
  templateOnGet: ['drop', 'send'],
  urlUnsafeCharacters: ['percent-encode', 'refuse'],
  xmlAttributes: ['ignore', 'as-keys'],
  xmlSingleElementIndex: ['both', 'bare-only'],
  jsonRootArray: ['allow', 'refuse'],
  nestedValueToString: ['skip', 'json'],
  overLengthString: ['truncate', 'refuse'],
  fullName: ['first-last', 'context-only'],
  triggerMatchCase: ['insensitive', 'sensitive'],
  errorTypeOn2xx: ['empty', 'reason-phrase'],
};

const encodingChoice = { id: 'set-encoding', label: 'Request Token Encoding', options: tokenEncodings } as const;
const responseChoice = { id: 'set-response', label: 'Response type', options: responseTypes } as const;

/** This webhook's own settings, then the collection's profile options. */
export function SettingsTab({ webhook, onChange }: { webhook: Webhook; onChange: (c: Partial<Webhook>) => void }) {
  return (
    <>
      <div className="section">
        <h3>This webhook</h3>
        <SelectRow
          {...encodingChoice}
          optionLabel={encodingLabels}
          value={webhook.encoding}
          onChange={(encoding) => onChange({ encoding })}
        />
        <SelectRow
          {...responseChoice}
          optionLabel={responseLabels}
          value={webhook.responseType}
          onChange={(responseType) => onChange({ responseType })}
        />
        <TextRow
          id="set-description"
          label="Description"
          value={webhook.description ?? ''}
          onValue={(description) => onChange({ description: description || undefined })}
        />
      </div>
      <ProfileSettings />
    </>
  );
}

/** The collection's profile: how the studio behaves where Marketo's documentation is silent. */
function ProfileSettings() {
  const assumed = new Set(usePreview().diagnostics.flatMap((d) => d.assumed ?? []));
  return (
    <div className="section">
      <h3>Profile (whole collection)</h3>
      <p className="help" style={{ marginTop: 0 }}>
        Where Marketo’s documentation is silent the studio assumes a default. Options marked{' '}
        <span className="badge assumed">assumed</span> shaped the current preview. Each option is described in full in
        the README, section <b>Profile options</b>.
      </p>
      {profileOptionsShown.map((o) => (
        <div className="field-row" key={o} style={{ alignItems: 'start' }}>
          <label className="field-label" htmlFor={`profile-${o}`}>
            <span title={o}>{profileOptionLabels[o]}</span>{' '}
            {assumed.has(o) && <span className="badge assumed">assumed</span>}
          </label>
          <div>
            <ProfileOptionControl option={o} />
            <div className="help">
              {profileOptionDocs[o].summary} <i>{withoutSpecCitation(profileOptionDocs[o].why)}</i>
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}

/** One profile option's control: a checkbox, a choice, or a number or text saved when the field is left. */
function ProfileOptionControl({ option }: { option: ProfileOption }) {
  const value = useStudio((s) => s.profile[option]);
  const saveProfile = useStudio((s) => s.saveProfile);
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const id = `profile-${option}`;
  if (typeof value === 'boolean')
    return (
      <input
        id={id}
        type="checkbox"
        checked={value}
        onChange={(e) => void saveProfile({ [option]: e.target.checked })}
      />
    );
  const choices = enumChoices[option];
  if (choices)
    return (
      <select id={id} value={String(value)} onChange={(e) => void saveProfile({ [option]: e.target.value })}>
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    );
  const isNumber = typeof value === 'number';
  return (
    <input
      id={id}
      type={isNumber ? 'number' : 'text'}
      value={draft ?? String(value)}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        if (draft === undefined) return;
        setDraft(undefined);
        if (!isNumber) void saveProfile({ [option]: draft });
        else if (Number.isInteger(Number(draft)) && Number(draft) > 0) void saveProfile({ [option]: Number(draft) });
      }}
    />
  );
}
