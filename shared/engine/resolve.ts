import type { FieldCatalog, FieldType, LeadField, Profile, Scalar, TokenContext } from '../model';
import { findField } from '../catalog';
import type { TokenValue, UseOption } from './encode';
import { formatSystemTime, type SystemTimeToken } from './system-time';

const numericTypes: ReadonlySet<FieldType> = new Set<FieldType>(['integer', 'float', 'currency', 'score']);

export interface Resolution {
  /** False when the context has no such value at all (the token renders empty, with a warning). */
  found: boolean;
  value: TokenValue;
  field?: LeadField;
  /** Why it did not resolve, when that is more than "not in the context". */
  note?: string;
}

type Table = Record<string, Scalar>;

/** Lower-cased key lookup over a context table, built once per render. */
class TableIndex {
  private readonly map = new Map<string, Scalar>();
  constructor(table: Table) {
    for (const key of Object.keys(table)) {
      const k = key.trim().toLowerCase();
      if (!this.map.has(k)) this.map.set(k, table[key] ?? null);
    }
  }
  get(name: string | undefined): Scalar | undefined {
    return name === undefined ? undefined : this.map.get(name.trim().toLowerCase());
  }
  has(name: string | undefined): boolean {
    return name !== undefined && this.map.has(name.trim().toLowerCase());
  }
}

export class Resolver {
  private readonly lead: TableIndex;
  private readonly company: TableIndex;
  private readonly tables: Record<string, TableIndex>;
  private readonly my = new Map<string, { type: string; value: Scalar | undefined }>();
  private readonly cache = new Map<string, Resolution>();

  constructor(
    private readonly context: TokenContext,
    private readonly catalog: FieldCatalog,
    private readonly profile: Profile,
    private readonly use: UseOption,
  ) {
    this.lead = new TableIndex(context.lead ?? {});
    this.company = new TableIndex(context.company ?? {});
    this.tables = {
      program: new TableIndex(context.program ?? {}),
      campaign: new TableIndex(context.campaign ?? {}),
      trigger: new TableIndex(context.trigger ?? {}),
      member: new TableIndex(context.member ?? {}),
    };
    for (const [key, token] of Object.entries(context.my ?? {})) {
      const k = key.trim().toLowerCase();
      if (this.my.has(k)) continue;
      if (token !== null && typeof token === 'object') this.my.set(k, { type: token.type ?? 'text', value: token.value });
      else this.my.set(k, { type: 'text', value: token });
    }
  }

  resolve(namespace: string, name: string): Resolution {
    const key = `${namespace}\u0000${name.toLowerCase()}`;
    let r = this.cache.get(key);
    if (!r) {
      r = this.compute(namespace, name);
      this.cache.set(key, r);
    }
    return r;
  }

  private compute(namespace: string, name: string): Resolution {
    switch (namespace) {
      case 'lead':
        return this.leadValue(this.lead, name);
      case 'company': {
        const field = findField(this.catalog, name);
        for (const n of [name, field?.displayName, field?.soapName, field?.restName]) {
          if (this.company.has(n)) return this.typed(this.company.get(n) ?? null, field);
        }
        return this.leadValue(this.lead, name);
      }
      case 'my': {
        const token = this.my.get(name.trim().toLowerCase());
        if (!token) return missing();
        const numeric = token.type === 'number' || token.type === 'score';
        return { found: true, value: this.textOf(token.value ?? null, numeric, false) };
      }
      case 'system':
        return this.systemValue(name);
      default: {
        const table = this.tables[namespace];
        if (!table || !table.has(name)) return missing();
        const v = table.get(name) ?? null;
        return { found: true, value: this.textOf(v, typeof v === 'number', typeof v === 'boolean') };
      }
    }
  }

  private leadValue(table: TableIndex, name: string): Resolution {
    const field = findField(this.catalog, name);
    for (const n of [name, field?.displayName, field?.soapName, field?.restName]) {
      if (table.has(n)) return this.typed(table.get(n) ?? null, field);
    }
    return field ? { ...missing(), field } : missing();
  }

  private typed(v: Scalar, field: LeadField | undefined): Resolution {
    const numeric = field ? numericTypes.has(field.type) : typeof v === 'number';
    const boolean = field ? field.type === 'boolean' : typeof v === 'boolean';
    const r: Resolution = { found: true, value: this.textOf(v, numeric, boolean) };
    if (field) r.field = field;
    return r;
  }

  private textOf(v: Scalar, numeric: boolean, boolean: boolean): TokenValue {
    if (v === null) return { text: '', numeric, boolean };
    if (typeof v === 'boolean' || (boolean && typeof v === 'string' && /^(true|false|1|0)$/i.test(v.trim()))) {
      const truth = typeof v === 'boolean' ? v : /^(true|1)$/i.test(v.trim());
      this.use('booleanFormat');
      const f = this.profile.booleanFormat;
      const text = f === '1-0' ? (truth ? '1' : '0') : f === 'TRUE-FALSE' ? (truth ? 'TRUE' : 'FALSE') : truth ? 'true' : 'false';
      return { text, numeric: f === '1-0' && numeric, boolean: true };
    }
    // Marketo turns line breaks in field values into spaces (spec §2.3, TK-NL).
    const text = typeof v === 'number' ? String(v) : v.replace(/\r\n|\r|\n/g, ' ');
    return { text, numeric, boolean };
  }

  private systemValue(name: string): Resolution {
    const n = name.trim().toLowerCase();
    if (n !== 'date' && n !== 'time' && n !== 'datetime') {
      const emailOnly = n === 'unsubscribelink' || n === 'viewaswebpagelink' || n === 'forwardtofriendlink';
      return { ...missing(), note: emailOnly ? `{{system.${name}}} is an email-only token; it has no value in a webhook` : `{{system.${name}}} is not a system token Marketo documents` };
    }
    const now = this.context.system?.now;
    const instant = now !== undefined ? new Date(now) : new Date();
    if (Number.isNaN(instant.getTime())) return { ...missing(), note: `the context's system.now '${now}' is not an ISO 8601 instant` };
    const timeZone = this.context.system?.timeZone ?? 'UTC';
    try {
      return { found: true, value: { text: formatSystemTime(n as SystemTimeToken, instant, timeZone), numeric: false, boolean: false } };
    } catch {
      return { ...missing(), note: `the context's time zone '${timeZone}' is not an IANA time zone` };
    }
  }
}

function missing(): Resolution {
  return { found: false, value: { text: '', numeric: false, boolean: false } };
}
