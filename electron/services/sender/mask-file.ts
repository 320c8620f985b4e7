import { createReadStream } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import path from 'node:path';
import { SECRET_MASK } from '@shared/engine/render';
import { releaseBodyFile, trackBodyFile } from './spill';

const MASK_BYTES = Buffer.from(SECRET_MASK, 'utf8');

/**
 * Replaces every occurrence of the searched secrets in a stream of bytes, one chunk at a time: the
 * bytes a secret may still begin in (the longest secret's length − 1) wait for the next chunk, so a
 * secret split across two chunks is masked too. `values` are the searched secrets, longest first (see
 * searchedSecrets): at one position the longest match wins, as in maskValues.
 */
export class SecretMasker {
  private readonly needles: Buffer[];
  private readonly overlap: number;
  private carry: Buffer = Buffer.alloc(0);

  constructor(values: string[]) {
    this.needles = values.filter((v) => v.length > 0).map((v) => Buffer.from(v, 'utf8'));
    this.overlap = Math.max(0, ...this.needles.map((n) => n.length - 1));
  }

  /** The masked bytes that are final after `chunk` (some of its end may wait for the next one). */
  push(chunk: Buffer): Buffer {
    return this.run(this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]), false);
  }

  /** What was waiting, masked: the end of the stream. */
  end(): Buffer {
    return this.run(this.carry, true);
  }

  private run(buf: Buffer, final: boolean): Buffer {
    // A match starting before `boundary` fits in `buf` whatever its length, so it is seen whole.
    const boundary = final ? buf.length : Math.max(0, buf.length - this.overlap);
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < boundary) {
      let at = -1;
      let hit: Buffer | undefined;
      for (const n of this.needles) {
        const i = buf.indexOf(n, pos);
        if (i !== -1 && i < boundary && (at === -1 || i < at)) {
          at = i;
          hit = n;
        }
      }
      if (hit === undefined) {
        out.push(buf.subarray(pos, boundary));
        pos = boundary;
        break;
      }
      out.push(buf.subarray(pos, at), MASK_BYTES);
      pos = at + hit.length;
    }
    // Copied: the caller's chunk may be reused once this returns.
    this.carry = final ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out);
  }
}

/**
 * Masks the searched secrets in a body file the sender spilled (a service that echoes a key must not
 * leave it on disk in clear). One streaming pass into a new private file (0600, 'wx') in the same
 * folder, which then replaces the original under its name. On failure the clear file is deleted and the
 * error thrown: a body file that may hold a secret is never kept.
 */
export async function maskBodyFile(file: string, values: string[]): Promise<void> {
  if (values.length === 0) return;
  // Named like a body file of this process (an extra digit in its time), so an exit or a later start
  // deletes it if this pass never ends.
  const masked = path.join(path.dirname(file), path.basename(file).replace(/(\d+)\.body$/, '$10.body'));
  try {
    const out = await open(masked, 'wx', 0o600);
    trackBodyFile(masked, false);
    try {
      const masker = new SecretMasker(values);
      for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
        const bytes = masker.push(chunk as Buffer);
        if (bytes.length > 0) await out.write(bytes);
      }
      const rest = masker.end();
      if (rest.length > 0) await out.write(rest);
    } finally {
      await out.close();
    }
    await rename(masked, file);
    // The name `masked` no longer exists; only `file` is tracked.
    await releaseBodyFile(masked);
  } catch (e) {
    await releaseBodyFile(masked);
    await releaseBodyFile(file);
    throw e;
  }
}
