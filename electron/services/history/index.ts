import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { StudioError } from '@shared/model/error';
import { historyEntrySchema, type HistoryEntry } from '@shared/contract';
import { slugify, stateDir } from '@shared/formats/collection-files';
import { exchangeSchema, type Exchange } from '@shared/model';
import { makePrivateDir, writePrivateFile } from '../fs/private-files';
import { releaseBodyFile } from '../sender/spill';

export interface HistoryStore {
  /** Keeps one send of a webhook (exact request and response bytes, timings, outcome); returns its entry. */
  record(webhookPath: string, exchange: Exchange): Promise<HistoryEntry>;
  /** The sends of a webhook, newest first. */
  list(webhookPath: string): Promise<HistoryEntry[]>;
  /** One kept send, to reopen or re-send. */
  get(id: string): Promise<Exchange>;
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

async function readIndex(h: History, key: string): Promise<HistoryEntry[]> {
  try {
    const parsed = indexSchema.safeParse(JSON.parse(await readFile(path.join(h.root, key, 'index.json'), 'utf8')));
    // A damaged index is rebuilt from scratch rather than blocking every later send.
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Keeps one exchange under `key` and puts it first in the index, dropping the oldest beyond the limit. */
async function keep(h: History, key: string, webhookPath: string, exchange: Exchange): Promise<HistoryEntry> {
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
  const entry: HistoryEntry = {
    id,
    webhook: webhookPath,
    startedAt: exchange.startedAt,
    ...(exchange.response ? { status: exchange.response.status } : {}),
    outcome: exchange.outcome,
    totalMs: exchange.timings.totalMs,
  };
  const next = [entry, ...entries];
  const dropped = next.splice(h.limit);
  await writePrivateFile(path.join(h.root, key, 'index.json'), JSON.stringify(next));
  for (const old of dropped) {
    const file = old.id.slice(old.id.indexOf('~') + 1);
    await releaseBodyFileOf(path.join(h.root, key, `${file}.json`));
    await rm(path.join(h.root, key, `${file}.json`), { force: true });
  }
  return entry;
}

/** One kept exchange by its id (`<webhook key>~<exchange>`). */
async function readExchange(h: History, id: string): Promise<Exchange> {
  const cut = id.indexOf('~');
  const key = id.slice(0, cut);
  const local = id.slice(cut + 1);
  if (cut < 0 || !safeId.test(key) || !safeId.test(local))
    throw new StudioError({ code: 'bad-input', message: `'${id}' is not a history id`, where: 'id' });
  let text: string;
  try {
    text = await readFile(path.join(h.root, key, `${local}.json`), 'utf8');
  } catch {
    throw new StudioError({ code: 'not-found', message: `history entry ${id} is no longer kept`, where: id });
  }
  const parsed = exchangeSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new StudioError({ code: 'bad-file', message: `history entry ${id} is damaged`, where: id });
  return parsed.data;
}

/**
 * Send history under `<collection>/.studio/history/<webhook key>/`: one JSON file per exchange and an
 * index per webhook, newest first, cut to `limitPerWebhook` (oldest exchanges deleted with it).
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
    async record(webhookPath, exchange) {
      const checked = exchangeSchema.safeParse(exchange);
      if (!checked.success)
        throw new StudioError({
          code: 'bad-input',
          message: `history: the exchange is malformed at ${checked.error.issues[0]?.path.map(String).join('.')}`,
        });
      const key = keyOf(webhookPath);
      return serial(h, key, () => keep(h, key, webhookPath, checked.data));
    },
    async list(webhookPath) {
      const key = keyOf(webhookPath);
      return serial(h, key, () => readIndex(h, key));
    },
    get: (id) => readExchange(h, id),
  };
}
