/** One HTTP/1.1 request as it arrived, with its raw bytes split into head (through the blank line) and body. */
export interface ParsedRequest {
  method: string;
  target: string;
  version: string;
  headers: Array<{ name: string; value: string }>;
  head: Buffer;
  body: Buffer;
  /** The client asked to close the connection after this request (or spoke HTTP/1.0 without keep-alive). */
  close: boolean;
}

export class RequestParseError extends Error {
  constructor(
    readonly status: 400 | 413 | 431 | 501,
    message: string,
  ) {
    super(message);
  }
}

const maxHeadBytes = 64 * 1024;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(\d\.\d)$/;

/**
 * An incremental HTTP/1.1 request parser that keeps the exact bytes. Feed it socket chunks; it returns
 * each complete request. Bodies are framed by Content-Length or chunked transfer coding (kept raw).
 */
export class RequestParser {
  private buffer: Buffer = Buffer.alloc(0);
  /** Set when a request's head asked `Expect: 100-continue` and its body has not all arrived yet. */
  private continueDue = false;
  private continueAnswered = false;

  constructor(private readonly maxBodyBytes: number) {}

  /** Adds bytes; returns the requests completed by them. Throws RequestParseError on a malformed request. */
  push(chunk: Buffer): ParsedRequest[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const out: ParsedRequest[] = [];
    for (;;) {
      const next = this.next();
      if (!next) break;
      out.push(next);
    }
    return out;
  }

  private next(): ParsedRequest | undefined {
    // Tolerate blank lines between requests (RFC 9112 §2.2).
    while (this.buffer.length >= 2 && this.buffer[0] === 0x0d && this.buffer[1] === 0x0a)
      this.buffer = this.buffer.subarray(2);
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) {
      if (this.buffer.length > maxHeadBytes)
        throw new RequestParseError(431, `the request head is over ${maxHeadBytes} bytes`);
      return undefined;
    }
    const headEnd = end + 4;
    const lines = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
    const m = REQUEST_LINE.exec(lines[0] ?? '');
    if (!m) throw new RequestParseError(400, `not an HTTP request line: '${(lines[0] ?? '').slice(0, 80)}'`);
    const headers: Array<{ name: string; value: string }> = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new RequestParseError(400, `malformed header line: '${line.slice(0, 80)}'`);
      headers.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    }
    const find = (name: string): string | undefined => headers.find((h) => h.name.toLowerCase() === name)?.value;
    const version = m[3] as string;
    const connection = (find('connection') ?? '').toLowerCase();
    const close =
      connection.split(',').some((t) => t.trim() === 'close') ||
      (version === '1.0' && !connection.includes('keep-alive'));
    const te = find('transfer-encoding');
    let bodyEnd: number | undefined;
    if (te !== undefined) {
      if (te.toLowerCase().trim() !== 'chunked')
        throw new RequestParseError(501, `transfer-encoding '${te}' is not supported`);
      bodyEnd = this.chunkedEnd(headEnd);
      if (bodyEnd === undefined) return undefined;
    } else {
      const cl = find('content-length');
      const length = cl === undefined ? 0 : Number(cl);
      if (cl !== undefined && !/^\d+$/.test(cl.trim()))
        throw new RequestParseError(400, `invalid content-length '${cl}'`);
      if (length > this.maxBodyBytes)
        throw new RequestParseError(
          413,
          `the body of ${length} bytes is over the catcher's limit of ${this.maxBodyBytes}`,
        );
      if (this.buffer.length < headEnd + length) {
        if (!this.continueAnswered && (find('expect') ?? '').toLowerCase() === '100-continue') this.continueDue = true;
        return undefined;
      }
      bodyEnd = headEnd + length;
    }
    this.continueAnswered = false;
    const head = Buffer.from(this.buffer.subarray(0, headEnd));
    const body = Buffer.from(this.buffer.subarray(headEnd, bodyEnd));
    this.buffer = this.buffer.subarray(bodyEnd);
    return { method: m[1] as string, target: m[2] as string, version, headers, head, body, close };
  }

  /** True once for a request waiting on `100 Continue` before it sends its body; the server answers it. */
  takeContinue(): boolean {
    if (!this.continueDue) return false;
    this.continueDue = false;
    this.continueAnswered = true;
    return true;
  }

  /** Where a chunked body (with its trailers) ends, or undefined when it has not all arrived. */
  private chunkedEnd(start: number): number | undefined {
    let at = start;
    for (;;) {
      const lineEnd = this.buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const sizeText = this.buffer.subarray(at, lineEnd).toString('latin1').split(';')[0]?.trim() ?? '';
      if (!/^[0-9A-Fa-f]+$/.test(sizeText))
        throw new RequestParseError(400, `invalid chunk size '${sizeText.slice(0, 20)}'`);
      const size = parseInt(sizeText, 16);
      if (at - start + size > this.maxBodyBytes)
        throw new RequestParseError(413, `the chunked body is over the catcher's limit of ${this.maxBodyBytes}`);
      if (size === 0) {
        // The last chunk's line ends where the (possibly empty) trailer section begins; a blank line ends it.
        const trailerEnd = this.buffer.indexOf('\r\n\r\n', lineEnd);
        return trailerEnd < 0 ? undefined : trailerEnd + 4;
      }
      const dataEnd = lineEnd + 2 + size;
      if (this.buffer.length < dataEnd + 2) return undefined;
      at = dataEnd + 2;
    }
  }
}
