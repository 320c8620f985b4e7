import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** Bodies up to this size stay in memory; a larger body streams to a temp file, its first part kept. */
export const inMemoryBodyBytes = 1024 * 1024;

/**
 * Collects a response body without ever holding more than min(1 MiB, maxBytes) of it in memory. Past
 * 1 MiB the whole body (up to maxBytes) goes to a temp file; past maxBytes the rest is dropped.
 */
export class BodySink {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private file: WriteStream | undefined;
  private fileError: Error | undefined;
  bytes = 0;
  truncated = false;
  filePath: string | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly tempDir: string,
    private readonly name: string,
  ) {}

  /** Takes a chunk; returns false when the file needs to drain (call `onDrain`), and sets `truncated` at the limit. */
  write(chunk: Buffer): boolean {
    let piece = chunk;
    if (this.bytes + piece.length > this.maxBytes) {
      piece = piece.subarray(0, this.maxBytes - this.bytes);
      this.truncated = true;
    }
    this.bytes += piece.length;
    const memLimit = Math.min(inMemoryBodyBytes, this.maxBytes);
    if (this.kept < memLimit) {
      // A chunk that fits whole is kept as it is, not as a new view of itself.
      const take = piece.length <= memLimit - this.kept ? piece : piece.subarray(0, memLimit - this.kept);
      this.chunks.push(take);
      this.kept += take.length;
    }
    if (this.file === undefined && this.bytes > inMemoryBodyBytes) {
      const safeName = this.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
      this.filePath = path.join(this.tempDir, `webhook-studio-${safeName}-${process.pid}-${Date.now()}.body`);
      this.file = createWriteStream(this.filePath);
      this.file.on('error', (e) => {
        this.fileError = e;
      });
      // The in-memory part is the file's beginning; the new chunk's bytes beyond it follow.
      const memory = Buffer.concat(this.chunks);
      this.file.write(memory);
      const already = this.bytes - piece.length;
      const rest = piece.subarray(Math.max(0, memory.length - already));
      return this.file.write(rest);
    }
    if (this.file !== undefined) return this.file.write(piece);
    return true;
  }

  onDrain(listener: () => void): void {
    this.file?.once('drain', listener);
  }

  /** The part kept in memory. */
  memory(): Buffer {
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
  }

  /** Finishes the temp file, if any; rejects when it could not be written. */
  async close(): Promise<void> {
    const file = this.file;
    if (!file) return;
    await new Promise<void>((resolve) => file.end(resolve));
    if (this.fileError) throw this.fileError;
  }

  /** Closes and deletes the temp file of a body nobody will look at (a redirect that was followed). */
  async discard(): Promise<void> {
    if (this.filePath === undefined) return;
    await this.close().catch(() => undefined);
    await rm(this.filePath, { force: true }).catch(() => undefined);
    this.filePath = undefined;
  }

  /** The whole body as kept (from the temp file when there is one), at most maxBytes. */
  async all(): Promise<Buffer> {
    if (this.filePath === undefined) return this.memory();
    return readFile(this.filePath);
  }
}
