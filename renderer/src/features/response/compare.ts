import type { Exchange } from '@shared/model';

/** One row of a side-by-side comparison: a line on either side (absent where the other side added one). */
export type DiffRow = { left?: string; right?: string; same: boolean };

/** Beyond this many lines a side the comparison pairs lines by position instead of aligning them. */
export const ALIGN_LIMIT = 3000;

/** Lines side by side, aligned on their longest common subsequence so that an inserted line does not mark all below it. */
export function diffLines(a: string[], b: string[]): DiffRow[] {
  if (a.length > ALIGN_LIMIT || b.length > ALIGN_LIMIT) {
    const rows: DiffRow[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) rows.push({ left: a[i], right: b[i], same: a[i] === b[i] });
    return rows;
  }
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: the common length of a[i..] and b[j..], in one flat array.
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        a[i] === b[j]
          ? (lcs[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j] ?? 0, lcs[i * (m + 1) + j + 1] ?? 0);
    }
  }
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      rows.push({ left: a[i], right: b[j], same: true });
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i * (m + 1) + j + 1] ?? 0) >= (lcs[(i + 1) * (m + 1) + j] ?? 0))) {
      rows.push({ right: b[j], same: false });
      j++;
    } else {
      rows.push({ left: a[i], same: false });
      i++;
    }
  }
  // An insertion beside a deletion is one changed line: pair them up for reading.
  const paired: DiffRow[] = [];
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k] as DiffRow;
    const next = rows[k + 1];
    if (!r.same && r.left === undefined && next && !next.same && next.right === undefined) {
      paired.push({ left: next.left, right: r.right, same: false });
      k++;
    } else if (!r.same && r.right === undefined && next && !next.same && next.left === undefined) {
      paired.push({ left: r.left, right: next.right, same: false });
      k++;
    } else paired.push(r);
  }
  return paired;
}

function lines(text: string): string[] {
  return text.split(/\r\n|\n/);
}

/** The request as it crossed the wire: head and body. */
export function requestText(x: Exchange): string[] {
  return [
    ...lines(x.request.head.replace(/(\r\n)+$/, '')),
    '',
    ...lines(
      x.request.bodyEncoding === 'utf8' ? x.request.body : `[binary body, ${x.request.body.length} base64 characters]`,
    ),
  ];
}

/** The response: status, headers and the body the exchange holds, or what happened instead. */
export function responseText(x: Exchange): string[] {
  const res = x.response;
  if (!res) return [`No response: ${x.outcome}`, x.error?.message ?? x.message];
  const head = [
    `HTTP/${res.httpVersion} ${res.status} ${res.reason}`,
    ...res.headers.map((h) => `${h.name}: ${h.value}`),
  ];
  const body = res.bodyEncoding === 'utf8' ? lines(prettyIfJson(res.body)) : [`[binary body, ${res.bodyBytes} bytes]`];
  return [
    ...head,
    '',
    ...body,
    ...(res.truncated || res.bodyFile ? [`[only the first part of ${res.bodyBytes} bytes is compared]`] : []),
  ];
}

function prettyIfJson(body: string): string {
  if (body.length > 1024 * 1024) return body;
  try {
    return JSON.stringify(JSON.parse(body) as unknown, null, 2);
  } catch {
    return body;
  }
}

/** Each mapping's result on one line: field, value, written or why not. */
export function mappingText(x: Exchange): string[] {
  const report = x.mapping;
  if (!report) return ['(no mapping report)'];
  if (report.mappings.length === 0) return ['(no response mappings)'];
  return report.mappings.map(
    (m) =>
      `${m.field} ← ${m.attribute}: ${m.written ? `written ${JSON.stringify(m.coerced)}` : `not written (${m.reason ?? 'unknown'})`}`,
  );
}
