import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { writeAtomic } from '../fs/private-files';
import { yamlLimits } from '@shared/formats/yaml-file';

/** A stable content hash: the version a save is checked against. Same text, same version, on every machine. */
export function versionOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 24);
}

/**
 * What this process last wrote to each file, so the watcher can tell its own writes from edits made by
 * another program (an editor, git pull) and report only the latter.
 */
const ownWrites = new Map<string, string | null>();

export function ownVersion(absPath: string): string | null | undefined {
  return ownWrites.get(absPath);
}

export function noteOwnDelete(absPath: string): void {
  ownWrites.set(absPath, null);
}

/** Marks a folder this process created by moving one, so its appearance is not an outside change. */
export const folderMark = 'folder';
export function noteOwnFolder(absPath: string): void {
  ownWrites.set(absPath, folderMark);
}

/** A file this process put in place by other means than a write (a rename), with its text. */
export function noteOwnWrite(absPath: string, text: string): void {
  ownWrites.set(absPath, versionOf(text));
}

/** Temp files of interrupted writes: hidden, so nothing ever loads them as collection files. */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * Writes a collection file so that after a crash at any instant it holds either the old or the new
 * text, never a mix (see `writeAtomic`). Collection files are meant to be shared through git: 0644.
 */
export async function writeFileAtomic(absPath: string, text: string): Promise<void> {
  // Noted before the rename: the watcher may see the new file before the rename returns.
  ownWrites.set(absPath, versionOf(text));
  await writeAtomic(absPath, text, { mode: 0o644 });
}

export type ReadText = { ok: true; text: string } | { ok: false; code: string; message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads a collection file as text, refusing what is too large or is not UTF-8 text. */
export async function readTextFile(
  absPath: string,
  shown: string,
  maxBytes: number = yamlLimits.maxChars,
): Promise<ReadText | undefined> {
  let size: number;
  try {
    size = (await stat(absPath)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (size > maxBytes)
    return {
      ok: false,
      code: 'file-too-large',
      message: `${shown} is ${size} bytes; the limit for a collection file is ${maxBytes}`,
    };
  let bytes: Buffer;
  try {
    bytes = await readFile(absPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    const line = bytes.subarray(0, nul).toString('latin1').split('\n').length;
    return {
      ok: false,
      code: 'binary-file',
      message: `${shown} holds a NUL byte at line ${line}: it is not a text file`,
    };
  }
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    return { ok: false, code: 'not-utf8', message: `${shown} is not valid UTF-8 text` };
  }
}
