import { readFile, realpath } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StudioError } from '@shared/model/error';
import { SPILLED_BODY, spillFolderOf } from '../sender/spill';

/*
 * What the sender names a response body it streams to disk (electron/services/sender/spill.ts):
 * `webhook-studio-<send>-<pid>-<time>.body` in the user's private spill folder in the temp folder. Only
 * such files are read back, so the channel cannot be turned into a way to read any file on the machine.
 */

/** The whole body behind an exchange's `response.bodyFile`: UTF-8 text when it is, else base64. */
export async function readSpilledBody(
  file: string,
  tempDir: string = tmpdir(),
): Promise<{ body: string; bodyEncoding: 'utf8' | 'base64'; bodyBytes: number }> {
  const where = 'response:body';
  if (!path.isAbsolute(file) || !SPILLED_BODY.test(path.basename(file))) {
    throw new StudioError({
      code: 'not-a-body-file',
      message: `${file} is not a response body the sender saved, so it is not read`,
      where,
    });
  }
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    throw new StudioError({
      code: 'body-file-gone',
      message: `the whole body was saved to ${file}, which is no longer there (temp files do not outlive a restart); send the webhook again`,
      where,
    });
  }
  // A link named like a body file must not lead out of the spill folder.
  const folder = await realpath(spillFolderOf(tempDir)).catch(() => undefined);
  if (folder === undefined || path.dirname(real) !== folder || !SPILLED_BODY.test(path.basename(real))) {
    throw new StudioError({
      code: 'not-a-body-file',
      message: `${file} is not a response body the sender saved, so it is not read`,
      where,
    });
  }
  const bytes = await readFile(real);
  try {
    return {
      body: new TextDecoder('utf-8', { fatal: true }).decode(bytes),
      bodyEncoding: 'utf8',
      bodyBytes: bytes.length,
    };
  } catch {
    return { body: bytes.toString('base64'), bodyEncoding: 'base64', bodyBytes: bytes.length };
  }
}
