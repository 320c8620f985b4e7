// What the secrets service offers, apart from the code, so its parts share it without importing index.
/** What the desktop shell injects from Electron's `safeStorage`; services never import Electron. */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  encryptString(s: string): Uint8Array;
  decryptString(b: Uint8Array): string;
}

/** Where a secret's value comes from, as the studio shows it. */
export type SecretSource = 'environment' | '.env' | 'store';

export interface SecretStore {
  /**
   * Where `set` writes: the OS keychain through Electron's safeStorage (desktop), or a private file in
   * the user-data folder, readable only by this user but not encrypted (browser host, CLI).
   */
  readonly backend: 'safe-storage' | 'private-file';
  get(name: string): string | undefined;
  /** Which source gives `name` its value (the environment and .env override the store); undefined when none. */
  sourceOf(name: string): SecretSource | undefined;
  set(name: string, value: string, allowedHosts?: string[]): Promise<void>;
  delete(name: string): Promise<void>;
  /** Every secret with a value, from any source, with where it comes from. */
  list(): Array<{ name: string; source: SecretSource }>;
  names(): string[];
  /** The value for a request to `host`, or why it is refused (no value anywhere, or a host it is not bound to). */
  resolveFor(name: string, host: string): { value: string } | { refused: string; missing?: boolean };
}
