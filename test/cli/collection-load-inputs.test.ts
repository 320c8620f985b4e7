import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadInputs } from '../../electron/cli/load-inputs';
import { CliError } from '../../electron/cli/cli-error';
import { initCollection, saveSettings } from '../../electron/services/collection/index';

let work: string;
const io = () => ({ argv: [], stdout: new PassThrough(), stderr: new PassThrough(), cwd: work, env: {} });

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'h3-inputs-'));
  await initCollection(path.join(work, 'coll'));
  await saveSettings(path.join(work, 'coll'), { profile: { jsonNonAscii: 'escape' } });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('--collection <dir> for the engine commands', () => {
  it('resolves webhook and context names in the collection, with its catalog and its own profile options', async () => {
    const inputs = await loadInputs(io(), {
      collection: 'coll',
      webhook: 'enrich lead (json)',
      context: 'Tricky lead',
    });
    expect(inputs.webhook.name).toBe('Enrich lead (JSON)');
    expect(inputs.context?.lead['First Name']).toBe('Jack & Jill');
    expect(inputs.fields.some((f) => f.soapName === 'Enrichment_Score__c')).toBe(true);
    expect(inputs.profile).toEqual({ jsonNonAscii: 'escape' });
  });

  it('accepts paths inside the collection too', async () => {
    const inputs = await loadInputs(io(), {
      collection: 'coll',
      webhook: 'webhooks/lookup/account-lookup.webhook.yaml',
      context: 'contexts/plain-lead.context.yaml',
    });
    expect(inputs.webhook.responseType).toBe('xml');
    expect(inputs.context?.name).toBe('Plain lead');
  });

  it('names what it could not find, as a one-line CLI error', async () => {
    await expect(loadInputs(io(), { collection: 'coll', webhook: 'Nope' })).rejects.toThrow(CliError);
    await expect(loadInputs(io(), { collection: 'coll', webhook: 'Nope' })).rejects.toThrow(
      /--collection coll: no webhook named 'Nope'/,
    );
    await expect(loadInputs(io(), { collection: 'missing', webhook: 'x' })).rejects.toThrow(
      /--collection missing: collection folder .* does not exist/,
    );
  });
});
