import type { Diagnostic, FieldCatalog, LeadField, Location, ResponseMapping } from '../model';
import { findFieldByAnyName, findFieldBySoapName } from '../catalog';
import type { LintInput } from './lint-places';
import { parseMappingPath } from './mapping-path';

/** The response mappings: a path Marketo can follow, a field it can write, each field written once. */
export function lintMappings(input: LintInput): void {
  const { webhook, diagnostics } = input;
  const mappings = webhook.mappings;
  if (mappings.length > 0 && webhook.responseType === 'none') {
    diagnostics.push({
      severity: 'warning',
      code: 'mappings-response-type-none',
      message: `the webhook has ${mappings.length} response mapping${mappings.length === 1 ? '' : 's'} but its response type is None, so Marketo applies none of them; set the response type to JSON or XML`,
      location: { part: 'webhook', path: 'responseType' },
    });
  }
  /** The first mapping to write each field (by SOAP name, lower case). */
  const seen = new Map<string, number>();
  mappings.forEach((m, index) => {
    mappingPath(m, index, webhook.responseType === 'xml', diagnostics);
    const field = mappingField(m, index, input.r.catalog, diagnostics);
    if (field === undefined) return;
    const location: Location = { part: 'mapping', index, field: 'field' };
    const key = (field.soapName ?? '').toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      diagnostics.push({
        severity: 'info',
        code: 'duplicate-mapping-field',
        message: `mappings ${first + 1} and ${index + 1} both write ${field.soapName}; the later one wins`,
        location,
      });
    } else seen.set(key, index);
  });
}

/** The response attribute: a Marketo path, and for XML one that reaches below the root. */
function mappingPath(m: ResponseMapping, index: number, xml: boolean, diagnostics: Diagnostic[]): void {
  const parsed = parseMappingPath(m.attribute);
  if (!parsed.ok) {
    diagnostics.push({
      severity: 'error',
      code: 'invalid-mapping-path',
      message: `mapping ${index + 1}: '${m.attribute}' is not a Marketo path: ${parsed.message}`,
      location: {
        part: 'mapping',
        index,
        field: 'attribute',
        column: parsed.column,
        offset: parsed.column - 1,
        length: 1,
      },
    });
  } else if (xml && parsed.steps.length === 1) {
    diagnostics.push({
      severity: 'info',
      code: 'xml-path-root-only',
      message: `mapping ${index + 1}: '${m.attribute}' names only one element; an XML path starts with the root element (example.foo), so this reaches the root itself`,
      location: { part: 'mapping', index, field: 'attribute' },
    });
  }
}

/** The lead field a mapping writes, by its SOAP name; undefined (reported) when it names none Marketo can write. */
function mappingField(
  m: ResponseMapping,
  index: number,
  catalog: FieldCatalog,
  diagnostics: Diagnostic[],
): LeadField | undefined {
  const location: Location = { part: 'mapping', index, field: 'field' };
  const field = findFieldBySoapName(catalog, m.field);
  if (!field) {
    diagnostics.push(notASoapName(m, index, catalog, location));
    return undefined;
  }
  if (field.readOnly) {
    diagnostics.push({
      severity: 'warning',
      code: 'mapping-read-only-field',
      message: `mapping ${index + 1}: ${field.soapName} is read-only; Marketo does not write it`,
      location,
    });
  } else if (field.type === 'reference') {
    diagnostics.push({
      severity: 'warning',
      code: 'mapping-incompatible-type',
      message: `mapping ${index + 1}: ${field.soapName} is a reference field; a response value cannot set it`,
      location,
    });
  }
  return field;
}

/** Why a mapping's field is not a SOAP name: a REST-only field, another name of a field, or no field at all. */
function notASoapName(m: ResponseMapping, index: number, catalog: FieldCatalog, location: Location): Diagnostic {
  const other = findFieldByAnyName(catalog, m.field);
  if (other && other.soapName === undefined) {
    return {
      severity: 'error',
      code: 'mapping-rest-only-field',
      message: `mapping ${index + 1}: ${other.displayName} is a REST-only field (no SOAP API name); a response mapping cannot write it`,
      location,
    };
  }
  if (other) {
    const f = m.field.trim().toLowerCase();
    const which =
      other.restName?.toLowerCase() === f && other.restName !== other.soapName
        ? 'the REST name'
        : other.displayName.toLowerCase() === f
          ? 'the display name'
          : 'not spelled like the SOAP name';
    return {
      severity: 'error',
      code: 'mapping-not-soap-name',
      message: `mapping ${index + 1}: '${m.field}' is ${which}; response mappings use the SOAP API name '${other.soapName}'`,
      location,
    };
  }
  return {
    severity: 'error',
    code: 'mapping-unknown-field',
    message: `mapping ${index + 1}: '${m.field}' is not a lead field in the catalog (import your Describe Lead output to add custom fields)`,
    location,
  };
}
