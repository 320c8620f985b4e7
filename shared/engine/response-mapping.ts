import type { FieldCatalog, LeadField, MappingResult, Scalar, TokenContext, Webhook } from '../model';
import { findFieldByAnyName, findFieldBySoapName } from '../catalog';
import { parseMappingPath, type ParsedPath } from './mapping-path';

// Speed: docs/performance.md#engine (SOAP names and parsed paths are kept per catalog and per attribute).
const soapKeys = new WeakMap<FieldCatalog, Map<string, string>>();
const PATH_CACHE_LIMIT = 256;
const parsedPaths = new Map<string, ParsedPath>();

function parsedPath(attribute: string): ParsedPath {
  let parsed = parsedPaths.get(attribute);
  if (parsed === undefined) {
    parsed = parseMappingPath(attribute);
    if (parsedPaths.size >= PATH_CACHE_LIMIT) parsedPaths.clear();
    parsedPaths.set(attribute, parsed);
  }
  return parsed;
}

/**
 * context.lead keyed by SOAP name, so before/after line up with what mappings write: into `lead` and
 * `copy` alike. Speed: docs/performance.md#engine
 */
export function leadBySoapName(
  context: TokenContext | undefined,
  catalog: FieldCatalog,
  lead: Record<string, Scalar>,
  copy: Record<string, Scalar>,
): void {
  const source = context?.lead;
  if (!source) return;
  let keys = soapKeys.get(catalog);
  if (!keys) {
    keys = new Map();
    soapKeys.set(catalog, keys);
  }
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    let soap = keys.get(key);
    if (soap === undefined) {
      const field = findFieldByAnyName(catalog, key);
      soap = field?.soapName ?? field?.displayName ?? key;
      if (keys.size < PATH_CACHE_LIMIT) keys.set(key, soap);
    }
    const value = source[key] as Scalar;
    lead[soap] = value;
    copy[soap] = value;
  }
}

/** The first reason a mapping is not written is the one reported. */
export function notWritten(result: MappingResult, reason: string, message: string): void {
  result.reason ??= reason;
  result.message ??= message;
}

/** Each mapping's lead field (by SOAP name) and parsed path: the same for every response to one webhook. */
export interface MappingPlan {
  field: LeadField | undefined;
  path: ParsedPath;
}
type Mappings = Webhook['mappings'];
const plansByMappings = new WeakMap<
  Mappings,
  { catalog: FieldCatalog; attributes: string[]; fields: string[]; plans: MappingPlan[] }
>();

/**
 * The plans for a webhook's mappings, kept per mappings list and checked against the texts they were
 * made from, so a list changed in place is planned again rather than answered stale.
 */
export function mappingPlans(mappings: Mappings, catalog: FieldCatalog): MappingPlan[] {
  const known = plansByMappings.get(mappings);
  if (known !== undefined && known.catalog === catalog && known.plans.length === mappings.length) {
    let same = true;
    for (let i = 0; i < mappings.length && same; i++) {
      const m = mappings[i] as Mappings[number];
      same = m.attribute === known.attributes[i] && m.field === known.fields[i];
    }
    if (same) return known.plans;
  }
  const plans = mappings.map((m) => ({ field: findFieldBySoapName(catalog, m.field), path: parsedPath(m.attribute) }));
  plansByMappings.set(mappings, {
    catalog,
    attributes: mappings.map((m) => m.attribute),
    fields: mappings.map((m) => m.field),
    plans,
  });
  return plans;
}
