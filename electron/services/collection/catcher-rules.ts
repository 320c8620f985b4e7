import { catcherRulesDiskForm, catcherRulesFile } from '@shared/formats/catcher-rules-file';
import { formatFileProblem } from '@shared/formats/documents';
import { StudioError } from '@shared/model/error';
import { catcherRuleListSchema, ruleProblemPlace, type CatcherRule } from '@shared/model/catcher-rule';
import { assertCollectionDir, bad } from './check';
import { loadFile } from './load';
import { saveFile } from './save';

/**
 * Stores the built-in catcher's answers in catcher.yaml (the whole list replaces the old one), written
 * atomically; a rule the schema refuses is named by its number and key, and nothing is written.
 */
export async function saveCatcherRules(dir: string, rules: readonly CatcherRule[]): Promise<{ ok: true }> {
  await assertCollectionDir(dir);
  const parsed = catcherRuleListSchema.safeParse(rules);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const place = ruleProblemPlace(i.path.filter((p): p is string | number => typeof p !== 'symbol'));
      return `${place || '(the list)'}: ${i.message}`;
    });
    throw bad(`${catcherRulesFile} not saved: ${issues.join('; ')}`, catcherRulesFile);
  }
  const list = parsed.data;
  await saveFile(dir, catcherRulesFile, 'catcher', catcherRulesDiskForm(list), undefined);
  return { ok: true };
}

/**
 * The collection's catcher answers as on disk now: none without catcher.yaml; a file that does not
 * load is an error naming the file, line, rule and key.
 */
export async function collectionCatcherRules(dir: string): Promise<CatcherRule[]> {
  const loaded = await loadFile<CatcherRule[]>(dir, catcherRulesFile, 'catcher');
  if (!loaded) return [];
  if ('problems' in loaded) {
    throw new StudioError({
      code: 'bad-file',
      message: loaded.problems.map(formatFileProblem).join('\n'),
      where: catcherRulesFile,
    });
  }
  return loaded.value;
}
