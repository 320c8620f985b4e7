import { z } from 'zod';
import type { ProfileOption } from './profile';

export const severities = ['error', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

/** Which part of a webhook (or file) a diagnostic points into. */
export const locationSchema = z
  .object({
    part: z.enum(['url', 'template', 'header', 'mapping', 'context', 'webhook', 'file']),
    /** Header or mapping row. */
    index: z.number().int().optional(),
    /** Within a header or mapping row. */
    field: z.enum(['name', 'value', 'attribute', 'field']).optional(),
    /** 1-based line and column, and 0-based offset and length in the source text. */
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    offset: z.number().int().optional(),
    length: z.number().int().optional(),
    file: z.string().optional(),
    /** Dotted path of a field in a file (e.g. `mappings.2.field`). */
    path: z.string().optional(),
  })
  .strict();
export type Location = z.infer<typeof locationSchema>;

export const diagnosticSchema = z
  .object({
    severity: z.enum(severities),
    /** Stable, kebab-case (e.g. `json-double-quoted-token`); tests and users may rely on it. */
    code: z.string(),
    message: z.string(),
    location: locationSchema.optional(),
    /** The profile options whose assumed defaults shaped this output. */
    assumed: z.array(z.string()).optional(),
  })
  .strict();
export type Diagnostic = Omit<z.infer<typeof diagnosticSchema>, 'assumed'> & { assumed?: ProfileOption[] };

/** A file that did not load: which file, where in it, and why. The file itself is left untouched. */
export const fileProblemSchema = z
  .object({
    file: z.string(),
    line: z.number().int().optional(),
    column: z.number().int().optional(),
    /** Dotted field path inside the document, e.g. `mappings.0.field`. */
    path: z.string().optional(),
    code: z.string(),
    message: z.string(),
  })
  .strict();
export type FileProblem = z.infer<typeof fileProblemSchema>;
