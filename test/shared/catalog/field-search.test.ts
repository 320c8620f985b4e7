import { describe, expect, it } from 'vitest';
import { defaultFieldCatalog, editDistance, nearestField, searchFields } from '@shared/catalog';
import type { FieldCatalog } from '@shared/model';

const nearest = (name: string) => nearestField(defaultFieldCatalog, name)?.displayName;

describe('nearestField: the field an unknown name most likely meant', () => {
  it('answers for the catalog asked, however often the same name is asked (a catalog replaced is asked afresh)', () => {
    expect(nearest('Email Addr')).toBe('Email Address');
    expect(nearest('Email Addr')).toBe('Email Address');
    const renamed: FieldCatalog = defaultFieldCatalog.map((f) =>
      f.displayName === 'Email Address'
        ? { ...f, displayName: 'Primary Email', soapName: 'PrimaryEmail', restName: 'primaryEmail' }
        : f,
    );
    expect(nearestField(renamed, 'Email Addr')?.displayName).not.toBe('Email Address');
    expect(nearestField(renamed, 'Primary Emial')?.displayName).toBe('Primary Email');
  });

  it('offers the field a cut-off or mistyped name meant, by display, SOAP or REST name', () => {
    expect(nearest('Email Addr')).toBe('Email Address');
    expect(nearest('email adress')).toBe('Email Address');
    expect(nearest('Frist Name')).toBe('First Name');
    expect(nearest('LastNme')).toBe('Last Name');
    expect(nearest('NumberOfEmployes')).toBe('Num Employees');
    expect(nearest('phone_numbr')).toBe('Phone Number');
    expect(nearest('COMPANYNAME')).toBeUndefined(); // the display name itself, case aside: not unknown
  });

  it('offers nothing for a field’s own name or an unrelated name', () => {
    expect(nearest('Email Address')).toBeUndefined();
    expect(nearest('email')).toBeUndefined();
    expect(nearest('Favourite Colour')).toBeUndefined();
    expect(nearest('xyz')).toBeUndefined();
    expect(nearest('Full Name')).toBeUndefined();
    expect(nearest('')).toBeUndefined();
  });

  it('reaches custom fields of an imported catalog', () => {
    const catalog: FieldCatalog = [
      ...defaultFieldCatalog,
      { displayName: 'Preferred Language', soapName: 'Preferred_Language__c', type: 'string' },
    ];
    expect(nearestField(catalog, 'Prefered Languag')?.soapName).toBe('Preferred_Language__c');
  });

  it('measures edits, stopping past a limit', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});

describe('searchFields: the lead field picker’s filter', () => {
  const names = (q: string) => searchFields(defaultFieldCatalog, q).map((f) => f.displayName);

  it('finds a field by its SOAP name, display name or REST name, fuzzily', () => {
    expect(names('numberofemp')[0]).toBe('Num Employees');
    expect(names('Email Address')[0]).toBe('Email Address');
    expect(names('mobilephone')[0]).toBe('Mobile Phone Number');
    expect(names('lead status')[0]).toBe('Lead Status');
    expect(names('jigsaw')).toEqual(['Marketo Data.com ID', 'Marketo Data.com Status']);
    expect(names('bcty')).toContain('Billing City');
  });

  it('puts whole and leading matches before matches inside a name', () => {
    const list = names('city');
    expect(list[0]).toBe('City');
    expect(list.indexOf('Billing City')).toBeGreaterThan(0);
  });

  it('lists every field by display name for an empty query, and none for nonsense', () => {
    const all = names('  ');
    expect(all).toHaveLength(defaultFieldCatalog.length);
    expect(all[0]).toBe('Address');
    expect(names('qqqzzz')).toEqual([]);
  });
});
