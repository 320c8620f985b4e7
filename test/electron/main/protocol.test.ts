import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../__mocks__/electron'));

const { protocol } = await import('../../__mocks__/electron');
const { registerAppProtocol, registerAppScheme, serveAppRequest } = await import('../../../electron/main/protocol');
type ProtocolTarget = Parameters<typeof registerAppScheme>[0];

let tmp: string;
let rendererDir: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'studio-protocol-'));
  rendererDir = path.join(tmp, 'renderer');
  await mkdir(path.join(rendererDir, 'assets'), { recursive: true });
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
  await writeFile(path.join(rendererDir, 'assets', 'a.js'), 'export {}');
  await writeFile(path.join(tmp, 'private.txt'), 'PRIVATE');
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme and handled', () => {
    registerAppScheme(protocol as unknown as ProtocolTarget);
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    registerAppProtocol(protocol as unknown as ProtocolTarget, rendererDir);
    expect([...protocol.handlers.keys()]).toEqual(['app']);
  });

  it('serves the renderer with an enforced Content Security Policy', async () => {
    const res = await serveAppRequest(new Request('app://studio/'), rendererDir);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>studio</title>');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const js = await serveAppRequest(new Request('app://studio/assets/a.js'), rendererDir);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('content-security-policy')).toBe(csp);
  });

  it('refuses other hosts and files outside the renderer', async () => {
    expect((await serveAppRequest(new Request('app://other/index.html'), rendererDir)).status).toBe(404);
    for (const p of [
      'app://studio/..%2fprivate.txt',
      'app://studio/%2e%2e/private.txt',
      'app://studio/assets/..%2F..%2Fprivate.txt',
    ]) {
      const res = await serveAppRequest(new Request(p), rendererDir);
      expect(await res.text(), p).not.toContain('PRIVATE');
    }
  });
});
