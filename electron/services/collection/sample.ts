/**
 * The sample collection a new user gets (first run, `webhook-studio init`): three webhooks aimed at the
 * built-in catcher, canned answers for each, two contexts (one plain, one full of traps) and a custom
 * lead field, so Send works at once and offline. The files are written as a person would write them,
 * comments included, and an edit in the app keeps those comments.
 */

import type { CatcherRule } from '../catcher/index';
import { gitignoreText } from './gitignore';
import { aimsAtCatcher, CATCHER_ORIGIN } from './catcher-origin';

export { aimsAtCatcher, CATCHER_ORIGIN };

/** A canned catcher answer: requests whose method and path (before `?`) match get this response. */
export interface SampleResponse {
  method: string;
  path: string;
  status: number;
  reason: string;
  headers: { name: string; value: string }[];
  body: string;
}

export const sampleResponses: SampleResponse[] = [
  {
    method: 'POST',
    path: '/enrich',
    status: 200,
    reason: 'OK',
    headers: [{ name: 'Content-Type', value: 'application/json; charset=utf-8' }],
    body: '{"company":{"name":"Analytical Engines Ltd","industry":"Computing","employees":42},"person":{"title":"Chief Programmer"},"scores":[{"model":"fit","value":87}]}',
  },
  {
    method: 'POST',
    path: '/sms/send',
    status: 201,
    reason: 'Created',
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    body: '{"sid":"SM0123456789","status":"queued","segments":1}',
  },
  {
    method: 'POST',
    path: '/soap/AccountLookup',
    status: 200,
    reason: 'OK',
    headers: [{ name: 'Content-Type', value: 'text/xml; charset=utf-8' }],
    body: [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">',
      '  <soap:Body>',
      '    <LookupAccountResponse xmlns="urn:example:crm">',
      '      <account>',
      '        <industry>Computing</industry>',
      '        <employees>42</employees>',
      '      </account>',
      '    </LookupAccountResponse>',
      '  </soap:Body>',
      '</soap:Envelope>',
      '',
    ].join('\n'),
  },
];

/** The catcher's canned answers for the sample webhooks (give them to `startCatcher({ rules })`). */
export function sampleCatcherRules(): CatcherRule[] {
  return sampleResponses.map((r) => ({
    method: r.method,
    path: r.path,
    status: r.status,
    reason: r.reason,
    headers: r.headers.map((h) => ({ ...h })),
    body: r.body,
  }));
}

export const sampleFiles: Record<string, string> = {
  'collection.yaml': `# A Webhook Studio collection: plain files, made to be read and diffed in git.
name: Sample webhooks
# Profile options: Marketo behaviour the docs leave open (see README "profile").
profile:
  timeoutMs: 30000
defaultContext: contexts/plain-lead.context.yaml
`,
  'fields.yaml': `# Lead fields of this Marketo instance beyond the standard ones (from Describe Lead, or by hand).
- displayName: Enrichment Score
  soapName: Enrichment_Score__c
  restName: enrichmentScore
  type: integer
- displayName: Last SMS Status
  soapName: Last_SMS_Status__c
  restName: lastSMSStatus
  type: string
  length: 40
`,
  '.gitignore': gitignoreText,
  'webhooks/enrichment/enrich-lead.webhook.yaml': `# JSON encoding quotes and escapes each token value itself: no quotes around the tokens.
name: Enrich lead (JSON)
description: Sends the lead's email and name to an enrichment service and maps company data back.
url: ${CATCHER_ORIGIN}/enrich?source=marketo&campaign={{campaign.id:default=0}}
method: POST
encoding: json
responseType: json
template: |
  {
    "email": {{lead.Email Address}},
    "firstName": {{lead.First Name:default=Friend}},
    "lastName": {{lead.Last Name}},
    "company": {{company.Company Name}}
  }
headers:
  - name: Content-Type
    value: application/json
mappings:
  - attribute: company.industry
    field: Industry
  - attribute: person.title
    field: Title
  - attribute: scores[0].value
    field: Enrichment_Score__c
`,
  'webhooks/messaging/send-sms.webhook.yaml': `# Form/Url encoding: token values are form-encoded (space becomes +); the literal text is sent as typed.
name: Send SMS (Form/Url)
description: Texts the lead a promo code through an SMS gateway.
url: ${CATCHER_ORIGIN}/sms/send
method: POST
encoding: form-url
responseType: json
template: To={{lead.Mobile Phone Number}}&Body=Hi+{{lead.First Name:default=there}}%2C+your+code+is+{{my.Promo Code:default=WELCOME}}
headers:
  - name: Content-Type
    value: application/x-www-form-urlencoded
mappings:
  - attribute: status
    field: Last_SMS_Status__c
`,
  'webhooks/lookup/account-lookup.webhook.yaml': `# XML has no token encoding in Marketo: a value with & or < breaks the envelope (try the tricky lead).
name: Account lookup (SOAP XML)
description: Asks a SOAP service for the account behind the lead's company.
url: ${CATCHER_ORIGIN}/soap/AccountLookup
method: POST
encoding: none
responseType: xml
template: |
  <?xml version="1.0" encoding="utf-8"?>
  <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
    <soap:Body>
      <LookupAccount xmlns="urn:example:crm">
        <company>{{company.Company Name}}</company>
        <email>{{lead.Email Address}}</email>
      </LookupAccount>
    </soap:Body>
  </soap:Envelope>
headers:
  - name: Content-Type
    value: text/xml; charset=utf-8
  - name: SOAPAction
    value: '"urn:example:crm/LookupAccount"'
mappings:
  - attribute: soap:Envelope.soap:Body.LookupAccountResponse.account.industry
    field: Industry
  - attribute: soap:Envelope.soap:Body.LookupAccountResponse.account.employees
    field: NumberOfEmployees
`,
  'contexts/plain-lead.context.yaml': `name: Plain lead
description: An ordinary lead from a trigger campaign.
lead:
  Email Address: ada@example.com
  First Name: Ada
  Last Name: Lovelace
  Mobile Phone Number: "+442079460000"
company:
  Company Name: Analytical Engines Ltd
my:
  Promo Code: SPRING24
campaign:
  id: 1042
  name: Welcome flow
  Type: trigger
system:
  now: 2026-01-15T09:30:00Z
  timeZone: Europe/London
`,
  'contexts/tricky-lead.context.yaml': `# Values that break naive templates: &, quotes, emoji, an empty phone, line breaks.
name: Tricky lead
description: Ampersands, quotes, emoji, an empty phone and line breaks.
lead:
  Email Address: jack+jill@example.com
  First Name: Jack & Jill
  Last Name: O'Hara "JJ" 😀
  Mobile Phone Number: ""
  Address: |-
    Up the hill 1
    Well Lane
company:
  Company Name: Hill & Water <Pails> Co.
my:
  Promo Code: 50% OFF & MORE
campaign:
  id: 7
  name: Q3 "re-engage" 🚀
  Type: trigger
system:
  now: 2026-07-01T23:59:59Z
  timeZone: America/Los_Angeles
`,
};
