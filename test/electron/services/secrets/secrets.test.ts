import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initCollection } from '@services/collection/index';
import {
  applySecrets,
  createSecrets,
  hostAllowed,
  parseEnvFile,
  secretEnvName,
  type SafeStorage,
} from '@services/secrets/index';
import { openCollection } from '@services/collection/index';
import { StudioError } from '@shared/model/error';
import { tokenContextSchema, webhookSchema } from '@shared/model';

/** Stands in for Electron's safeStorage (which cannot run here): a reversible transform that is not plain text. */
function fakeSafeStorage(available = true): SafeStorage {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Uint8Array.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
    decryptString: (b) => Buffer.from(Buffer.from(b).map((x) => x ^ 0x5a)).toString('utf8'),
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'h3-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('desktop store', () => {
  it('keeps values encrypted under .studio, outside every collection file, and lists names only', async () => {
    await initCollection(path.join(dir, 'c'));
    const c = path.join(dir, 'c');
    const store = createSecrets({ dir: c, safeStorage: fakeSafeStorage() });
    await store.set('Authorization', 'Bearer top-secret-value', ['api.example.com']);
    await store.set('my.API Key', 'k-123');
    expect(store.get('Authorization')).toBe('Bearer top-secret-value');
    expect(store.names()).toEqual(['Authorization', 'my.API Key']);
    const raw = await readFile(path.join(c, '.studio/secrets.json'), 'utf8');
    expect(raw).not.toContain('top-secret-value');
    expect(raw).toContain('api.example.com');
    expect((await stat(path.join(c, '.studio/secrets.json'))).mode & 0o777).toBe(0o600);
    // A fresh store (next launch) reads the same values back.
    expect(createSecrets({ dir: c, safeStorage: fakeSafeStorage() }).get('my.API Key')).toBe('k-123');
    expect((await openCollection(c)).secrets).toEqual(['Authorization', 'my.API Key']);
    await store.delete('my.API Key');
    expect(store.names()).toEqual(['Authorization']);
    for (const f of await readdir(c, { recursive: true })) {
      if (f.startsWith('.studio')) continue;
      const p = path.join(c, f);
      if (f.endsWith('.yaml')) expect(await readFile(p, 'utf8')).not.toContain('top-secret');
    }
  });

  it('refuses a secret for a host it is not bound to, and one with no value', async () => {
    const store = createSecrets({ dir, safeStorage: fakeSafeStorage() });
    await store.set('Authorization', 'Bearer x', ['api.example.com', '*.hooks.example.org']);
    expect(store.resolveFor('Authorization', 'api.example.com')).toEqual({ value: 'Bearer x' });
    expect(store.resolveFor('Authorization', 'eu.hooks.example.org:8443')).toEqual({ value: 'Bearer x' });
    expect(store.resolveFor('Authorization', 'evil.example.com')).toEqual({
      refused: expect.stringContaining('may not be sent to evil.example.com'),
    });
    expect(store.resolveFor('Nope', 'api.example.com')).toEqual({
      refused: expect.stringContaining('WEBHOOK_STUDIO_SECRET_NOPE'),
      missing: true,
    });
  });

  it('never stores a value in plain text when the system offers no encryption', async () => {
    const store = createSecrets({ dir, safeStorage: fakeSafeStorage(false) });
    await expect(store.set('Authorization', 'Bearer x')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(readFile(path.join(dir, '.studio/secrets.json'), 'utf8')).rejects.toThrow();
  });
});

describe('environment store (CLI, browser host)', () => {
  it('reads WEBHOOK_STUDIO_SECRET_<NAME> from the environment and a .env file, environment first', async () => {
    const envFile = path.join(dir, '.env');
    await writeFile(
      envFile,
      '# secrets\nexport WEBHOOK_STUDIO_SECRET_AUTHORIZATION="Bearer from-file"\nWEBHOOK_STUDIO_SECRET_MY_API_KEY=k1 # comment\nWEBHOOK_STUDIO_SECRET_MY_API_KEY_HOSTS=api.example.com\n',
    );
    const store = createSecrets({ dir, env: { WEBHOOK_STUDIO_SECRET_AUTHORIZATION: 'Bearer from-env' }, envFile });
    expect(secretEnvName('my.API Key')).toBe('WEBHOOK_STUDIO_SECRET_MY_API_KEY');
    expect(store.get('Authorization')).toBe('Bearer from-env');
    expect(store.resolveFor('my.API Key', 'api.example.com')).toEqual({ value: 'k1' });
    expect(store.resolveFor('my.API Key', 'other.example.com')).toHaveProperty('refused');
    expect(store.resolveFor('X-Token', 'a')).toEqual({
      refused: expect.stringContaining('WEBHOOK_STUDIO_SECRET_X_TOKEN'),
      missing: true,
    });
    expect(store.names()).toEqual(['AUTHORIZATION', 'MY_API_KEY']);
    await expect(store.set('a', 'b')).rejects.toBeInstanceOf(StudioError);
  });

  it('names a missing .env file clearly', () => {
    expect(() => createSecrets({ dir, envFile: path.join(dir, 'missing.env') })).toThrow(/cannot read the .env file/);
  });

  it('parses .env quoting', () => {
    expect(parseEnvFile(`A='x # y'\nB="a\\nb"\nC=plain # c\nexport D=1\n`)).toEqual({
      A: 'x # y',
      B: 'a\nb',
      C: 'plain',
      D: '1',
    });
  });

  it('reads the .env again when it changes, without a restart', async () => {
    const store = createSecrets({ dir, env: {} });
    expect(store.get('X-Api-Key')).toBeUndefined();
    await writeFile(path.join(dir, '.env'), 'WEBHOOK_STUDIO_SECRET_X_API_KEY=first\n');
    await new Promise((r) => setTimeout(r, 250));
    expect(store.get('X-Api-Key')).toBe('first');
    expect(store.sourceOf('X-Api-Key')).toBe('.env');
    await writeFile(path.join(dir, '.env'), 'WEBHOOK_STUDIO_SECRET_X_API_KEY=second-value\n');
    await new Promise((r) => setTimeout(r, 250));
    expect(store.get('X-Api-Key')).toBe('second-value');
  });
});

describe('per-user private file (browser host, CLI)', () => {
  it('a value stored by one host is read by another at once; the file is 0600 in a 0700 folder', async () => {
    const userData = path.join(dir, 'user-data');
    const collection = path.join(dir, 'c');
    const host = createSecrets({ dir: collection, env: {}, userDataDir: userData });
    const cli = createSecrets({ dir: collection, env: {}, userDataDir: userData });
    expect(host.backend).toBe('private-file');
    expect(cli.resolveFor('X-Api-Key', 'a.example.com')).toMatchObject({ missing: true });
    await host.set('X-Api-Key', 'typed-in-the-browser', ['a.example.com']);
    await new Promise((r) => setTimeout(r, 250));
    expect(cli.resolveFor('X-Api-Key', 'a.example.com')).toEqual({ value: 'typed-in-the-browser' });
    expect(cli.resolveFor('X-Api-Key', 'b.example.com')).toHaveProperty('refused');
    expect(cli.list()).toEqual([{ name: 'X-Api-Key', source: 'store' }]);
    if (process.platform !== 'win32') {
      expect((await stat(path.join(userData, 'secrets.json'))).mode & 0o777).toBe(0o600);
      expect((await stat(userData)).mode & 0o777).toBe(0o700);
    }
    // Another collection has its own values; the environment overrides the store.
    expect(
      createSecrets({ dir: path.join(dir, 'other'), env: {}, userDataDir: userData }).get('X-Api-Key'),
    ).toBeUndefined();
    const overridden = createSecrets({
      dir: collection,
      env: { WEBHOOK_STUDIO_SECRET_X_API_KEY: 'from-env' },
      userDataDir: userData,
    });
    expect(overridden.get('X-Api-Key')).toBe('from-env');
    expect(overridden.sourceOf('X-Api-Key')).toBe('environment');
    await cli.delete('X-Api-Key');
    await new Promise((r) => setTimeout(r, 250));
    expect(host.get('X-Api-Key')).toBeUndefined();
  });
});

describe('applying secrets to a send', () => {
  const webhook = webhookSchema.parse({
    name: 'w',
    url: 'https://api.example.com/x',
    headers: [
      { name: 'Authorization', secret: true, allowedHosts: ['api.example.com'] },
      { name: 'X-Plain', value: 'p' },
    ],
  });
  const context = tokenContextSchema.parse({
    name: 'c',
    my: { 'API Key': { type: 'text', secret: true }, Region: 'EU' },
  });

  it('fills secret headers and My Tokens for an allowed host', () => {
    const store = createSecrets({
      dir,
      env: { WEBHOOK_STUDIO_SECRET_AUTHORIZATION: 'Bearer a', WEBHOOK_STUDIO_SECRET_MY_API_KEY: 'k' },
    });
    const out = applySecrets(webhook, context, 'api.example.com', store);
    expect(out.diagnostics).toEqual([]);
    expect(out.webhook.headers.map((h) => h.value)).toEqual(['Bearer a', 'p']);
    expect(out.context.my['API Key']).toEqual({ type: 'text', secret: true, value: 'k' });
  });

  it('refuses, with an error diagnostic, a host the webhook binds the secret away from', () => {
    const store = createSecrets({
      dir,
      env: { WEBHOOK_STUDIO_SECRET_AUTHORIZATION: 'Bearer a', WEBHOOK_STUDIO_SECRET_MY_API_KEY: 'k' },
    });
    const out = applySecrets(webhook, context, 'attacker.example.net', store);
    expect(out.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'secret-refused',
        location: expect.objectContaining({ part: 'header', index: 0 }),
      }),
    ]);
    expect(out.webhook.headers[0]!.value).toBe('');
  });

  it('host patterns: exact, wildcard subdomain, port', () => {
    expect(hostAllowed('a.example.com', ['example.com'])).toBe(false);
    expect(hostAllowed('example.com', ['*.example.com'])).toBe(false);
    expect(hostAllowed('a.example.com', ['*.example.com'])).toBe(true);
    expect(hostAllowed('example.com:8443', ['example.com:443'])).toBe(false);
    expect(hostAllowed('EXAMPLE.com:8443', ['example.com:8443'])).toBe(true);
    expect(hostAllowed('anything', [])).toBe(true);
  });
});
