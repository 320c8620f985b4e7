import { describe, expect, it } from 'vitest';
import { settingsDiskForm, settingsSchema } from '@shared/formats/collection-files';
import { readModelFile } from '@shared/formats/yaml-file';
import { networkDiskForm, networkSchema, proxyUrlProblem } from '@shared/model/network';

describe('network settings: the proxy URL', () => {
  it.each([
    ['http://proxy.example:3128', undefined],
    ['proxy.example:3128', undefined],
    ['http://[::1]:8080/', undefined],
    ['http://10.0.0.1', undefined],
    ['https://proxy.example:443', undefined],
    ['HTTPS://proxy.example', undefined],
    ['https://[::1]:8443', undefined],
  ])('%s is a proxy URL', (url, problem) => {
    expect(proxyUrlProblem(url)).toBe(problem);
  });

  it.each([
    [
      'socks5://p:1080',
      "only http:// and https:// proxies are supported (HTTPS webhooks are tunnelled through them with CONNECT), not 'socks5://'",
    ],
    [
      'ftp://p:21',
      "only http:// and https:// proxies are supported (HTTPS webhooks are tunnelled through them with CONNECT), not 'ftp://'",
    ],
    ['https://user:pw@proxy.example:443', 'proxyPasswordSecret'],
    ['https://proxy.example:0', 'port 0, outside 1 to 65535'],
    ['http://user:pw@proxy.example:3128', 'proxyPasswordSecret'],
    ['http://proxy.example:3128/path', "'http://proxy.example:3128/path' is not a proxy URL"],
    ['proxy example', "'proxy example' is not a proxy URL"],
    ['http://proxy.example:70000', 'port 70000, outside 1 to 65535'],
    ['  ', 'empty'],
  ])('%s is refused: %s', (url, words) => {
    expect(proxyUrlProblem(url)).toContain(words);
  });
});

describe('network settings: the schema', () => {
  it('reads a whole section, TLS verification on by default', () => {
    const n = networkSchema.parse({ proxy: 'none', noProxy: ['localhost'], pfx: 'c.pfx', passphraseSecret: 'pp' });
    expect(n.verifyTls).toBe(true);
    expect(networkSchema.parse({}).verifyTls).toBe(true);
  });

  it('names the key of each problem, and refuses unknown keys', () => {
    const issues = (v: unknown) =>
      networkSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ clientCert: 'c.pem' })).toEqual([
      'clientKey: clientCert and clientKey go together: give both, or use pfx',
    ]);
    expect(issues({ clientCert: 'c.pem', clientKey: 'k.pem', pfx: 'c.pfx' })).toEqual([
      'pfx: give either clientCert/clientKey or pfx, not both',
    ]);
    expect(issues({ proxyPasswordSecret: 'p' })[0]).toMatch(/^proxyUser: /);
    expect(issues({ proxyPassword: 'x' })[0]).toMatch(/proxyPassword/);
    expect(issues({ verifyTls: 'no' })[0]).toMatch(/^verifyTls: /);
  });

  it('collection.yaml: the section round-trips, defaults left out; a bad key names file, key and line', () => {
    expect(networkDiskForm(networkSchema.parse({}))).toBeUndefined();
    const settings = settingsSchema.parse({ name: 'x', network: { ca: 'ca.pem', verifyTls: false } });
    expect(settingsDiskForm(settings)).toEqual({ name: 'x', network: { ca: 'ca.pem', verifyTls: false } });
    const read = readModelFile(settingsSchema, 'name: x\nnetwork:\n  proxy: ftp://p:21\n', 'collection.yaml');
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.problems[0]).toMatchObject({ file: 'collection.yaml', line: 3, path: 'network.proxy' });
      expect(read.problems[0]?.message).toContain(
        'collection.yaml at network.proxy: only http:// and https:// proxies are supported',
      );
    }
  });
});
