import { describe, expect, it } from 'vitest';
import { defaultFieldCatalog } from '@shared/catalog';
import {
  fieldOptions,
  isKnownName,
  nextEnabled,
  popupPlace,
  typedName,
} from '../../../renderer/src/components/field-options';

const view = { width: 1024, height: 700 };
const rect = (left: number, top: number, width: number, height = 26) =>
  ({ left, top, width, height, right: left + width, bottom: top + height }) as DOMRect;

describe('the lead field picker’s list', () => {
  it('writes SOAP names for mappings and display names for tokens, keeping a typed custom name', () => {
    expect(typedName(defaultFieldCatalog, 'soap', 'company name')).toBe('Company');
    expect(typedName(defaultFieldCatalog, 'soap', 'numberOfEmployees')).toBe('NumberOfEmployees');
    expect(typedName(defaultFieldCatalog, 'display', 'email')).toBe('Email Address');
    expect(typedName(defaultFieldCatalog, 'soap', ' Preferred_Language__c ')).toBe('Preferred_Language__c');
    expect(typedName(defaultFieldCatalog, 'soap', 'createdAt')).toBe('createdAt'); // REST only: no SOAP name
    expect(isKnownName(defaultFieldCatalog, 'soap', 'Company')).toBe(true);
    expect(isKnownName(defaultFieldCatalog, 'soap', 'company')).toBe(false);
    expect(isKnownName(defaultFieldCatalog, 'display', 'company name')).toBe(true);
  });

  it('lists REST-only and read-only fields for a mapping but not as picks, and the typed name last', () => {
    const options = fieldOptions(defaultFieldCatalog, 'soap', 'created');
    expect(options[0]).toMatchObject({ name: 'Created At', disabled: 'REST only: a mapping cannot write it' });
    expect(options.at(-1)).toEqual({ key: 'custom|created', name: 'created' });
    expect(fieldOptions(defaultFieldCatalog, 'soap', 'id').find((o) => o.field?.soapName === 'Id')?.disabled).toBe(
      'read-only',
    );
    expect(fieldOptions(defaultFieldCatalog, 'display', 'created')[0]?.disabled).toBeUndefined();
    expect(fieldOptions(defaultFieldCatalog, 'soap', 'Company').at(-1)?.field).toBeDefined();
  });

  it('moves past options that cannot be picked, and stays put at either end', () => {
    const options = fieldOptions(defaultFieldCatalog, 'soap', null);
    const at = options.findIndex((o) => o.name === 'Unsubscribed Reason' || o.name === 'UnsubscribedReason');
    expect(options[nextEnabled(options, at, 1)]?.name).toBe('Website');
    expect(nextEnabled(options, options.length - 1, 1)).toBe(options.length - 1);
    expect(options[nextEnabled(options, -1, 1)]?.name).toBe('Address');
  });

  it('opens wide enough for the names, inside the window, below the input or above it near the bottom', () => {
    expect(popupPlace(rect(390, 436, 86), view)).toEqual({
      position: 'fixed',
      left: 390,
      width: 460,
      top: 464,
      maxHeight: 228,
    });
    expect(popupPlace(rect(900, 100, 100), view)).toMatchObject({ left: 556, width: 460 });
    expect(popupPlace(rect(240, 640, 300), view)).toEqual({
      position: 'fixed',
      left: 240,
      width: 460,
      bottom: 62,
      maxHeight: 320,
    });
    expect(popupPlace(rect(0, 10, 900), { width: 400, height: 300 })).toMatchObject({ left: 8, width: 384 });
  });
});
