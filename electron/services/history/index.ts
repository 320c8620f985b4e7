import { createHash } from 'node:crypto';
import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '@shared/model/error';
import { historyEntrySchema, type HistoryEntry } from '@shared/contract';
import type { SentFrom } from '@shared/contract/schemas';
import { slugify, stateDir } from '@shared/formats/collection-files';
import { exchangeSchema, type Exchange, type TokenContext, type Webhook } from '@shared/model';
import { makePrivateDir, writePrivateFile } from '../fs/private-files';
import { releaseBodyFile } from '../sender/spill';
import { readSentFrom, sentFromOf, sentFromSuffix } from './sent-from';

/** What a send was made from: the webhook and token context exactly as the editor sent them. */
export interface SentWith {
  webhook: Webhook;
  context: TokenContext;
}

export interface HistoryStore {
  /**
   * Keeps one send of a webhook (exact request and response bytes, timings, outcome); returns its entry.
   * With `sentWith`, also keeps the webhook and context it was sent from, secret values left out.
   */
  record(webhookPath: string, exchange: Exchange, sentWith?: SentWith): Promise<HistoryEntry>;
  /** The sends of a webhook, newest first. */
  list(webhookPath: string): Promise<HistoryEntry[]>;
  /** One kept send, to reopen or re-send. */
  get(id: string): Promise<Exchange>;
  /** The webhook and context a kept send was sent from, to open it as it was. */
  sentFrom(id: string): Promise<SentFrom>;
  /** A webhook's file was renamed or moved: its sends follow it (and are merged with any kept under the new path). */
  move(fromPath: string, toPath: string): Promise<void>;
}

export const defaultHistoryLimit = 200;

const indexSchema = z.array(historyEntrySchema);

/** A folder name per webhook path: readable, and unique even when two paths slug alike. */
function keyOf(webhookPath: string): string {
  const hash = createHash('sha256').update(webhookPath).digest('hex').slice(0, 10);
  return `${slugify(webhookPath.replace(/\.webhook\.yaml$/, ''), 'webhook').slice(0, 40)}-${hash}`;
}

const safeId = /^[A-Za-z0-9_-]{1,80}$/;

/** A dropped exchange's spilled body (over 1 MiB, in the temp folder) goes with it: nobody can open it any more. */
async function releaseBodyFileOf(exchangeFile: string): Promise<void> {
  try {
    const bodyFile: unknown = (
      JSON.parse(await readFile(exchangeFile, 'utf8')) as { response?: { bodyFile?: unknown } }
    ).response?.bodyFile;
    // releaseBodyFile deletes only a file named and placed as the sender places them.
    if (typeof bodyFile === 'string') await releaseBodyFile(bodyFile);
  } catch {
    // A damaged or missing exchange file has no body file to release.
  }
}

/** One collection's history: where it is kept, how many sends per webhook, and the queue per webhook. */
interface History {
  root: string;
  limit: number;
  /** One change at a time per webhook, so two sends cannot both rewrite its index. */
  queues: Map<string, Promise<unknown>>;
}

function serial<T>(h: History, key: string, fn: () => Promise<T>): Promise<T> {
  const run = (h.queues.get(key) ?? Promise.resolve()).then(fn, fn);
  h.queues.set(
    key,
    run.catch(() => undefined),
  );
  return run;
}

/**
 * Runs `fn` in turn on two webhooks' queues (a move writes both folders), always taking the queues in the
 * same order, so two moves between the same webhooks in opposite directions cannot wait on each other.
 */
function serialBoth<T>(h: History, a: string, b: string, fn: () => Promise<T>): Promise<T> {
  if (a === b) return serial(h, a, fn);
  const [first, second] = a < b ? [a, b] : [b, a];
  return serial(h, first, () => serial(h, second, fn));
}

/** The part of a history id after its webhook key: the exchange's file name. */
const localOf = (id: string): string => id.slice(id.indexOf('~') + 1);

async function readIndex(h: History, key: string): Promise<HistoryEntry[]> {
  try {
    const parsed = indexSchema.safeParse(JSON.parse(await readFile(path.join(h.root, key, 'index.json'), 'utf8')));
    // A damaged index is rebuilt from scratch rather than blocking every later send.
    // The files are in this key's folder whatever key the ids were written with (a moved webhook's folder
    // is renamed first, its index rewritten after: a crash in between must not lose its sends).
    return parsed.success ? parsed.data.map((e) => ({ ...e, id: `${key}~${localOf(e.id)}` })) : [];
  } catch {
    return [];
  }
}

/** Deletes a dropped entry's files: its exchange (and spilled body) and what it was sent from. */
async function drop(h: History, key: string, entry: HistoryEntry): Promise<void> {
  const file = path.join(h.root, key, localOf(entry.id));
  await releaseBodyFileOf(`${file}.json`);
  await rm(`${file}.json`, { force: true });
  await rm(`${file}${sentFromSuffix}`, { force: true });
}

/** One exchange to keep: under which webhook, and what it was sent from when known. */
interface Keeping {
  key: string;
  webhookPath: string;
  exchange: Exchange;
  sentWith: SentWith | undefined;
}

/** Keeps one exchange under its key and puts it first in the index, dropping the oldest beyond the limit. */
async function keep(h: History, { key, webhookPath, exchange, sentWith }: Keeping): Promise<HistoryEntry> {
  const entries = await readIndex(h, key);
  const base = safeId.test(exchange.id)
    ? exchange.id
    : createHash('sha256').update(exchange.id).digest('hex').slice(0, 16);
  let local = base;
  for (let n = 2; entries.some((e) => e.id === `${key}~${local}`); n++) local = `${base}-${n}`;
  const id = `${key}~${local}`;
  // Exchanges hold whole requests and answers (tokens, lead data): only their owner may read them.
  await makePrivateDir(h.root);
  await writePrivateFile(path.join(h.root, key, `${local}.json`), JSON.stringify(exchange));
  if (sentWith !== undefined) {
    const sentFrom = sentFromOf(sentWith.webhook, sentWith.context);
    await writePrivateFile(path.join(h.root, key, `${local}${sentFromSuffix}`), JSON.stringify(sentFrom));
  }
  const entry: HistoryEntry = {
    id,
    webhook: webhookPath,
    startedAt: exchange.startedAt,
    ...(exchange.response ? { status: exchange.response.status } : {}),
    outcome: exchange.outcome,
    totalMs: exchange.timings.totalMs,
    ...(sentWith !== undefined ? { sentFrom: true } : {}),
  };
  const next = [entry, ...entries];
  const dropped = next.splice(h.limit);
  await writePrivateFile(path.join(h.root, key, 'index.json'), JSON.stringify(next));
  for (const old of dropped) await drop(h, key, old);
  return entry;
}

/** Moves one kept send (its exchange and what it was sent from) into another webhook's folder, under a free name. */
async function moveEntry(h: History, entry: HistoryEntry, to: { key: string; taken: Set<string> }): Promise<string> {
  const local = localOf(entry.id);
  let free = local;
  for (let n = 2; to.taken.has(free); n++) free = `${local}-${n}`;
  to.taken.add(free);
  const from = path.join(h.root, entry.id.slice(0, entry.id.indexOf('~')), local);
  const into = path.join(h.root, to.key, free);
  // A file already gone (an entry without its "sent from") is nothing to move; any other failure stops the
  // merge before the old folder is removed, so no kept send is deleted with it.
  await rename(`${from}.json`, `${into}.json`).catch(ignoreMissing);
  await rename(`${from}${sentFromSuffix}`, `${into}${sentFromSuffix}`).catch(ignoreMissing);
  return `${to.key}~${free}`;
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
}

/** A webhook's sends follow its file: its folder is renamed, or merged into one already kept for the new path. */
async function moveKept(h: History, fromPath: string, toPath: string): Promise<void> {
  const from = keyOf(fromPath);
  const to = keyOf(toPath);
  if (from === to) return;
  const fromDir = path.join(h.root, from);
  try {
    await rename(fromDir, path.join(h.root, to));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
    const kept = await readIndex(h, to);
    const taken = new Set(kept.map((k) => localOf(k.id)));
    const moved: HistoryEntry[] = [];
    for (const entry of await readIndex(h, from))
      moved.push({ ...entry, id: await moveEntry(h, entry, { key: to, taken }) });
    const merged = [...moved, ...kept].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    const dropped = merged.splice(h.limit);
    await writePrivateFile(path.join(h.root, to, 'index.json'), JSON.stringify(merged));
    for (const old of dropped) await drop(h, to, old);
    await rm(fromDir, { recursive: true, force: true });
  }
  const entries = (await readIndex(h, to)).map((e) => ({ ...e, webhook: toPath }));
  await writePrivateFile(path.join(h.root, to, 'index.json'), JSON.stringify(entries));
}

/** The file name, without its extension, of a history id (`<webhook key>~<exchange>`). */
function fileOf(h: History, id: string): string {
  const cut = id.indexOf('~');
  const key = id.slice(0, cut);
  const local = id.slice(cut + 1);
  if (cut < 0 || !safeId.test(key) || !safeId.test(local))
    throw new StudioError({ code: 'bad-input', message: `'${id}' is not a history id`, where: 'id' });
  return path.join(h.root, key, local);
}

const gone = (id: string): StudioError =>
  new StudioError({ code: 'not-found', message: `history entry ${id} is no longer kept`, where: id });

/** One kept exchange by its id. */
async function readExchange(h: History, id: string): Promise<Exchange> {
  const file = fileOf(h, id);
  let text: string;
  try {
    text = await readFile(`${file}.json`, 'utf8');
  } catch {
    throw gone(id);
  }
  const parsed = exchangeSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new StudioError({ code: 'bad-file', message: `history entry ${id} is damaged`, where: id });
  return parsed.data;
}

/** What a kept send was sent from; an entry recorded before Webhook Studio kept that says so. */
async function readSentFromOf(h: History, id: string): Promise<SentFrom> {
  const file = fileOf(h, id);
  const kept = await readSentFrom(`${file}${sentFromSuffix}`, id);
  if (kept !== undefined) return kept;
  // Tell "the entry is gone" apart from "the entry is older than this feature".
  await readExchange(h, id);
  throw new StudioError({
    code: 'not-found',
    message:
      'this send was recorded before Webhook Studio kept the webhook as it was sent, so it cannot be opened as it was; its request and response are still here',
    where: id,
  });
}

/**
 * Send history under `<collection>/.studio/history/<webhook key>/`: one JSON file per exchange, beside it
 * the webhook and context it was sent from (`<exchange>.sent-from.json`), and an index per webhook, newest first, cut to `limitPerWebhook` (oldest exchanges deleted with it).
 */
export function createHistory(dir: string, options: { limitPerWebhook?: number } = {}): HistoryStore {
  const limit = options.limitPerWebhook ?? defaultHistoryLimit;
  if (!Number.isInteger(limit) || limit < 1)
    throw new StudioError({
      code: 'bad-input',
      message: `history limit must be a whole number of at least 1, not ${limit}`,
    });
  const h: History = { root: path.join(dir, stateDir, 'history'), limit, queues: new Map() };
  return {
    async record(webhookPath, exchange, sentWith) {
      const checked = exchangeSchema.safeParse(exchange);
      if (!checked.success)
        throw new StudioError({
          code: 'bad-input',
          message: `history: the exchange is malformed at ${checked.error.issues[0]?.path.map(String).join('.')}`,
        });
      const key = keyOf(webhookPath);
      return serial(h, key, () => keep(h, { key, webhookPath, exchange: checked.data, sentWith }));
    },
    async list(webhookPath) {
      const key = keyOf(webhookPath);
      return serial(h, key, () => readIndex(h, key));
    },
    get: (id) => readExchange(h, id),
    sentFrom: (id) => readSentFromOf(h, id),
    move: (fromPath, toPath) => serialBoth(h, keyOf(fromPath), keyOf(toPath), () => moveKept(h, fromPath, toPath)),
  };
}
