import { z } from 'zod';

/** A token value as it sits in a context: text, a number, a Boolean, or nothing. */
export const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalarSchema>;

/**
 * My Token types from Marketo's program token menu (UG-MY). `email-script` (Velocity) is documented for
 * emails only; it is here so a context can hold one and lint can say it does not belong in a webhook.
 */
export const myTokenTypes = ['text', 'number', 'date', 'score', 'rich-text', 'email-script'] as const;
export type MyTokenType = (typeof myTokenTypes)[number];

export const myTokenSchema = z.union([
  scalarSchema,
  z
    .object({
      type: z.enum(myTokenTypes).default('text'),
      value: scalarSchema.optional(),
      /** A secret My Token's value is never written into the collection. */
      secret: z.boolean().optional(),
      allowedHosts: z.array(z.string()).optional(),
    })
    .strict(),
]);
export type MyToken = z.infer<typeof myTokenSchema>;

const tokenTable = z.record(z.string(), scalarSchema);

export const campaignTypes = ['trigger', 'batch'] as const;
export type CampaignType = (typeof campaignTypes)[number];

export const tokenContextSchema = z
  .object({
    name: z.string().min(1, 'a context needs a name'),
    description: z.string().optional(),
    /** Keys are display names or SOAP API names of lead fields. */
    lead: tokenTable.default({}),
    company: tokenTable.default({}),
    my: z.record(z.string(), myTokenSchema).default({}),
    program: tokenTable.default({}),
    /** `Type: trigger | batch` decides whether Marketo calls the webhook at all (batch: code 1000). */
    campaign: tokenTable.default({}),
    trigger: tokenTable.default({}),
    member: tokenTable.default({}),
    system: z
      .object({
        /** The clock for system.date / time / dateTime, as an ISO 8601 instant, so renders are reproducible. */
        now: z.string().optional(),
        /** The Marketo account's time zone (IANA name). */
        timeZone: z.string().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
export type TokenContext = z.infer<typeof tokenContextSchema>;
export type TokenContextInput = z.input<typeof tokenContextSchema>;

/** A context with every token table empty (Marketo still renders: each token is empty), plus what is given. */
export function emptyTokenContext(name: string, given: Partial<TokenContext> = {}): TokenContext {
  return {
    name,
    lead: {},
    company: {},
    my: {},
    program: {},
    campaign: {},
    trigger: {},
    member: {},
    system: {},
    ...given,
  };
}

export const tokenNamespaces = ['lead', 'company', 'my', 'program', 'campaign', 'trigger', 'system', 'member'] as const;
export type TokenNamespace = (typeof tokenNamespaces)[number];
