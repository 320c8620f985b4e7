// The test vectors of docs/marketo-spec.md (sections A–F) as data, so the same cases run against the
// library (test/shared/engine) and through the CLI (test/cli/engine-*.test.ts).
import type { FieldCatalog, ProfileInput, TokenContextInput, WebhookInput } from '@shared/model';

export interface RenderVector {
  id: string;
  title: string;
  webhook: WebhookInput;
  context: TokenContextInput;
  fields?: FieldCatalog;
  profile?: Partial<ProfileInput>;
  body?: string | null;
  requestTarget?: string;
  /** Headers expected in this order (a subsequence of the request's headers). */
  headers?: Array<{ name: string; value: string }>;
  /** Diagnostic codes that must be present. */
  codes?: string[];
  /** Diagnostic codes that must be absent. */
  notCodes?: string[];
}

const sandy: TokenContextInput = {
  name: 'Sandy',
  lead: { 'First Name': 'Sandy', 'Email Address': 'sandy@example.com', Id: 1234 },
  company: { 'Company Name': 'Jack & Jill Construction' },
  campaign: { Name: 'Enrich on form fill', Id: 2002, Type: 'trigger' },
  system: { now: '2026-11-27T16:00:00Z', timeZone: 'America/Chicago' },
};

const post = (
  template: string,
  encoding: 'none' | 'json' | 'form-url',
  extra: Partial<WebhookInput> = {},
): WebhookInput => ({
  name: 'vector',
  url: 'https://h.example/hook',
  method: 'POST',
  template,
  encoding,
  headers: [{ name: 'Content-Type', value: 'text/plain' }],
  ...extra,
});

const tk: TokenContextInput = {
  name: 'TK-NONE',
  lead: { Id: 1, 'Lead Status': 'NOT PROVIDED', 'Lead Source': 'TRUE' },
};
const tkTemplate = '{{lead.Id}};{{lead.Lead Status}};{{lead.Lead Source}}';

export const renderVectors: RenderVector[] = [
  {
    id: 'A1',
    title: 'JSON, string token',
    webhook: post('{"first_name" : {{lead.First Name}}}', 'json'),
    context: sandy,
    body: '{"first_name" : "Sandy"}',
  },
  {
    id: 'A2',
    title: 'text template, encoding None',
    webhook: post(tkTemplate, 'none'),
    context: tk,
    body: '1;NOT PROVIDED;TRUE',
  },
  {
    id: 'A3',
    title: 'text template, Form/Url',
    webhook: post(tkTemplate, 'form-url'),
    context: tk,
    body: '1;NOT+PROVIDED;TRUE',
  },
  {
    id: 'A4',
    title: 'text template, JSON: the number stays bare',
    webhook: post(tkTemplate, 'json'),
    context: tk,
    body: '1;"NOT PROVIDED";"TRUE"',
  },
  {
    id: 'A5',
    title: 'form body, None: & goes in raw',
    webhook: post('company={{company.Company Name}}&id={{lead.Id}}', 'none'),
    context: sandy,
    body: 'company=Jack & Jill Construction&id=1234',
    codes: ['none-encoding-unsafe-value'],
  },
  {
    id: 'A6',
    title: 'form body, Form/Url',
    webhook: post('company={{company.Company Name}}&id={{lead.Id}}', 'form-url'),
    context: sandy,
    body: 'company=Jack+%26+Jill+Construction&id=1234',
  },
  {
    id: 'A7',
    title: 'default used when empty',
    webhook: post('Dear {{lead.First Name:default=Friend}}', 'none'),
    context: { name: 'empty', lead: { 'First Name': '' } },
    body: 'Dear Friend',
  },
  {
    id: 'A8',
    title: 'default ignored when set',
    webhook: post('Dear {{lead.First Name:default=Friend}}', 'none'),
    context: sandy,
    body: 'Dear Sandy',
  },
  {
    id: 'A9',
    title: 'Twilio form body, Form/Url: literal %2B1 kept, default encoded',
    webhook: post('From=%2B1[NUM]&To=%2B1{{lead.Mobile Phone Number:default=edit me}}&Body=[MSG]', 'form-url'),
    context: { name: 'no phone', lead: { 'Mobile Phone Number': '' } },
    body: 'From=%2B1[NUM]&To=%2B1edit+me&Body=[MSG]',
  },
  {
    id: 'A10',
    title: 'line breaks become spaces',
    webhook: post('{{lead.Notes}}', 'none'),
    context: { name: 'notes', lead: { Notes: 'This once\nhad some\nline breaks.' } },
    body: 'This once had some line breaks.',
  },
  {
    id: 'A11',
    title: 'system tokens in the account time zone',
    webhook: post('{{system.date}}|{{system.time}}|{{system.dateTime}}', 'none'),
    context: { name: 'clock', system: { now: '2013-08-08T23:36:13Z', timeZone: 'America/Los_Angeles' } },
    body: 'Aug 08, 2013|04:36 PM (GMT -0700)|2013-08-08 16:36:13',
  },
  {
    id: 'A12',
    title: 'Date My Token',
    webhook: post('{{my.Event Date}}', 'none'),
    context: { name: 'my', my: { 'Event Date': { type: 'date', value: '2016-05-23' } } },
    body: '2016-05-23',
  },
  {
    id: 'B13',
    title: 'pre-parse: \\\\n reaches the receiver as backslash-n',
    webhook: post('"message" : "…10 minutes.\\\\n\\\\n—Sandy"', 'none'),
    context: sandy,
    body: '"message" : "…10 minutes.\\n\\n—Sandy"',
  },
  {
    id: 'B14',
    title: 'pre-parse: \\n becomes a real line feed',
    webhook: post('line one\\nline two', 'none'),
    context: sandy,
    body: 'line one\nline two',
  },
  {
    id: 'B15',
    title: 'pre-parse: \\s is an error',
    webhook: post('x.split(/\\s*;\\s*/)', 'none'),
    context: sandy,
    codes: ['invalid-escape'],
  },
  {
    id: 'B16',
    title: 'pre-parse: \\\\s becomes \\s',
    webhook: post('x.split(/\\\\s*;\\\\s*/)', 'none'),
    context: sandy,
    body: 'x.split(/\\s*;\\s*/)',
    notCodes: ['invalid-escape'],
  },
  {
    id: 'C17',
    title: 'URL: & unchanged',
    webhook: post('', 'none', { url: 'https://h.example/p?a=1&b=2' }),
    context: sandy,
    requestTarget: '/p?a=1&b=2',
  },
  {
    id: 'C18',
    title: 'URL: %26 neither decoded nor double-encoded',
    webhook: post('', 'none', { url: 'https://h.example/p?q=A%26B' }),
    context: sandy,
    requestTarget: '/p?q=A%26B',
  },
  {
    id: 'C19',
    title: 'URL credentials become Basic auth',
    webhook: post('', 'none', { url: 'https://SID:TOKEN@api.twilio.com/2010-04-01/Accounts/SID/Messages.json' }),
    context: sandy,
    requestTarget: '/2010-04-01/Accounts/SID/Messages.json',
    headers: [
      { name: 'host', value: 'api.twilio.com' },
      { name: 'Authorization', value: 'Basic U0lEOlRPS0VO' },
    ],
  },
  {
    id: 'F38',
    title: 'a batch campaign: code 1000, not sent',
    webhook: post('x', 'none'),
    context: { name: 'batch', campaign: { Name: 'Nightly', Type: 'batch' } },
    codes: ['batch-campaign'],
  },
];

export interface MapVector {
  id: string;
  title: string;
  responseType: 'json' | 'xml';
  body: string;
  status?: number;
  attribute: string;
  field: string;
  fields?: FieldCatalog;
  found: boolean;
  value?: unknown;
  written: boolean;
  coerced?: string | number | boolean | null;
  reason?: string;
}

const ordersDoc = JSON.stringify({
  profileId: 1234,
  firstName: 'Jane',
  lastName: 'Doe',
  orders: [
    { orderId: 5678, orderDate: '2015-01-01', orderProductId: '4982' },
    { orderId: 5678, orderDate: '2014-05-07', orderProductId: '4982' },
  ],
});
const carsDoc =
  '{ "car_count":123456, "item_types":[{"item_type":"Blue Car","item_type_count":1115}, {"item_type":"Red Car","item_type_count":7}]}';
const elementList =
  '<?xml version="1.0" encoding="UTF-8"?>\n<elementList>\n  <element>\n    <foo>baz</foo>\n  </element>\n  <element>\n    <foo>bar</foo>\n  </element>\n  <element>\n    <foo>bar</foo>\n  </element>\n</elementList>';

/** Custom fields the vectors map into (as a Describe Lead import would add them). */
export const vectorFields: FieldCatalog = [
  { displayName: 'Order Date', soapName: 'Order_Date__c', type: 'date' },
  { displayName: 'Item Count', soapName: 'Item_Count__c', type: 'integer' },
  { displayName: 'Annual Revenue', soapName: 'Annual_Revenue__c', type: 'currency' },
  { displayName: 'Email Is Mailable', soapName: 'EmailIsMailable__c', type: 'boolean' },
  { displayName: 'Last Checked', soapName: 'LastChecked__c', type: 'datetime' },
  { displayName: 'Note', soapName: 'Note__c', type: 'string' },
  { displayName: 'Price', soapName: 'Price__c', type: 'integer' },
];

export const mapVectors: MapVector[] = [
  {
    id: 'D20',
    title: 'top-level key',
    responseType: 'json',
    body: '{ "foo":"bar"}',
    attribute: 'foo',
    field: 'Title',
    found: true,
    value: 'bar',
    written: true,
    coerced: 'bar',
  },
  {
    id: 'D21',
    title: 'orders[0].orderDate',
    responseType: 'json',
    body: ordersDoc,
    attribute: 'orders[0].orderDate',
    field: 'Order_Date__c',
    fields: vectorFields,
    found: true,
    value: '2015-01-01',
    written: true,
    coerced: '2015-01-01',
  },
  {
    id: 'D22',
    title: 'orders[1].orderDate',
    responseType: 'json',
    body: ordersDoc,
    attribute: 'orders[1].orderDate',
    field: 'Order_Date__c',
    fields: vectorFields,
    found: true,
    value: '2014-05-07',
    written: true,
  },
  {
    id: 'D23',
    title: 'a quoted index is invalid',
    responseType: 'json',
    body: ordersDoc,
    attribute: 'orders["0"].orderDate',
    field: 'Order_Date__c',
    fields: vectorFields,
    found: false,
    written: false,
    reason: 'invalid-path',
  },
  {
    id: 'D24a',
    title: 'item_types[0].item_type_count',
    responseType: 'json',
    body: carsDoc,
    attribute: 'item_types[0].item_type_count',
    field: 'Item_Count__c',
    fields: vectorFields,
    found: true,
    value: 1115,
    written: true,
    coerced: 1115,
  },
  {
    id: 'D24b',
    title: 'JSONPath filters are unsupported',
    responseType: 'json',
    body: carsDoc,
    attribute: '$.item_types[?(@.item_type=="Blue Car")].item_type_count',
    field: 'Item_Count__c',
    fields: vectorFields,
    found: false,
    written: false,
    reason: 'invalid-path',
  },
  {
    id: 'D25',
    title: 'number into a currency field by SOAP name',
    responseType: 'json',
    body: '{"AnnualRevenue": 10000000}',
    attribute: 'AnnualRevenue',
    field: 'Annual_Revenue__c',
    fields: vectorFields,
    found: true,
    value: 10000000,
    written: true,
    coerced: 10000000,
  },
  {
    id: 'D26a',
    title: 'JSON true into a Boolean field',
    responseType: 'json',
    body: '{"EmailIsMailable": true, "EmailIsFreemail": false, "LastChecked": "2016-08-28T02:21:00"}',
    attribute: 'EmailIsMailable',
    field: 'EmailIsMailable__c',
    fields: vectorFields,
    found: true,
    value: true,
    written: true,
    coerced: true,
  },
  {
    id: 'D26b',
    title: 'ISO string into a DateTime field',
    responseType: 'json',
    body: '{"EmailIsMailable": true, "EmailIsFreemail": false, "LastChecked": "2016-08-28T02:21:00"}',
    attribute: 'LastChecked',
    field: 'LastChecked__c',
    fields: vectorFields,
    found: true,
    value: '2016-08-28T02:21:00',
    written: true,
  },
  {
    id: 'D27',
    title: 'a string into an integer field is not written',
    responseType: 'json',
    body: '{"count": "12"}',
    attribute: 'count',
    field: 'Item_Count__c',
    fields: vectorFields,
    found: true,
    value: '12',
    written: false,
    reason: 'type-mismatch',
  },
  {
    id: 'D28a',
    title: 'a key with a dash',
    responseType: 'json',
    body: '{"first-name":"x"}',
    attribute: 'first-name',
    field: 'FirstName',
    found: true,
    value: 'x',
    written: true,
  },
  {
    id: 'D28b',
    title: 'a key with a space',
    responseType: 'json',
    body: '{"first name":"x"}',
    attribute: 'first name',
    field: 'FirstName',
    found: true,
    value: 'x',
    written: true,
  },
  {
    id: 'D28c',
    title: 'a key with a dot is not addressable',
    responseType: 'json',
    body: '{"first.name":"x"}',
    attribute: 'first.name',
    field: 'FirstName',
    found: false,
    written: false,
    reason: 'path-not-found',
  },
  {
    id: 'D29a',
    title: 'the SOAP name Company is written',
    responseType: 'json',
    body: '{"c":"Acme"}',
    attribute: 'c',
    field: 'Company',
    found: true,
    value: 'Acme',
    written: true,
  },
  {
    id: 'D29b',
    title: 'the REST name company is not a SOAP name',
    responseType: 'json',
    body: '{"c":"Acme"}',
    attribute: 'c',
    field: 'company',
    found: true,
    value: 'Acme',
    written: false,
    reason: 'unknown-field',
  },
  {
    id: 'D29c',
    title: 'the display name Company Name is not a SOAP name',
    responseType: 'json',
    body: '{"c":"Acme"}',
    attribute: 'c',
    field: 'Company Name',
    found: true,
    value: 'Acme',
    written: false,
    reason: 'unknown-field',
  },
  {
    id: 'E30a',
    title: 'XML: root referenced',
    responseType: 'xml',
    body: '<example><foo>bar</foo></example>',
    attribute: 'example.foo',
    field: 'Note__c',
    fields: vectorFields,
    found: true,
    value: 'bar',
    written: true,
  },
  {
    id: 'E30b',
    title: 'XML: root omitted finds nothing',
    responseType: 'xml',
    body: '<example><foo>bar</foo></example>',
    attribute: 'foo',
    field: 'Note__c',
    fields: vectorFields,
    found: false,
    written: false,
    reason: 'path-not-found',
  },
  {
    id: 'E31a',
    title: 'XML: repeated elements form an array',
    responseType: 'xml',
    body: elementList,
    attribute: 'elementList.element[0].foo',
    field: 'Note__c',
    fields: vectorFields,
    found: true,
    value: 'baz',
    written: true,
  },
  {
    id: 'E31b',
    title: 'XML: second element',
    responseType: 'xml',
    body: elementList,
    attribute: 'elementList.element[1].foo',
    field: 'Note__c',
    fields: vectorFields,
    found: true,
    value: 'bar',
    written: true,
  },
  {
    id: 'E32',
    title: 'XML: numeric text into an integer field',
    responseType: 'xml',
    body: '<product><name>Laptop</name><price>1200</price></product>',
    attribute: 'product.price',
    field: 'Price__c',
    fields: vectorFields,
    found: true,
    value: '1200',
    written: true,
    coerced: 1200,
  },
  {
    id: 'E33',
    title: 'XML: orderList.order[0].item',
    responseType: 'xml',
    body: '<orderList><order><item>Mouse</item></order><order><item>Keyboard</item></order></orderList>',
    attribute: 'orderList.order[0].item',
    field: 'Note__c',
    fields: vectorFields,
    found: true,
    value: 'Mouse',
    written: true,
  },
  {
    id: 'F36',
    title: '404: no update',
    responseType: 'json',
    status: 404,
    body: '{"foo":"bar"}',
    attribute: 'foo',
    field: 'Title',
    found: true,
    value: 'bar',
    written: false,
    reason: 'non-2xx',
  },
  {
    id: 'F37',
    title: '200 with an empty body: code 1001',
    responseType: 'json',
    status: 200,
    body: '',
    attribute: 'foo',
    field: 'Title',
    found: false,
    written: false,
    reason: 'empty-body',
  },
];
