import type { FieldType, MyTokenType, Scalar } from '@shared/model';

const numericTypes: FieldType[] = ['integer', 'float', 'currency', 'score'];

/** Turns what was typed into the value a lead field of this type holds: numbers stay numbers, Booleans Booleans. */
export function coerceForType(raw: string, type: FieldType | MyTokenType | undefined): Scalar {
  if (raw === '') return '';
  if ((type && (numericTypes as string[]).includes(type)) || type === 'number') {
    const n = Number(raw);
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
  }
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/** A token value as a field shows it: nothing for no value. */
export function show(v: Scalar | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}
