import { z } from 'zod';

/** Marketo's Request Type drop-down (the user guide lists all five). */
export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof httpMethods)[number];

/** Marketo's "Request Token Encoding": None, JSON, Form/Url. */
export const tokenEncodings = ['none', 'json', 'form-url'] as const;
export type TokenEncoding = (typeof tokenEncodings)[number];

/** Marketo's "Response type": None, JSON, XML. */
export const responseTypes = ['none', 'json', 'xml'] as const;
export type ResponseType = (typeof responseTypes)[number];

export const webhookHeaderSchema = z
  .object({
    name: z.string(),
    /** May hold tokens. Absent on disk when `secret` is set: the value lives in the secrets store. */
    value: z.string().default(''),
    /** A secret header value is never written into the collection. */
    secret: z.boolean().optional(),
    /** Hosts a secret may be sent to; any other host refuses the request. Empty or absent: any host. */
    allowedHosts: z.array(z.string()).optional(),
  })
  .strict();
export type WebhookHeader = z.infer<typeof webhookHeaderSchema>;

export const responseMappingSchema = z
  .object({
    /** Marketo's "Response Attribute": a dotted path with integer `[n]` indexes. */
    attribute: z.string(),
    /** Marketo's "Marketo Field": the lead field's SOAP API name. */
    field: z.string(),
  })
  .strict();
export type ResponseMapping = z.infer<typeof responseMappingSchema>;

export const webhookSchema = z
  .object({
    name: z.string().min(1, 'a webhook needs a name'),
    description: z.string().optional(),
    url: z.string(),
    method: z.enum(httpMethods).default('POST'),
    template: z.string().default(''),
    encoding: z.enum(tokenEncodings).default('none'),
    responseType: z.enum(responseTypes).default('none'),
    headers: z.array(webhookHeaderSchema).default([]),
    mappings: z.array(responseMappingSchema).default([]),
  })
  .strict();
export type Webhook = z.infer<typeof webhookSchema>;
/** What a file may omit (defaults filled by the schema). */
export type WebhookInput = z.input<typeof webhookSchema>;
