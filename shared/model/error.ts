import { z } from 'zod';

/** An error that crosses a boundary: a stable code, a message a person can act on, and where. */
export const studioErrorSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    where: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() }).strict()).optional(),
  })
  .strict();
export type StudioErrorShape = z.infer<typeof studioErrorSchema>;

export class StudioError extends Error {
  readonly code: string;
  readonly where: string | undefined;
  readonly issues: { path: string; message: string }[] | undefined;
  constructor(shape: StudioErrorShape) {
    super(shape.message);
    this.name = 'StudioError';
    this.code = shape.code;
    this.where = shape.where;
    this.issues = shape.issues;
  }
  toJSON(): StudioErrorShape {
    return { code: this.code, message: this.message, where: this.where, issues: this.issues };
  }
}
