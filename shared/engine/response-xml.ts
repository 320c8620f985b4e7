import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { defaultProfile, maxResponseDepthCeiling, type Diagnostic, type Profile } from '../model';
import { isObj, type Obj, type ParsedBody, tooDeep } from './response-tree';

type XmlNode = Record<string, unknown>;

const xmlEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined XML entities and character references; DOCTYPE entities are never expanded. */
function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9A-Fa-f]+|#\d+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return safeCodePoint(parseInt(ref.slice(1), 10)) ?? whole;
    return xmlEntities[ref] ?? whole;
  });
}

function safeCodePoint(cp: number): string | undefined {
  return Number.isInteger(cp) && cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
}

/** The profile's depth, never above the ceiling (a profile handed in unchecked could ask for more). */
export function depthLimit(profile: Partial<Profile>): number {
  const asked = profile.maxResponseDepth ?? defaultProfile.maxResponseDepth;
  return asked >= 1 && asked <= maxResponseDepthCeiling ? asked : maxResponseDepthCeiling;
}

export function xmlParser(profile: Profile): XMLParser {
  return new XMLParser({
    // The parser stops past this many open ancestors (so depth - 1); buildXmlElement recurses once per level.
    maxNestedTags: depthLimit(profile) - 1,
    preserveOrder: true,
    // Entity expansion stays off: a DOCTYPE cannot make the parser expand entities (billion laughs).
    processEntities: false,
    ignoreAttributes: profile.xmlAttributes === 'ignore',
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    removeNSPrefix: false,
  });
}

/** An attribute's value as text (the parser keeps attribute values as strings). */
function attributeText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** An own property even for a name like `__proto__` (an element name is the response's choice). */
export function setOwn(node: XmlNode, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Builds the tree mapping paths walk: an element with only text is its (decoded) text; otherwise an
 * object of child name → element, or → array when the name repeats (spec §4: repeated siblings form an
 * array). Mixed unique and repeated children are warned about: Marketo calls that undefined behaviour.
 */
export function buildXmlElement(
  children: unknown[],
  attrs: Obj | undefined,
  path: string,
  diagnostics: Diagnostic[],
  profile: Profile,
): unknown {
  const groups = new Map<string, unknown[]>();
  let text = '';
  for (const child of children) {
    if (!isObj(child)) continue;
    for (const key of Object.keys(child)) {
      if (key === ':@') continue;
      const value = child[key];
      if (key === '#text') {
        text += typeof value === 'string' || typeof value === 'number' ? String(value) : '';
        continue;
      }
      if (key.startsWith('?') || key === '#comment') continue;
      const childAttrs = isObj(child[':@']) ? child[':@'] : undefined;
      const element = buildXmlElement(
        Array.isArray(value) ? value : [],
        childAttrs,
        `${path}.${key}`,
        diagnostics,
        profile,
      );
      const list = groups.get(key);
      if (list) list.push(element);
      else groups.set(key, [element]);
    }
  }
  const attrKeys = profile.xmlAttributes === 'as-keys' && attrs ? Object.keys(attrs) : [];
  if (groups.size === 0 && attrKeys.length === 0) return decodeXmlText(text);
  const node: XmlNode = {};
  let unique = 0;
  let repeated = 0;
  for (const [name, list] of groups) {
    if (list.length === 1) {
      setOwn(node, name, list[0]);
      unique++;
    } else {
      setOwn(node, name, list);
      repeated++;
    }
  }
  for (const k of attrKeys)
    if (!Object.prototype.hasOwnProperty.call(node, k)) setOwn(node, k, decodeXmlText(attributeText(attrs?.[k])));
  if (unique > 0 && repeated > 0) {
    diagnostics.push({
      severity: 'warning',
      code: 'xml-mixed-children',
      message: `<${path.split('.').pop()}> at ${path} has both unique and repeated child elements; Marketo documents mappings inside such an element as undefined behaviour`,
      location: { part: 'mapping', path },
    });
  }
  return node;
}

/** An XML answer as the tree mapping paths walk (the root element is the first step). */
export function parseXmlBody(body: string, p: Profile): ParsedBody {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('<'))
    return { ok: false, message: 'the response is not XML: it does not start with an element', line: 1, column: 1 };
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- fast-xml-parser 5 still ships it; its successor is not a dependency
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    return {
      ok: false,
      message: `the response is not well-formed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`,
      line: valid.err.line,
      column: valid.err.col,
    };
  }
  let parsed: unknown;
  try {
    parsed = xmlParser(p).parse(body);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // fast-xml-parser's maxNestedTags error: the one place a deep XML body is caught.
    if (/maximum nested tags/i.test(message)) return tooDeep('XML', depthLimit(p));
    return { ok: false, message: `the response is not well-formed XML: ${message}` };
  }
  const diagnostics: Diagnostic[] = [];
  if (/<!DOCTYPE[^>]*\[[\s\S]*<!ENTITY/i.test(body)) {
    diagnostics.push({
      severity: 'warning',
      code: 'xml-entities-not-expanded',
      message:
        'the response declares DOCTYPE entities; they are not expanded (entity expansion is off), so such references stay as written',
    });
  }
  const tree: Obj = {};
  for (const top of Array.isArray(parsed) ? parsed : []) {
    if (!isObj(top)) continue;
    for (const key of Object.keys(top)) {
      if (key === ':@' || key === '#text' || key === '#comment' || key.startsWith('?')) continue;
      const value = top[key];
      const attrs = isObj(top[':@']) ? top[':@'] : undefined;
      setOwn(tree, key, buildXmlElement(Array.isArray(value) ? value : [], attrs, key, diagnostics, p));
    }
  }
  if (Object.keys(tree).length === 0) return { ok: false, message: 'the response holds no XML element' };
  if (p.xmlAttributes === 'as-keys' && /<[^!?/][^>]*\s[\w:-]+\s*=/.test(body)) {
    diagnostics.push({
      severity: 'info',
      code: 'xml-attributes',
      message: 'XML attributes are reachable as keys (profile xmlAttributes: as-keys)',
    });
  }
  return { ok: true, tree, diagnostics };
}
