import { StudioError } from '@shared/model/error';
import { type CollectionSnapshot } from '@shared/contract';
import { contextSuffix, contextsDir, slugify, webhookSuffix, webhooksDir } from '@shared/formats/collection-files';

type Named = { path: string; name: string };

function findOne<T extends Named>(
  items: T[],
  query: string,
  kind: 'webhook' | 'context',
  dir: string,
  problems: CollectionSnapshot['problems'],
): T {
  const base = kind === 'webhook' ? webhooksDir : contextsDir;
  const suffix = kind === 'webhook' ? webhookSuffix : contextSuffix;
  const q = query.trim();
  const tiers: ((i: T) => boolean)[] = [
    (i) => i.path === q || i.path === `${base}/${q}` || i.path === `${base}/${q}${suffix}`,
    (i) => i.name === q,
    (i) => i.name.toLowerCase() === q.toLowerCase(),
    (i) =>
      slugify(i.name, '') === slugify(q, '-') ||
      i.path.slice(i.path.lastIndexOf('/') + 1) === `${slugify(q, '-')}${suffix}`,
  ];
  for (const test of tiers) {
    const hits = items.filter(test);
    if (hits.length === 1) return hits[0] as T;
    if (hits.length > 1) {
      throw new StudioError({
        code: 'ambiguous',
        message: `${hits.length} ${kind}s in ${dir} match '${query}': ${hits.map((h) => h.path).join(', ')}; name one by its path`,
        where: query,
      });
    }
  }
  const broken = problems.find((p) => p.file.includes(slugify(q, '-')) || p.file === q);
  if (broken)
    throw new StudioError({
      code: 'bad-file',
      message: `${broken.file} matches '${query}' but does not load: ${broken.message}`,
      where: broken.file,
    });
  const known = items
    .map((i) => `'${i.name}'`)
    .slice(0, 10)
    .join(', ');
  throw new StudioError({
    code: 'not-found',
    message: `no ${kind} named '${query}' in ${dir}${known ? ` (there are: ${known}${items.length > 10 ? ', …' : ''})` : ''}`,
    where: query,
  });
}

/** A webhook by its path, its file name, its name (exact, then any case) or its slug. */
export function findWebhook(snapshot: CollectionSnapshot, query: string): CollectionSnapshot['webhooks'][number] {
  const items = snapshot.webhooks.map((w) => ({ ...w, name: w.webhook.name }));
  const hit = findOne(items, query, 'webhook', snapshot.dir, snapshot.problems);
  return snapshot.webhooks.find((w) => w.path === hit.path) as CollectionSnapshot['webhooks'][number];
}

/** A context by its path, its file name, its name or its slug. */
export function findContext(snapshot: CollectionSnapshot, query: string): CollectionSnapshot['contexts'][number] {
  const items = snapshot.contexts.map((c) => ({ ...c, name: c.context.name }));
  const hit = findOne(items, query, 'context', snapshot.dir, snapshot.problems);
  return snapshot.contexts.find((c) => c.path === hit.path) as CollectionSnapshot['contexts'][number];
}
