import path from 'node:path';
import { profileOverrides } from '@shared/model/profile';
import type { ChannelOutput } from '@shared/contract';
import { maskCaughtRequest } from '../catcher/index';
import { openCollection } from '../collection/index';
import { aimsAtCatcher } from '../collection/sample';
import { networkNotes } from '../net/collection-network';
import { readSpilledBody } from './body-file';
import { secretResolver, type StudioState } from './state';
import type { HandlerGroup, ParsedInput } from './types';

const abs = (dir: string): string => path.resolve(dir);

/** Sends one webhook as the editor asks, with its collection's secrets, and records it in the history. */
async function send(state: StudioState, input: ParsedInput<'webhook:send'>): Promise<ChannelOutput<'webhook:send'>> {
  const dir = input.dir === undefined ? undefined : abs(input.dir);
  let { fields, profile } = input;
  if (dir !== undefined && (fields === undefined || profile === undefined)) {
    // What the renderer leaves out comes from the collection, as Marketo takes it from the instance.
    const snapshot = await openCollection(dir);
    fields ??= snapshot.fields;
    profile = { ...profileOverrides(snapshot.profile), ...profile };
  }
  const resolveSecret = secretResolver(state, dir);
  const toCatcher = aimsAtCatcher(input.webhook.url) || input.target === 'catcher';
  if (toCatcher) {
    state.catcher.noteSend(input.webhook, dir);
    // The collection's catcher.yaml as it is now answers, even edited outside since it opened.
    if (dir !== undefined) await state.catcher.reloadRules(dir);
  }
  // A collection's sends connect as its network settings say (proxy, CA, client certificate, TLS checks);
  // the built-in catcher is on this machine, reached as before.
  const viaCollection = dir === undefined || toCatcher ? undefined : await state.network.forCollection(dir);
  const sender = viaCollection?.sender ?? state.sender();
  const exchange = await sender.send({
    sendId: input.sendId,
    webhook: input.webhook,
    webhookName: input.webhook.name,
    contextName: input.context.name,
    context: input.context,
    ...(fields ? { fields } : {}),
    ...(profile ? { profile } : {}),
    target: aimsAtCatcher(input.webhook.url) ? 'catcher' : input.target,
    onProgress: (p) => {
      state.emit('send:progress', { sendId: input.sendId, phase: p.phase, atMs: p.atMs });
    },
    ...(resolveSecret ? { resolveSecret } : {}),
  });
  if (viaCollection)
    exchange.diagnostics.push(...networkNotes(exchange, viaCollection.applied.options, state.deps.env));
  if (dir !== undefined && input.webhookPath !== undefined) {
    try {
      // The webhook and context as sent go with it (secret values left out), to open it as it was later.
      await state
        .historyFor(dir)
        .record(input.webhookPath, exchange, { webhook: input.webhook, context: input.context });
    } catch {
      // The exchange is the answer the user waits for; a history that cannot be written must not eat it.
    }
  }
  return exchange;
}

/** A send runs on the studio's sender or on a collection's; it is cancelled wherever it is. */
export function cancelAnywhere(state: StudioState, sendId: string): boolean {
  const senders = [state.madeSender(), ...state.network.all()];
  return senders.some((s) => s?.cancel(sendId) === true);
}

export function sendHandlers(state: StudioState): HandlerGroup<'webhook' | 'response' | 'history'> {
  return {
    'webhook:send': (input) => send(state, input),
    'webhook:cancel': ({ sendId }) => Promise.resolve({ cancelled: cancelAnywhere(state, sendId) }),
    'response:body': async ({ file }) => ({ response: await readSpilledBody(file) }),
    'history:list': async ({ dir, webhookPath }) => ({ entries: await state.historyFor(abs(dir)).list(webhookPath) }),
    'history:get': async ({ dir, id }) => state.historyFor(abs(dir)).get(id),
    'history:sentFrom': async ({ dir, id }) => state.historyFor(abs(dir)).sentFrom(id),
  };
}

export function secretsHandlers(state: StudioState): HandlerGroup<'secrets'> {
  return {
    'secrets:set': async ({ dir, name, value, allowedHosts }) => {
      await state.secretsFor(abs(dir)).set(name, value, allowedHosts);
      return { ok: true as const };
    },
    'secrets:delete': async ({ dir, name }) => {
      await state.secretsFor(abs(dir)).delete(name);
      return { ok: true as const };
    },
    'secrets:list': ({ dir }) => {
      const store = state.secretsFor(abs(dir));
      return Promise.resolve({ backend: store.backend, secrets: store.list() });
    },
  };
}

export function catcherHandlers(state: StudioState): HandlerGroup<'catcher'> {
  return {
    'catcher:status': () => {
      const catcher = state.catcher.current();
      return Promise.resolve(catcher ? { running: true, url: catcher.url } : { running: false });
    },
    'catcher:requests': ({ since }) => {
      const catcher = state.catcher.current();
      if (!catcher) return Promise.resolve({ requests: [] });
      const secrets = state.catcher.secrets();
      return Promise.resolve({ requests: catcher.requests(since).map((r) => maskCaughtRequest(r, secrets)) });
    },
  };
}
