import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogFromDescribe, defaultFieldCatalog, findField, mergeCatalog } from '@shared/catalog';
import { fieldCatalogSchema } from '@shared/model';

// Marketo's standard lead fields, kept in the repository (test/fixtures/catalog) so a fresh clone tests on its own.
const standardFieldsCsv = fileURLToPath(new URL('../../fixtures/catalog/marketo-standard-fields.csv', import.meta.url));

describe('default catalog', () => {
  it('holds every row of the standard-fields fixture with its names and type', () => {
    const rows = readFileSync(standardFieldsCsv, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(','));
    expect(defaultFieldCatalog).toHaveLength(rows.length);
    for (const [rest, soap, display, type] of rows) {
      const f = defaultFieldCatalog.find((x) => x.displayName === display);
      expect(f, display).toBeDefined();
      expect(f?.restName).toBe(rest || undefined);
      expect(f?.soapName).toBe(soap || undefined);
      expect(f?.type).toBe(type);
    }
    expect(fieldCatalogSchema.safeParse(defaultFieldCatalog).success).toBe(true);
  });

  it('includes the company fields company tokens use', () => {
    for (const name of ['Company Name', 'Annual Revenue', 'Num Employees', 'Industry', 'Website'])
      expect(findField(defaultFieldCatalog, name)).toBeDefined();
  });
});

describe('findField', () => {
  it('finds by display name or SOAP name, case-insensitively', () => {
    expect(findField(defaultFieldCatalog, 'email address')?.soapName).toBe('Email');
    expect(findField(defaultFieldCatalog, 'EMAIL')?.displayName).toBe('Email Address');
    expect(findField(defaultFieldCatalog, 'nope')).toBeUndefined();
  });
});

describe('mergeCatalog', () => {
  it('overrides by SOAP name, else by display name, and appends the rest', () => {
    const merged = mergeCatalog(defaultFieldCatalog, [
      { displayName: 'Job Title (custom label)', soapName: 'Title', type: 'text' },
      { displayName: 'Urgency', type: 'integer' },
      { displayName: 'Annual Revenue c', soapName: 'Annual_Revenue__c', type: 'currency' },
    ]);
    expect(merged).toHaveLength(defaultFieldCatalog.length + 1);
    expect(findField(merged, 'Title')?.type).toBe('text');
    expect(findField(merged, 'Urgency')?.type).toBe('integer');
    expect(findField(merged, 'Annual_Revenue__c')?.type).toBe('currency');
    expect(defaultFieldCatalog.find((f) => f.soapName === 'Title')?.type).toBe('string');
  });
});

describe('catalogFromDescribe', () => {
  it('reads the Describe Lead shape and lists what it cannot carry', () => {
    const { fields, notCarried } = catalogFromDescribe({
      requestId: 'x',
      success: true,
      result: [
        {
          id: 2,
          displayName: 'Company Name',
          dataType: 'string',
          length: 255,
          rest: { name: 'company', readOnly: false },
          soap: { name: 'Company', readOnly: false },
        },
        { id: 3, displayName: 'Score', dataType: 'score', rest: { name: 'score' } },
        { id: 4, displayName: 'Notes', dataType: 'textarea', soap: { name: 'Notes__c', readOnly: true } },
        { id: 5, displayName: 'Weird', dataType: 'formula' },
        { id: 6, dataType: 'string' },
        'junk',
      ],
    });
    expect(fields).toEqual([
      { displayName: 'Company Name', type: 'string', soapName: 'Company', restName: 'company', length: 255 },
      { displayName: 'Score', type: 'score', restName: 'score' },
      { displayName: 'Notes', type: 'text', soapName: 'Notes__c', readOnly: true },
    ]);
    expect(notCarried.map((n) => n.item)).toEqual(['Weird', 'result[4]', 'result[5]']);
  });

  it('accepts Describe2 / Get Lead Fields items (REST names, updateable)', () => {
    const { fields } = catalogFromDescribe({
      result: [{ name: 'firstName', displayName: 'First Name', dataType: 'string', updateable: false }],
    });
    expect(fields).toEqual([{ displayName: 'First Name', type: 'string', restName: 'firstName', readOnly: true }]);
  });

  it('refuses a document without a result list', () => {
    expect(catalogFromDescribe({ nope: 1 }).notCarried[0]?.reason).toContain('result');
  });
});
