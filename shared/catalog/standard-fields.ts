import type { FieldCatalog } from '../model';

/**
 * Marketo's standard lead fields (developer page "List of Standard Fields", plus the lead id), from
 * shared/fixtures/marketo-standard-fields.csv. The page gives no types; these come from the Describe Lead
 * examples and the field's meaning, so a real Describe Lead import should override them. Fields without a
 * SOAP name are REST-only: a response mapping cannot target them. String fields hold 255 characters (spec §4).
 *
 * The standard company fields (Company Name, Annual Revenue, Num Employees, Industry, SIC Code, Site,
 * Website, Main Phone, Billing Address/City/State/Postal Code/Country) are lead fields in Marketo's data
 * model, so `{{company.X}}` resolves through the same entries.
 */
// A table, one field per line, as Marketo lists them; Prettier would spread the long rows over seven lines.
// prettier-ignore
export const standardLeadFields: FieldCatalog = [
  { displayName: 'Address', soapName: 'Address', restName: 'address', type: 'text' },
  { displayName: 'Annual Revenue', soapName: 'AnnualRevenue', restName: 'annualRevenue', type: 'currency' },
  { displayName: 'Anonymous IP', soapName: 'AnonymousIP', restName: 'anonymousIP', type: 'string', length: 255 },
  { displayName: 'Billing City', soapName: 'BillingCity', restName: 'billingCity', type: 'string', length: 255 },
  { displayName: 'Billing Country', soapName: 'BillingCountry', restName: 'billingCountry', type: 'string', length: 255 },
  { displayName: 'Billing Postal Code', soapName: 'BillingPostalCode', restName: 'billingPostalCode', type: 'string', length: 255 },
  { displayName: 'Billing State', soapName: 'BillingState', restName: 'billingState', type: 'string', length: 255 },
  { displayName: 'Billing Address', soapName: 'BillingStreet', restName: 'billingStreet', type: 'text' },
  { displayName: 'City', soapName: 'City', restName: 'city', type: 'string', length: 255 },
  { displayName: 'Company Name', soapName: 'Company', restName: 'company', type: 'string', length: 255 },
  { displayName: 'Country', soapName: 'Country', restName: 'country', type: 'string', length: 255 },
  { displayName: 'Date of Birth', soapName: 'DateofBirth', restName: 'dateOfBirth', type: 'date' },
  { displayName: 'Department', soapName: 'Department', restName: 'department', type: 'string', length: 255 },
  { displayName: 'Do Not Call', soapName: 'DoNotCall', restName: 'doNotCall', type: 'boolean' },
  { displayName: 'Do Not Call Reason', soapName: 'DoNotCallReason', restName: 'doNotCallReason', type: 'string', length: 255 },
  { displayName: 'Email Address', soapName: 'Email', restName: 'email', type: 'email' },
  { displayName: 'Fax Number', soapName: 'Fax', restName: 'fax', type: 'phone' },
  { displayName: 'First Name', soapName: 'FirstName', restName: 'firstName', type: 'string', length: 255 },
  { displayName: 'Industry', soapName: 'Industry', restName: 'industry', type: 'string', length: 255 },
  { displayName: 'Inferred Company', soapName: 'InferredCompany', restName: 'inferredCompany', type: 'string', length: 255 },
  { displayName: 'Inferred Country', soapName: 'InferredCountry', restName: 'inferredCountry', type: 'string', length: 255 },
  { displayName: 'Last Name', soapName: 'LastName', restName: 'lastName', type: 'string', length: 255 },
  { displayName: 'Role', soapName: 'LeadRole', restName: 'leadRole', type: 'string', length: 255 },
  { displayName: 'Lead Score', soapName: 'LeadScore', restName: 'leadScore', type: 'integer' },
  { displayName: 'Lead Source', soapName: 'LeadSource', restName: 'leadSource', type: 'string', length: 255 },
  { displayName: 'Lead Status', soapName: 'LeadStatus', restName: 'leadStatus', type: 'string', length: 255 },
  { displayName: 'Main Phone', soapName: 'MainPhone', restName: 'mainPhone', type: 'phone' },
  { displayName: 'Marketo Data.com ID', soapName: 'Marketo Jigsaw Contact Id', restName: 'jigsawContactId', type: 'string', length: 255 },
  { displayName: 'Marketo Data.com Status', soapName: 'Marketo Jigsaw Contact Status', restName: 'jigsawContactStatus', type: 'string', length: 255 },
  { displayName: 'Middle Name', soapName: 'MiddleName', restName: 'middleName', type: 'string', length: 255 },
  { displayName: 'Mobile Phone Number', soapName: 'MobilePhone', restName: 'mobilePhone', type: 'phone' },
  { displayName: 'Num Employees', soapName: 'NumberOfEmployees', restName: 'numberOfEmployees', type: 'integer' },
  { displayName: 'Phone Number', soapName: 'Phone', restName: 'phone', type: 'phone' },
  { displayName: 'Postal Code', soapName: 'PostalCode', restName: 'postalCode', type: 'string', length: 255 },
  { displayName: 'Lead Rating', soapName: 'Rating', restName: 'rating', type: 'string', length: 255 },
  { displayName: 'Salutation', soapName: 'Salutation', restName: 'salutation', type: 'string', length: 255 },
  { displayName: 'SIC Code', soapName: 'SICCode', restName: 'sicCode', type: 'string', length: 255 },
  { displayName: 'Site', soapName: 'Site', restName: 'site', type: 'string', length: 255 },
  { displayName: 'State', soapName: 'State', restName: 'state', type: 'string', length: 255 },
  { displayName: 'Job Title', soapName: 'Title', restName: 'title', type: 'string', length: 255 },
  { displayName: 'Unsubscribed', soapName: 'Unsubscribed', restName: 'unsubscribed', type: 'boolean' },
  { displayName: 'Unsubscribed Reason', soapName: 'UnsubscribedReason', restName: 'unsubscribedReason', type: 'text' },
  { displayName: 'Website', soapName: 'Website', restName: 'website', type: 'url' },
  { displayName: 'Created At', restName: 'createdAt', type: 'datetime', readOnly: true },
  { displayName: 'Updated At', restName: 'updatedAt', type: 'datetime', readOnly: true },
  { displayName: 'Email Invalid', restName: 'emailInvalid', type: 'boolean' },
  { displayName: 'Email Invalid Cause', restName: 'emailInvalidCause', type: 'string', length: 255 },
  { displayName: 'Inferred City', restName: 'inferredCity', type: 'string', length: 255 },
  { displayName: 'Inferred Metropolitan Area', restName: 'inferredMetropolitanArea', type: 'string', length: 255 },
  { displayName: 'Inferred Phone Area Code', restName: 'inferredPhoneAreaCode', type: 'string', length: 255 },
  { displayName: 'Inferred Postal Code', restName: 'inferredPostalCode', type: 'string', length: 255 },
  { displayName: 'Inferred State Region', restName: 'inferredStateRegion', type: 'string', length: 255 },
  { displayName: 'Is Anonymous', restName: 'isAnonymous', type: 'boolean' },
  { displayName: 'Priority', restName: 'priority', type: 'integer' },
  { displayName: 'Relative Score', restName: 'relativeScore', type: 'integer' },
  { displayName: 'Urgency', restName: 'urgency', type: 'float' },
  { displayName: 'Id', soapName: 'Id', restName: 'id', type: 'integer', readOnly: true },
];
