import type { FieldCatalog, FieldType, LeadField, Profile, Scalar, TokenContext } from '../model';
import { catalogIndex, findFieldIn, type CatalogIndex } from '../catalog';
import type { TokenValue, UseOption } from './encode';
import { formatSystemTime } from './system-time';

/** Whether a field type holds a number. Speed: docs/performance.md#engine */
function isNumericType(type: FieldType): boolean {
  return type === 'integer' || type === 'float' || type === 'currency' || type === 'score';
}

export interface Resolution {
  /** False when the context has no such value at all (the token renders empty, with a warning). */
  found: boolean;
  value: TokenValue;
  field?: LeadField;
  /** Why it did not resolve, when that is more than "not in the context". */
  note?: string;
  /** Set for a secret My Token: the secret's name (`my.<token>`); its value is masked wherever it is recorded. */
  secret?: string;
}

type Table = Record<string, Scalar>;

/** What a table lookup returns when the key is absent (a value of its own, so null stays a value). */
const ABSENT: unique symbol = Symbol('absent');

/**
 * Key lookup over a context table: the key as written first (the usual case, and free), then a
 * case-insensitive index built only when a token spells the key differently.
 */
class TableIndex {
  private lowered: Map<string, Scalar> | undefined;
  constructor(private readonly table: Table) {}
  private find(name: string): Scalar | typeof ABSENT {
    if (Object.hasOwn(this.table, name)) return this.table[name] ?? null;
    if (!this.lowered) {
      this.lowered = new Map();
      for (const key of Object.keys(this.table)) {
        const k = key.trim().toLowerCase();
        if (!this.lowered.has(k)) this.lowered.set(k, this.table[key] ?? null);
      }
    }
    const v = this.lowered.get(name.trim().toLowerCase());
    return v === undefined ? ABSENT : v;
  }
  /** The value under the token's name, else under any of the lead field's names. */
  lookup(name: string, field: LeadField | undefined): Scalar | typeof ABSENT {
    // The key as written, checked here first (the usual token): one call less per token before the code is optimised.
    if (Object.hasOwn(this.table, name)) return this.table[name] ?? null;
    const direct = this.find(name);
    if (direct !== ABSENT || !field) return direct;
    for (const n of [field.displayName, field.soapName, field.restName]) {
      if (n === undefined) continue;
      const r = this.find(n);
      if (r !== ABSENT) return r;
    }
    return ABSENT;
  }
}

let lastCatalog: FieldCatalog | undefined;
let lastIndex: CatalogIndex | undefined;

/** The catalog's index; the previous render's catalog is the usual one (a run renders every lead with it). */
function indexOf(catalog: FieldCatalog): CatalogIndex {
  if (catalog !== lastCatalog || lastIndex === undefined) {
    lastCatalog = catalog;
    lastIndex = catalogIndex(catalog);
  }
  return lastIndex;
}

export class Resolver {
  private readonly lead: TableIndex;
  private companyIndex: TableIndex | undefined;
  /** Indexes of the other context tables, made when a token first asks one (most renders ask only lead). */
  private tables: Map<string, TableIndex> | undefined;
  private my: Map<string, { type: string; value: Scalar | undefined; secret?: string }> | undefined;
  /** What a secret My Token without a value renders as (the preview, `render`): never an empty value that reads as sent. */
  secretPlaceholder = '••••••';
  /** Render every secret as the placeholder, whatever value it has (the preview). */
  maskSecrets = false;
  /** Set when a system time token fell back to the machine's clock or to UTC (the render says so). */
  clockFallbacks: { now: boolean; timeZone: boolean } | undefined;
  private readonly fields: CatalogIndex;

  constructor(
    private readonly context: TokenContext,
    catalog: FieldCatalog,
    private readonly profile: Profile,
    private readonly use: UseOption,
  ) {
    this.fields = indexOf(catalog);
    this.lead = new TableIndex(context.lead);
  }

  private get company(): TableIndex {
    this.companyIndex ??= new TableIndex(this.context.company);
    return this.companyIndex;
  }

  private table(namespace: string): TableIndex | undefined {
    const known = this.tables?.get(namespace);
    if (known) return known;
    const c = this.context;
    const source =
      namespace === 'program'
        ? c.program
        : namespace === 'campaign'
          ? c.campaign
          : namespace === 'trigger'
            ? c.trigger
            : namespace === 'member'
              ? c.member
              : null;
    if (source === null) return undefined;
    const index = new TableIndex(source);
    (this.tables ??= new Map()).set(namespace, index);
    return index;
  }

  private myToken(name: string): { type: string; value: Scalar | undefined; secret?: string } | undefined {
    if (!this.my) {
      this.my = new Map();
      for (const [key, token] of Object.entries(this.context.my)) {
        const k = key.trim().toLowerCase();
        if (this.my.has(k)) continue;
        if (token !== null && typeof token === 'object')
          this.my.set(
            k,
            token.secret
              ? { type: token.type, value: token.value, secret: `my.${key}` }
              : { type: token.type, value: token.value },
          );
        else this.my.set(k, { type: 'text', value: token });
      }
    }
    return this.my.get(name.trim().toLowerCase());
  }

  resolve(namespace: string, name: string): Resolution {
    switch (namespace) {
      case 'lead': {
        const r = this.leadValue(this.lead, name);
        return r.found || name.trim().toLowerCase() !== 'full name' ? r : this.fullName(r);
      }
      case 'company': {
        const field = findFieldIn(this.fields, name);
        const r = this.company.lookup(name, field);
        return r !== ABSENT ? this.typed(r, field) : this.leadValue(this.lead, name);
      }
      case 'my': {
        const token = this.myToken(name);
        if (!token) return missing();
        const numeric = token.type === 'number' || token.type === 'score';
        if (token.secret !== undefined) {
          const hidden = this.maskSecrets || token.value === undefined || token.value === null;
          return {
            found: true,
            value: hidden
              ? { text: this.secretPlaceholder, numeric: false, boolean: false }
              : this.textOf(token.value ?? null, numeric, false),
            secret: token.secret,
          };
        }
        return { found: true, value: this.textOf(token.value ?? null, numeric, false) };
      }
      case 'system':
        return this.systemValue(name);
      default: {
        const table = this.table(namespace);
        const v = table ? table.lookup(name, undefined) : ABSENT;
        if (v === ABSENT) return missing();
        return { found: true, value: this.textOf(v, typeof v === 'number', typeof v === 'boolean') };
      }
    }
  }

  /**
   * `{{lead.Full Name}}` with no Full Name in the context: Marketo composes it, how is not documented
   * (profile fullName); by default First Name and Last Name joined by a space, skipping an empty one.
   */
  private fullName(absent: Resolution): Resolution {
    this.use('fullName');
    if (this.profile.fullName !== 'first-last') return absent;
    const parts: string[] = [];
    for (const part of ['First Name', 'Last Name']) {
      const r = this.leadValue(this.lead, part);
      if (r.found && r.value.text.trim() !== '') parts.push(r.value.text.trim());
    }
    if (parts.length === 0) return absent;
    return { found: true, value: { text: parts.join(' '), numeric: false, boolean: false } };
  }

  private leadValue(table: TableIndex, name: string): Resolution {
    const field = findFieldIn(this.fields, name);
    const r = table.lookup(name, field);
    if (r !== ABSENT) return this.typed(r, field);
    // A literal, not `{ ...missing(), field }`: V8 makes a spread copy slow to extend.
    return field ? { found: false, value: { text: '', numeric: false, boolean: false }, field } : missing();
  }

  private typed(v: Scalar, field: LeadField | undefined): Resolution {
    const numeric = field ? isNumericType(field.type) : typeof v === 'number';
    const boolean = field ? field.type === 'boolean' : typeof v === 'boolean';
    const value = this.textOf(v, numeric, boolean);
    // Literals, not a property added later: V8 makes an object that grows a property slower to build.
    return field ? { found: true, value, field } : { found: true, value };
  }

  private textOf(v: Scalar, numeric: boolean, boolean: boolean): TokenValue {
    if (v === null) return { text: '', numeric, boolean };
    if (typeof v === 'boolean' || (boolean && typeof v === 'string' && /^(true|false|1|0)$/i.test(v.trim()))) {
      const truth = typeof v === 'boolean' ? v : /^(true|1)$/i.test(v.trim());
      this.use('booleanFormat');
      const f = this.profile.booleanFormat;
      const text =
        f === '1-0' ? (truth ? '1' : '0') : f === 'TRUE-FALSE' ? (truth ? 'TRUE' : 'FALSE') : truth ? 'true' : 'false';
      return { text, numeric: f === '1-0' && numeric, boolean: true };
    }
    // Line breaks become spaces in the renderer (one pass over the value does that and more).
    return { text: typeof v === 'number' ? String(v) : v, numeric, boolean };
  }

  private systemValue(name: string): Resolution {
    const n = name.trim().toLowerCase();
    if (n !== 'date' && n !== 'time' && n !== 'datetime') {
      const emailOnly = n === 'unsubscribelink' || n === 'viewaswebpagelink' || n === 'forwardtofriendlink';
      return {
        ...missing(),
        note: emailOnly
          ? `{{system.${name}}} is an email-only token; it has no value in a webhook`
          : `{{system.${name}}} is not a system token Marketo documents`,
      };
    }
    const now = this.context.system.now;
    if (now === undefined || this.context.system.timeZone === undefined) {
      this.clockFallbacks ??= { now: false, timeZone: false };
      if (now === undefined) this.clockFallbacks.now = true;
      if (this.context.system.timeZone === undefined) this.clockFallbacks.timeZone = true;
    }
    const instant = now !== undefined ? new Date(now) : new Date();
    if (Number.isNaN(instant.getTime()))
      return { ...missing(), note: `the context's system.now '${now}' is not an ISO 8601 instant` };
    const timeZone = this.context.system.timeZone ?? 'UTC';
    try {
      return {
        found: true,
        value: { text: formatSystemTime(n, instant, timeZone), numeric: false, boolean: false },
      };
    } catch {
      return { ...missing(), note: `the context's time zone '${timeZone}' is not an IANA time zone` };
    }
  }
}

function missing(): Resolution {
  return { found: false, value: { text: '', numeric: false, boolean: false } };
}
