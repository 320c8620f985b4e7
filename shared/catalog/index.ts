import { fieldTypes, type FieldCatalog, type FieldType, type LeadField } from '../model';
import { standardLeadFields } from './standard-fields';

export { standardLeadFields } from './standard-fields';
export { checkFieldValue } from './check-value';
export { editDistance, nearestField, searchFields } from './field-search';

/** The catalog in force when none is given: Marketo's standard lead (and company) fields. */
export const defaultFieldCatalog: FieldCatalog = standardLeadFields;

const lower = (s: string): string => s.toLowerCase();

/**
 * `extra` adds to `base`; an extra field replaces the base field with the same SOAP name, or, when
 * either has none, the same display name (case-insensitive), keeping the base field's position.
 */
export function mergeCatalog(base: FieldCatalog, extra: FieldCatalog): FieldCatalog {
  const result = base.slice();
  for (const field of extra) {
    const at = result.findIndex((b) =>
      field.soapName !== undefined && b.soapName !== undefined
        ? lower(b.soapName) === lower(field.soapName)
        : lower(b.displayName) === lower(field.displayName),
    );
    if (at >= 0) result[at] = field;
    else result.push(field);
  }
  return result;
}

export interface CatalogIndex {
  byDisplay: Map<string, LeadField>;
  bySoap: Map<string, LeadField>;
  byRest: Map<string, LeadField>;
  /** findField answers by the name exactly as asked (tokens ask the same names render after render). */
  asked: Map<string, LeadField | null>;
}

const ASKED_LIMIT = 4096;

// Catalogs are treated as immutable values (the stores replace them, never edit them in place), so an
// index per catalog array is built once; rendering looks fields up for every token.
const indexes = new WeakMap<FieldCatalog, CatalogIndex>();

export function catalogIndex(catalog: FieldCatalog): CatalogIndex {
  let index = indexes.get(catalog);
  if (!index) {
    index = { byDisplay: new Map(), bySoap: new Map(), byRest: new Map(), asked: new Map() };
    for (const field of catalog) {
      const d = lower(field.displayName);
      if (!index.byDisplay.has(d)) index.byDisplay.set(d, field);
      if (field.soapName !== undefined && !index.bySoap.has(lower(field.soapName)))
        index.bySoap.set(lower(field.soapName), field);
      if (field.restName !== undefined && !index.byRest.has(lower(field.restName)))
        index.byRest.set(lower(field.restName), field);
    }
    indexes.set(catalog, index);
  }
  return index;
}

/** A lead field by display name or SOAP API name, case-insensitive (display name first, as tokens use it). */
export function findField(catalog: FieldCatalog, name: string): LeadField | undefined {
  return findFieldIn(catalogIndex(catalog), name);
}

/** findField over an index already at hand (the renderer looks up every token). */
export function findFieldIn(index: CatalogIndex, name: string): LeadField | undefined {
  const known = index.asked.get(name);
  if (known !== undefined) return known ?? undefined;
  const key = lower(name.trim());
  const field = index.byDisplay.get(key) ?? index.bySoap.get(key);
  if (index.asked.size >= ASKED_LIMIT) index.asked.clear();
  index.asked.set(name, field ?? null);
  return field;
}

/**
 * A lead field by SOAP name, exactly as a response mapping must spell it (spec vector 29: `Company`,
 * not the REST name `company`).
 */
export function findFieldBySoapName(catalog: FieldCatalog, name: string): LeadField | undefined {
  const field = catalogIndex(catalog).bySoap.get(lower(name.trim()));
  return field && field.soapName === name.trim() ? field : undefined;
}

/** A lead field by any of its names: display, SOAP or REST. */
export function findFieldByAnyName(catalog: FieldCatalog, name: string): LeadField | undefined {
  const index = catalogIndex(catalog);
  const key = lower(name.trim());
  return index.byDisplay.get(key) ?? index.bySoap.get(key) ?? index.byRest.get(key);
}

/** Describe Lead data types that are not spelled like ours. */
const describeTypeAliases: Record<string, FieldType> = {
  textarea: 'text',
  percent: 'float',
  double: 'float',
  int: 'integer',
  long: 'integer',
  datetime: 'datetime',
  timestamp: 'datetime',
  lead_function: 'string',
  picklist: 'string',
};

function toFieldType(dataType: string): FieldType | undefined {
  const t = dataType.toLowerCase();
  if ((fieldTypes as readonly string[]).includes(t)) return t as FieldType;
  return describeTypeAliases[t];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * A catalog from the JSON of Marketo's Describe Lead (`{result: [{displayName, dataType, length, rest:
 * {name, readOnly}, soap: {name, readOnly}}]}`), Describe Lead2 / Get Lead Fields (`{result: [{name,
 * displayName, dataType, length, updateable}]}`, REST names only), or a bare array of either item.
 * Items that cannot become a field are listed with the reason, never dropped silently.
 */
export function catalogFromDescribe(json: unknown): {
  fields: FieldCatalog;
  notCarried: Array<{ item: string; reason: string }>;
} {
  const fields: FieldCatalog = [];
  const notCarried: Array<{ item: string; reason: string }> = [];
  const items: unknown[] | undefined = Array.isArray(json)
    ? json
    : isObj(json) && Array.isArray(json['result'])
      ? json['result']
      : undefined;
  if (!items) {
    notCarried.push({ item: '(document)', reason: 'expected a Describe Lead response with a `result` array' });
    return { fields, notCarried };
  }
  items.forEach((item, i) => {
    const label = isObj(item) ? (str(item['displayName']) ?? str(item['name']) ?? `result[${i}]`) : `result[${i}]`;
    if (!isObj(item)) {
      notCarried.push({ item: label, reason: 'not an object' });
      return;
    }
    const displayName = str(item['displayName']) ?? str(item['name']);
    if (!displayName) {
      notCarried.push({ item: label, reason: 'has no displayName' });
      return;
    }
    const dataType = str(item['dataType']);
    const type = dataType ? toFieldType(dataType) : undefined;
    if (!type) {
      notCarried.push({
        item: label,
        reason: dataType ? `data type '${dataType}' has no webhook equivalent` : 'has no dataType',
      });
      return;
    }
    const rest = isObj(item['rest']) ? item['rest'] : undefined;
    const soap = isObj(item['soap']) ? item['soap'] : undefined;
    const field: LeadField = { displayName, type };
    const soapName = soap ? str(soap['name']) : undefined;
    const restName = rest ? str(rest['name']) : str(item['name']);
    if (soapName) field.soapName = soapName;
    if (restName) field.restName = restName;
    const length = item['length'];
    if (typeof length === 'number' && Number.isInteger(length) && length > 0) field.length = length;
    const readOnly = soap ? soap['readOnly'] === true : rest ? rest['readOnly'] === true : item['updateable'] === false;
    if (readOnly) field.readOnly = true;
    fields.push(field);
  });
  return { fields, notCarried };
}
