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
