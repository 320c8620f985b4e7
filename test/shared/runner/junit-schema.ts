import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * A structural check of the common JUnit XSD (the Ant/Jenkins/Surefire schema, e.g. jenkins junit-10.xsd):
 * element nesting and order, the allowed and required attributes, and their types. Returns every
 * violation found, so a test shows all of them at once.
 */

type Attr = { required?: boolean; type: 'string' | 'int' | 'decimal' | 'timestamp' };
interface ElementRule {
  attrs: Record<string, Attr>;
  /** Allowed children in schema order; `many` allows repeats. */
  children: Array<{ name: string; many?: boolean; min?: number }>;
  text?: boolean;
}

const str: Attr = { type: 'string' };
const int: Attr = { type: 'int' };
const decimal: Attr = { type: 'decimal' };

const rules: Record<string, ElementRule> = {
  testsuites: {
    attrs: { name: str, time: decimal, tests: int, failures: int, errors: int, disabled: int, skipped: int },
    children: [{ name: 'testsuite', many: true }],
  },
  testsuite: {
    attrs: {
      name: { required: true, type: 'string' },
      tests: { required: true, type: 'int' },
      failures: int,
      errors: int,
      skipped: int,
      disabled: int,
      time: decimal,
      timestamp: { type: 'timestamp' },
      hostname: str,
      id: str,
      package: str,
      file: str,
      log: str,
      url: str,
      version: str,
      group: str,
    },
    children: [
      { name: 'properties' },
      { name: 'testcase', many: true },
      { name: 'system-out' },
      { name: 'system-err' },
    ],
  },
  properties: { attrs: {}, children: [{ name: 'property', many: true, min: 1 }] },
  property: {
    attrs: { name: { required: true, type: 'string' }, value: { required: true, type: 'string' } },
    children: [],
  },
  testcase: {
    attrs: {
      name: { required: true, type: 'string' },
      classname: str,
      time: decimal,
      status: str,
      assertions: str,
      file: str,
      line: str,
      group: str,
    },
    children: [
      { name: 'skipped' },
      { name: 'error', many: true },
      { name: 'failure', many: true },
      { name: 'system-out', many: true },
      { name: 'system-err', many: true },
    ],
  },
  skipped: { attrs: { message: str }, children: [], text: true },
  failure: { attrs: { message: str, type: str }, children: [], text: true },
  error: { attrs: { message: str, type: str }, children: [], text: true },
  'system-out': { attrs: {}, children: [], text: true },
  'system-err': { attrs: {}, children: [], text: true },
};

const typeChecks: Record<Attr['type'], RegExp> = {
  string: /^[\s\S]*$/,
  int: /^-?\d+$/,
  // xs:decimal (Surefire's SUREFIRE_TIME also allows thousands separators; we never write them).
  decimal: /^[+-]?(\d+(\.\d*)?|\.\d+)$/,
  // xs:dateTime without a time zone, as the schema's ISO8601_DATETIME_PATTERN.
  timestamp: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/,
};

type Node = Record<string, unknown>;

export function validateJunit(xml: string): string[] {
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) return [`not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`];
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    ignoreDeclaration: true,
  });
  const doc = parser.parse(xml) as Node[];
  const errors: string[] = [];
  const roots = doc.filter((n) => !('#text' in n));
  if (roots.length !== 1) errors.push(`expected one root element, found ${roots.length}`);
  const root = roots[0];
  if (root) {
    const name = elementName(root);
    if (name !== 'testsuites' && name !== 'testsuite')
      errors.push(`root must be testsuites or testsuite, found ${name}`);
    else check(root, name, name, errors);
  }
  return errors;
}

function elementName(node: Node): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}

function check(node: Node, name: string, path: string, errors: string[]): void {
  const rule = rules[name];
  if (!rule) {
    errors.push(`${path}: element <${name}> is not in the schema`);
    return;
  }
  const attrs = (node[':@'] ?? {}) as Record<string, string>;
  for (const [attr, value] of Object.entries(attrs)) {
    const spec = rule.attrs[attr];
    if (!spec) errors.push(`${path}: attribute ${attr} is not allowed`);
    else if (!typeChecks[spec.type].test(value))
      errors.push(`${path}: attribute ${attr}="${value}" is not a valid ${spec.type}`);
  }
  for (const [attr, spec] of Object.entries(rule.attrs)) {
    if (spec.required && !(attr in attrs)) errors.push(`${path}: required attribute ${attr} is missing`);
  }
  const children = (node[name] ?? []) as Node[];
  let at = 0;
  const counts = new Map<string, number>();
  for (const child of children) {
    if ('#text' in child) {
      if (!rule.text && String(child['#text']).trim() !== '') errors.push(`${path}: text is not allowed here`);
      continue;
    }
    const childName = elementName(child);
    const index = rule.children.findIndex((c, i) => i >= at && c.name === childName);
    if (index < 0) {
      errors.push(`${path}: <${childName}> is not allowed here (or out of order)`);
      continue;
    }
    const spec = rule.children[index];
    const seen = (counts.get(childName) ?? 0) + 1;
    counts.set(childName, seen);
    if (spec && !spec.many && seen > 1) errors.push(`${path}: <${childName}> may occur once`);
    at = index;
    check(child, childName, `${path}/${childName}`, errors);
  }
  for (const spec of rule.children) {
    if ((spec.min ?? 0) > (counts.get(spec.name) ?? 0))
      errors.push(`${path}: needs at least ${spec.min} <${spec.name}>`);
  }
}
