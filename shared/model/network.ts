import { z } from 'zod';

/**
 * The collection's network settings (`network:` in collection.yaml): how every send and run of the
 * collection connects. Paths are relative to the collection folder, or absolute. No credential is ever
 * written here: a proxy password and a PFX or key passphrase are named secrets, kept in the secret store.
 */

/** An http:// or https:// proxy URL, `host:port` taken as http; its problem in words, or undefined when it is fine. */
export function proxyUrlProblem(raw: string): string | undefined {
  const text = raw.trim();
  if (text === '') return 'the proxy URL is empty (leave the key out to use the environment)';
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/?)$/i.exec(withScheme);
  if (!m) return `'${raw}' is not a proxy URL (expected http://host:port or https://host:port, with no path)`;
  const scheme = (m[1] ?? '').toLowerCase();
  const authority = m[2] ?? '';
  if (authority.includes('@'))
    return 'the proxy URL holds a user or password: put the user in proxyUser and the password in a secret named by proxyPasswordSecret';
  if (scheme !== 'http' && scheme !== 'https')
    return `only http:// and https:// proxies are supported (HTTPS webhooks are tunnelled through them with CONNECT), not '${scheme}://'`;
  const hostPort = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:(\d{1,5}))?$/i.exec(authority);
  if (!hostPort) return `'${raw}' is not a proxy URL (expected http://host:port or https://host:port)`;
  const port = hostPort[4];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
    return `'${raw}' has port ${port}, outside 1 to 65535`;
  return undefined;
}

/** A secret's name as the secret store keeps it (no value ever goes in collection.yaml). */
const secretName = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `the name of the secret that holds the ${what} is empty`)
    .max(200)
    .refine((s) => !/[\r\n]/.test(s), 'a secret name is one line');

/** A file path: relative to the collection folder, or absolute. */
const filePath = (what: string) => z.string().trim().min(1, `the ${what} file path is empty`);

export const networkSchema = z
  .object({
    /** `http://host:port` or `https://host:port`, or `none` for a direct connection even when HTTP_PROXY is set; absent: the environment. */
    proxy: z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        const problem = v === undefined || v.trim() === 'none' ? undefined : proxyUrlProblem(v);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
    proxyUser: z.string().min(1, 'the proxy user is empty').optional(),
    proxyPasswordSecret: secretName('proxy password').optional(),
    /** Hosts that go direct (NO_PROXY syntax: `localhost`, `.example.com`, `10.0.0.1:8080`). */
    noProxy: z.array(z.string().trim().min(1, 'an empty host in the no-proxy list')).optional(),
    /** An extra CA certificate (PEM), trusted besides the system's. */
    ca: filePath('CA certificate').optional(),
    clientCert: filePath('client certificate').optional(),
    clientKey: filePath('client key').optional(),
    pfx: filePath('PFX').optional(),
    /** The secret that holds the passphrase of the client key or PFX. */
    passphraseSecret: secretName('key or PFX passphrase').optional(),
    /** Verify server certificates and their names; off only to test against a service with a broken certificate. */
    verifyTls: z.boolean().default(true),
  })
  .strict()
  .superRefine((n, ctx) => {
    if ((n.clientCert === undefined) !== (n.clientKey === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [n.clientCert === undefined ? 'clientCert' : 'clientKey'],
        message: 'clientCert and clientKey go together: give both, or use pfx',
      });
    if (n.pfx !== undefined && n.clientCert !== undefined)
      ctx.addIssue({ code: 'custom', path: ['pfx'], message: 'give either clientCert/clientKey or pfx, not both' });
    if (n.proxyPasswordSecret !== undefined && n.proxyUser === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['proxyUser'],
        message: 'a proxy password secret needs the proxy user it belongs to',
      });
  });
export type NetworkSettings = z.infer<typeof networkSchema>;
export type NetworkSettingsInput = z.input<typeof networkSchema>;

/** The keys of the network section that name a file. */
export const networkFileKeys = ['ca', 'clientCert', 'clientKey', 'pfx'] as const;
export type NetworkFileKey = (typeof networkFileKeys)[number];

/** What a file check found: the path as written, and whether it can be read (and why not). */
export const networkFileCheckSchema = z
  .object({
    key: z.enum(networkFileKeys),
    path: z.string(),
    readable: z.boolean(),
    message: z.string(),
  })
  .strict();
export type NetworkFileCheck = z.infer<typeof networkFileCheckSchema>;

/** What each key means, in words, for the settings view and the README. */
export const networkKeyDocs: Record<keyof NetworkSettings, string> = {
  proxy:
    'Send through this proxy (http://host:port, or https://host:port for TLS to the proxy, checked like any server). Empty: use HTTP_PROXY / HTTPS_PROXY from the environment.',
  proxyUser: 'The user name the proxy asks for, if it asks for one.',
  proxyPasswordSecret: 'The secret that holds the proxy password (kept in the secret store, never in the collection).',
  noProxy: 'Hosts that go direct, not through the proxy, separated by commas (e.g. localhost, .internal.example).',
  ca: 'An extra CA certificate (PEM) to trust besides the system ones, for a service with a private CA.',
  clientCert: 'The client certificate (PEM) sent to services that ask for one.',
  clientKey: 'The private key (PEM) of the client certificate.',
  pfx: 'Or: the client certificate and key together in one PFX / PKCS#12 file.',
  passphraseSecret: 'The secret that holds the passphrase of the client key or PFX, if it has one.',
  verifyTls: 'Check server certificates and host names. Turn off only to test a service with a broken certificate.',
};

/** What collection.yaml holds for these settings: defaults left out, so an untouched collection gains no key. */
export function networkDiskForm(n: NetworkSettings): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(n) as [string, unknown][]) {
    if (value === undefined || (key === 'verifyTls' && value === true)) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
