import { z } from 'zod';

/**
 * A "Webhook is Called" trigger as a smart campaign defines it (DEV-ERR; TK-WIC; UG-USE): which webhook,
 * and constraints on the call's Response ("the literal response payload") and Error Type ("the
 * Reason-Phrase of the HTTP status message"). The collection keeps them in `triggers.yaml`.
 */

/** What a constraint reads from the call: the two attributes DEV-ERR names. */
export const triggerAttributes = ['response', 'errorType'] as const;
export type TriggerAttribute = (typeof triggerAttributes)[number];

/**
 * Marketo's operators for a string constraint in a smart list or trigger. The cited sources name the
 * constraints but not their operators; this list is the set Marketo's smart-list editor offers for a
 * string (docs/marketo-behaviours.md, "Trigger operators").
 */
export const triggerOperators = [
  'is',
  'is-not',
  'contains',
  'not-contains',
  'starts-with',
  'not-starts-with',
  'is-empty',
  'is-not-empty',
] as const;
export type TriggerOperator = (typeof triggerOperators)[number];

/** The operators that take no value. */
export const valuelessOperators: ReadonlySet<TriggerOperator> = new Set(['is-empty', 'is-not-empty']);

/** How each operator reads in Marketo's words. */
export const operatorLabels: Record<TriggerOperator, string> = {
  is: 'is',
  'is-not': 'is not',
  contains: 'contains',
  'not-contains': 'not contains',
  'starts-with': 'starts with',
  'not-starts-with': 'not starts with',
  'is-empty': 'is empty',
  'is-not-empty': 'is not empty',
};

export const attributeLabels: Record<TriggerAttribute, string> = { response: 'Response', errorType: 'Error Type' };

export const triggerConstraintSchema = z
  .object({
    attribute: z.enum(triggerAttributes),
    operator: z.enum(triggerOperators),
    /** Several values are alternatives: a positive operator matches any of them, a negated one none of them. */
    values: z.array(z.string()).default([]),
  })
  .strict()
  .refine((c) => valuelessOperators.has(c.operator) || c.values.length > 0, {
    message: 'this operator needs at least one value',
    path: ['values'],
  });
export type TriggerConstraint = z.infer<typeof triggerConstraintSchema>;

export const triggerSchema = z
  .object({
    name: z.string().min(1, 'a trigger needs a name'),
    /** "Webhook is": the webhooks (by name) the trigger listens to; empty means any webhook. */
    webhooks: z.array(z.string()).default([]),
    constraints: z.array(triggerConstraintSchema).default([]),
  })
  .strict();
export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerInput = z.input<typeof triggerSchema>;

export const triggerListSchema = z.array(triggerSchema);

/** Whether (and why) one trigger fires for one call. */
export const triggerResultSchema = z
  .object({
    name: z.string(),
    fires: z.boolean(),
    /** Each reason in a sentence: the first failing constraint when it does not fire, every matched one when it does. */
    because: z.string(),
    /** The profile options whose assumed defaults shaped this answer. */
    assumed: z.array(z.string()).optional(),
  })
  .strict();
export type TriggerResult = z.infer<typeof triggerResultSchema>;
