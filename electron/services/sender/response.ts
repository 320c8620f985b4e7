import type { Exchange } from '@shared/model';
import { bytesToText, headerText, trimPartialUtf8 } from './bytes';
import type { Hop } from './hop';

type HeaderLines = Array<{ name: string; value: string }>;

/** The header lines undici parsed, each buffer decoded on its own. */
export function rawHeaderLines(raw: Buffer[]): HeaderLines {
  const out: HeaderLines = [];
  for (let i = 0; i + 1 < raw.length; i += 2)
    out.push({ name: headerText(raw[i] as Buffer), value: headerText(raw[i + 1] as Buffer) });
  return out;
}

const isOws = (c: number): boolean => c === 0x20 || c === 0x09;

/**
 * The header lines read out of the verbatim head text: undici's header buffers are spans of the same
 * bytes, so their lengths locate each name and value in the head (Speed: docs/performance.md#sender).
 * Only for an ASCII head (a character per byte); undefined when the head does not line up with what
 * undici parsed (then the buffers are decoded one by one).
 */
function headLines(head: string, raw: Buffer[]): HeaderLines | undefined {
  const out: HeaderLines = [];
  let pos = head.indexOf('\r\n') + 2;
  if (pos < 2) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const nameEnd = pos + (raw[i] as Buffer).length;
    if (head.charCodeAt(nameEnd) !== 0x3a) return undefined;
    let at = nameEnd + 1;
    while (isOws(head.charCodeAt(at))) at++;
    const valueEnd = at + (raw[i + 1] as Buffer).length;
    // Usually the line ends right after the value: no search for it.
    const next =
      head.charCodeAt(valueEnd) === 0x0d && head.charCodeAt(valueEnd + 1) === 0x0a
        ? valueEnd
        : head.indexOf('\r\n', valueEnd);
    if (next < 0) return undefined;
    for (let k = valueEnd; k < next; k++) if (!isOws(head.charCodeAt(k))) return undefined;
    out.push({ name: head.slice(pos, nameEnd), value: head.slice(at, valueEnd) });
    pos = next + 2;
  }
  // Every line accounted for, up to the blank line that ends the head.
  return pos === head.length - 2 ? out : undefined;
}

function responseHead(status: number, reason: string, lines: HeaderLines): string {
  let head = `HTTP/1.1 ${status}${reason ? ` ${reason}` : ''}\r\n`;
  for (const h of lines) head += `${h.name}: ${h.value}\r\n`;
  return `${head}\r\n`;
}

export function headerValue(lines: HeaderLines, name: string): string | undefined {
  return lines.find((h) => h.name.toLowerCase() === name)?.value;
}

/**
 * The response as the exchange records it (undefined when no answer came), and its body as text when
 * that is the whole body in memory, valid UTF-8 (so the mappings need not decode it again).
 */
export function responseRecord(
  hop: Hop,
  fileProblem: string | undefined,
): { response: Exchange['response']; shownText: string | undefined } {
  if (hop.status === undefined) return { response: undefined, shownText: undefined };
  const sink = hop.sink;
  const memory = sink.memory();
  const shown = bytesToText(sink.spilled || sink.truncated ? trimPartialUtf8(memory) : memory);
  // The head as it arrived when the socket was observed; else rebuilt from what undici parsed.
  const rawHead = hop.responseHead;
  const lines =
    (rawHead !== undefined && hop.responseHeadAscii ? headLines(rawHead, hop.rawHeaders) : undefined) ??
    rawHeaderLines(hop.rawHeaders);
  const version =
    rawHead === undefined ? undefined : rawHead.startsWith('HTTP/1.1 ') ? '1.1' : /^HTTP\/(\d\.\d) /.exec(rawHead)?.[1];
  const response: NonNullable<Exchange['response']> = {
    httpVersion: version ?? '1.1',
    status: hop.status,
    reason: hop.reason,
    headers: lines,
    head: rawHead ?? responseHead(hop.status, hop.reason, lines),
    body: shown.text,
    bodyEncoding: shown.encoding,
    bodyBytes: sink.bytes,
    truncated: sink.truncated,
  };
  if (sink.filePath !== undefined && fileProblem === undefined) response.bodyFile = sink.filePath;
  const whole = shown.encoding === 'utf8' && !sink.spilled && !sink.truncated;
  return { response, shownText: whole ? shown.text : undefined };
}
