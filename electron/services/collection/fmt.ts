import { StudioError } from '@shared/model/error';
import {
  canonicalOf,
  collectionFile,
  contextsDir,
  fieldsFile,
  kindOfPath,
  triggersFile,
  webhooksDir,
  type FileKind,
} from '@shared/formats/collection-files';
import { catcherRulesFile } from '@shared/formats/catcher-rules-file';
import { formatYamlText, readYaml } from '@shared/formats/yaml-file';
import { type FileProblem } from '@shared/model';
import { assertCollectionDir } from './check';
import { checkInside } from './contain';
import { readTextFile, writeFileAtomic } from './disk';
import { gitignoreNotices } from './gitignore';
import { listFiles } from './list';
import { parseFile } from './load';
import { withFileLock } from './lock';

/** Rewrites every collection file in canonical form (key order, quoting, indent); comments stay. */
export async function fmtCollection(
  dir: string,
): Promise<{ changed: string[]; problems: FileProblem[]; notices: string[] }> {
  await assertCollectionDir(dir);
  const files = [
    collectionFile,
    fieldsFile,
    triggersFile,
    catcherRulesFile,
    ...(await listFiles(dir, webhooksDir)).filter((p) => kindOfPath(p) === 'webhook'),
    ...(await listFiles(dir, contextsDir)).filter((p) => kindOfPath(p) === 'context'),
  ];
  const changed: string[] = [];
  const problems: FileProblem[] = [];
  for (const rel of files) {
    const kind = kindOfPath(rel) as FileKind;
    let abs: string;
    try {
      abs = await checkInside(dir, rel, 'write');
    } catch (e) {
      if (!(e instanceof StudioError)) throw e;
      problems.push({ file: rel, code: e.code, message: e.message });
      continue;
    }
    await withFileLock(abs, async () => {
      const read = await readTextFile(abs, rel);
      if (!read) return;
      if (!read.ok) {
        problems.push({ file: rel, code: read.code, message: read.message });
        return;
      }
      const checked = parseFile(kind, read.text, rel);
      if (!checked.ok) {
        problems.push(...checked.problems);
        return;
      }
      const yaml = readYaml(read.text, rel);
      const canonical = yaml.ok ? canonicalOf(kind, yaml.value) : undefined;
      if (canonical === undefined) return;
      const text = formatYamlText(read.text, canonical);
      if (text !== read.text) {
        await writeFileAtomic(abs, text);
        changed.push(rel);
      }
    });
  }
  return { changed, problems, notices: await gitignoreNotices(dir) };
}
