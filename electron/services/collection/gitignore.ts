import { checkInside } from './contain';
import { readTextFile } from './disk';

/**
 * What a collection's .gitignore keeps out of git: the machine's own state (history, run results,
 * encrypted secrets), the `.env` file the CLI and the browser host read secrets from, and the temp
 * files an interrupted save leaves (`.<name>.<pid>.<rand>.tmp`).
 */
export const gitignoreText = `# Local state: send history, run results and encrypted secrets stay on this machine.
.studio/
# Secrets for the CLI and the browser host: never commit them.
.env
# Temp files of saves that were interrupted (.<name>.<pid>.<rand>.tmp).
.*.tmp
`;

/** Each rule init writes, with the other spellings that ignore the same files. */
const rules: { rule: string; alike: string[] }[] = [
  { rule: '.studio/', alike: ['.studio', '/.studio', '/.studio/', '.studio/*', '.studio/**', '/.studio/**'] },
  { rule: '.env', alike: ['/.env', '.env*', '*.env'] },
  { rule: '.*.tmp', alike: ['*.tmp', '.*', '/.*.tmp'] },
];

/**
 * The rules of `gitignoreText` that a .gitignore does not have (by line, in any of its usual spellings).
 * A user's file is never rewritten: the studio tells which lines to add.
 */
export function gitignoreGaps(text: string | undefined): string[] {
  const lines = new Set(
    (text ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#')),
  );
  return rules.filter((r) => !lines.has(r.rule) && !r.alike.some((a) => lines.has(a))).map((r) => r.rule);
}

/**
 * What the collection's .gitignore leaves out of what `init` ignores (.studio/, .env, temp files), as
 * lines to tell the user. The user's own .gitignore is never rewritten behind their back.
 */
export async function gitignoreNotices(dir: string): Promise<string[]> {
  let text: string | undefined;
  try {
    const abs = await checkInside(dir, '.gitignore', 'read');
    const read = await readTextFile(abs, '.gitignore');
    text = read?.ok ? read.text : undefined;
  } catch {
    text = undefined;
  }
  const gaps = gitignoreGaps(text);
  if (gaps.length === 0) return [];
  const why = "so that git never commits secrets, this machine's history or temp files";
  if (text === undefined)
    return [`the collection has no .gitignore: make one with the lines ${gaps.join(', ')} ${why}`];
  return [
    `.gitignore does not ignore ${gaps.join(', ')}: add ${gaps.length === 1 ? 'this line' : 'these lines'} ${why}`,
  ];
}
