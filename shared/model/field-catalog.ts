import { z } from 'zod';

/** Lead field data types, as Marketo's Describe Lead reports them. */
export const fieldTypes = [
  'string',
  'text',
  'email',
  'phone',
  'url',
  'integer',
  'float',
  'currency',
  'score',
  'boolean',
  'date',
  'datetime',
  'reference',
] as const;
export type FieldType = (typeof fieldTypes)[number];

export const leadFieldSchema = z
  .object({
    displayName: z.string().min(1),
    /** The name response mappings use. Absent for REST-only fields, which a mapping cannot target. */
    soapName: z.string().optional(),
    restName: z.string().optional(),
    type: z.enum(fieldTypes),
    /** Maximum length for string fields, when known (Describe Lead's `length`). */
    length: z.number().int().positive().optional(),
    readOnly: z.boolean().optional(),
  })
  .strict();
export type LeadField = z.infer<typeof leadFieldSchema>;

export const fieldCatalogSchema = z.array(leadFieldSchema);
export type FieldCatalog = LeadField[];
