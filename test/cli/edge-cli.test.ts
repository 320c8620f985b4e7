// Hostile input through the CLI as users run it (issue 11 items 4 and 9): deep bodies, FIFOs, devices,
// negative numbers; each a clear line and an exit code, never a crash or a hang.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, TempFolder } from './engine-cli';

const tmp = new TempFolder();
afterAll(() => tmp.remove());

describe('map with a 100,000-deep body', () => {
  it.each([
    ['JSON', 'json', 'a', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
    ['XML', 'xml', 'a.a', '<a>'.repeat(100_000) + 'x' + '</a>'.repeat(100_000)],
  ])('%s: too deep, reported, exit 1, no crash', (what, responseType, attribute, body) => {
    const webhook = tmp.write(`deep-${what}.webhook.yaml`, { name: 'deep', url: 'https://h.example/', responseType, mappings: [{ attribute, field: 'Title' }] });
    const file = tmp.write(`deep.${responseType}`, body);
    const json = runCli(['map', webhook, '--status', '200', '--body', file, '--json'], tmp.dir);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as { mappings: Array<{ written: boolean; reason: string }> };
    expect(out.mappings[0]).toMatchObject({ written: false, reason: 'too-deep' });
    const human = runCli(['map', webhook, '--status', '200', '--body', file], tmp.dir);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/not written: too-deep/);
    expect(human.stdout).toMatch(/response-too-deep/);
  });
});
