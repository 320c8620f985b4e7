import { close as closeFd, openSync, write as writeFd, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureSpillFolder, releaseBodyFile, trackBodyFile } from './spill';

/** Bodies up to this size stay in memory; a larger body streams to a temp file, its first part kept. */
export const inMemoryBodyBytes = 1024 * 1024;

/**
 * How much of a body may wait in memory for the disk. Beyond it a chunk is written synchronously: the
 * sender never asks undici to pause its parser (see write), so this, not back-pressure, bounds memory.
 */
export const maxQueuedFileBytes = 8 * 1024 * 1024;

/** Keeps names unique within a process when two bodies spill in the same millisecond. */
let spillCount = 0;

/**
 * Collects a response body without ever holding more than min(1 MiB, maxBytes) of it, plus at most
 * `maxQueuedFileBytes` on its way to disk, in memory. Past 1 MiB the whole body (up to maxBytes) goes
 * to a temp file in the user's private spill folder (0600); past maxBytes the rest is dropped.
 */
export class BodySink {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private fd: number | undefined;
  private fileError: Error | undefined;
  /** Bytes handed to the disk and not yet written. */
  private queued = 0;
  /** Where the next byte goes in the file. */
  private position = 0;
  private flushed: (() => void) | undefined;
  private closing: Promise<void> | undefined;
  bytes = 0;
  truncated = false;
  filePath: string | undefined;

  constructor(
    private readonly maxBytes: number,
    private readonly tempDir: string,
    private readonly name: string,
    /** The person is told the file's path and reads it after this process ends (`webhook-studio send`). */
    private readonly keep = false,
  ) {}

  /**
   * Takes a chunk, and sets `truncated` at the limit. It never asks the caller to wait: undici 7's
   * HTTP/1.1 parser, once paused by a handler, asserts (and takes the process down) when the server
   * then closes the connection (nodejs/undici#5360). So a slow disk is met here instead: past
   * `maxQueuedFileBytes` waiting, a chunk is written before this returns.
   */
  write(chunk: Buffer): void {
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
    if (
      this.fd === undefined &&
      this.filePath === undefined &&
      this.fileError === undefined &&
      this.bytes > inMemoryBodyBytes
    ) {
      if (!this.open()) return;
      // The in-memory part is the file's beginning; the new chunk's bytes beyond it follow.
      const memory = this.memory();
      this.toDisk(memory);
      const already = this.bytes - piece.length;
      this.toDisk(piece.subarray(Math.max(0, memory.length - already)));
      return;
    }
    if (this.fd !== undefined) this.toDisk(piece);
  }

  private open(): boolean {
    try {
      const dir = ensureSpillFolder(this.tempDir);
      const safeName = this.name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
      // pid 0 marks a file kept for the person: a later start sweeps it by age, not by its process.
      const pid = this.keep ? 0 : process.pid;
      const file = path.join(
        dir,
        `webhook-studio-${safeName}-${pid}-${Date.now()}${String(++spillCount).padStart(4, '0')}.body`,
      );
      // 'wx': never through a link or into a file someone else placed there; 0600: this user only.
      this.fd = openSync(file, 'wx', 0o600);
      this.filePath = file;
      trackBodyFile(file, this.keep);
      return true;
    } catch (e) {
      this.fileError = e instanceof Error ? e : new Error(String(e));
      return false;
    }
  }

  private toDisk(bytes: Buffer): void {
    const fd = this.fd;
    if (fd === undefined || this.fileError !== undefined || bytes.length === 0) return;
    const at = this.position;
    this.position += bytes.length;
    if (this.queued + bytes.length > maxQueuedFileBytes) {
      try {
        // Positioned writes: a synchronous one may overtake queued ones without mixing up the file.
        for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
      } catch (e) {
        this.fileError = e instanceof Error ? e : new Error(String(e));
      }
      return;
    }
    this.queued += bytes.length;
    this.writeAt(fd, bytes, 0, at);
  }

  private writeAt(fd: number, bytes: Buffer, from: number, at: number): void {
    writeFd(fd, bytes, from, bytes.length - from, at + from, (err, written) => {
      if (err) this.fileError ??= err;
      else if (from + written < bytes.length && this.fileError === undefined) {
        this.writeAt(fd, bytes, from + written, at);
        return;
      }
      this.queued -= bytes.length;
      if (this.queued === 0) this.flushed?.();
    });
  }

  /** The body outgrew memory: a file was wanted (it may have failed; then close() says why). */
  get spilled(): boolean {
    return this.bytes > inMemoryBodyBytes;
  }

  /** The part kept in memory. */
  memory(): Buffer {
    return this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
  }

  /** Finishes the temp file, if any; rejects when it could not be written (the file is then deleted). */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    const fd = this.fd;
    if (fd !== undefined) {
      if (this.queued > 0) await new Promise<void>((resolve) => (this.flushed = resolve));
      this.fd = undefined;
      await new Promise<void>((resolve) => closeFd(fd, () => resolve()));
    }
    if (this.fileError) {
      // A partial file would be shown as the whole body: it goes, and the first part in memory stays.
      await releaseBodyFile(this.filePath);
      this.filePath = undefined;
      throw this.fileError;
    }
  }

  /** Closes and deletes the temp file of a body nobody will look at (a redirect that was followed). */
  async discard(): Promise<void> {
    if (this.filePath === undefined && this.fd === undefined) return;
    await this.close().catch(() => undefined);
    const file = this.filePath;
    this.filePath = undefined;
    if (file !== undefined) await releaseBodyFile(file);
  }

  /** The whole body as kept (from the temp file when there is one), at most maxBytes. */
  async all(): Promise<Buffer> {
    if (this.filePath === undefined) return this.memory();
    return readFile(this.filePath);
  }
}
