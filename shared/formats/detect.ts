import { bundleMarker } from './bundle';
import { looksLikeHttpRequest } from './http-request-import';

export type ImportFormat = 'bundle' | 'postman' | 'curl' | 'describe' | 'leads-csv' | 'http-request';

/** Does the text start like a curl command (a shell prompt `$ ` allowed)? */
export function looksLikeCurl(text: string): boolean {
  return /^(?:\$\s*)?curl\s/.test(text.replace(/^\uFEFF/, '').trimStart());
}

/** Guesses what an imported file is from its name and first bytes; undefined when it cannot tell. */
export function detectImportFormat(fileName: string, content: string): ImportFormat | undefined {
  const lower = fileName.toLowerCase();
  const head = content.replace(/^\uFEFF/, '').trimStart();
  if (looksLikeCurl(head)) return 'curl';
  if (looksLikeHttpRequest(head)) return 'http-request';
  if (lower.endsWith('.csv')) return 'leads-csv';
  if (head.startsWith('{') || head.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(head);
    } catch {
      return undefined;
    }
    if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
      const o = json as Record<string, unknown>;
      if (o['format'] === bundleMarker) return 'bundle';
      if (typeof o['info'] === 'object' && o['info'] !== null && Array.isArray(o['item'])) return 'postman';
      if (
        Array.isArray(o['result']) &&
        o['result'].some((r) => typeof r === 'object' && r !== null && ('dataType' in r || 'displayName' in r))
      )
        return 'describe';
    }
    if (Array.isArray(json) && json.some((r) => typeof r === 'object' && r !== null && 'dataType' in r))
      return 'describe';
  }
  return undefined;
}
