import type { Exchange, FieldCatalog, Profile, TokenContext, Webhook } from '@shared/model';
import type { ProgressPhase } from './hop';

export interface SenderOptions {
  /** An explicit proxy URL, `env` (HTTP_PROXY / HTTPS_PROXY / NO_PROXY; the default) or `none`. */
  proxy?: string;
  noProxy?: string;
  /** Extra CA certificates (PEM texts), trusted besides the system's. */
  extraCa?: string[];
  clientCert?: {
    pem?: { cert: string; key: string; passphrase?: string };
    pfx?: { data: Uint8Array; passphrase?: string };
  };
  /** Verify server certificates (default true). */
  verifyTls?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Bodies over 1 MiB are streamed to a private folder in here (default: the OS temp folder); see spill.ts. */
  tempDir?: string;
  /** Body files outlive the process (the person was told their path); a later start sweeps them after a day. */
  keepBodyFiles?: boolean;
  /** The built-in catcher's base URL, for target 'catcher'. */
  catcherUrl?: () => Promise<string>;
}

/** Why a secret was not given for a host (no stored value, or a host it is not bound to). */
export interface SecretRefusal {
  refused: string;
  /** No value anywhere (rather than a host it is not bound to). */
  missing?: boolean;
}

export interface SendInput {
  sendId: string;
  webhook: Webhook;
  webhookName?: string;
  contextName?: string;
  context: TokenContext;
  fields?: FieldCatalog;
  profile?: Partial<Profile>;
  target?: 'url' | 'catcher';
  onProgress?: (p: { phase: ProgressPhase; atMs: number }) => void;
  /** The value of a secret (a header's, named after the header, or a My Token's, `my.<token>`) for a request to `host`. */
  resolveSecret?: (name: string, host: string) => string | SecretRefusal;
}

export interface Sender {
  send(input: SendInput): Promise<Exchange>;
  cancel(sendId: string): boolean;
  close(): Promise<void>;
}
