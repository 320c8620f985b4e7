import { useEffect } from 'react';
import { parseCurl } from '@shared/formats/curl';
import { looksLikeCurl } from '@shared/formats/detect';
import { looksLikeHttpRequest, maxHttpRequestChars, parseHttpRequest } from '@shared/formats/http-request-import';
import type { ImportedRequest, ImportFailure } from '@shared/formats/imported-webhook';
import type { Webhook } from '@shared/model';
import { useStudioStore } from '../store/context';
import { uniqueName } from '../store/names';
import type { StudioStore } from '../store/types';

/**
 * Pasting a copied request into the studio: a curl command or a raw HTTP request pasted anywhere that is
 * not a text field becomes a new unsaved webhook (opened, with Undo); a curl command pasted into the URL
 * field fills the open webhook, as Postman does.
 */

export type PastedKind = 'curl command' | 'HTTP request';

/** What pasted text is as a request: read into a webhook, refused with the reader's reason, or neither kind. */
export type PastedRequest =
  { kind: PastedKind; read: { ok: true; value: ImportedRequest } | ImportFailure } | { kind: undefined };

/** Reads pasted text as a curl command or a raw HTTP request, whichever it looks like. */
export function readPastedRequest(text: string): PastedRequest {
  if (looksLikeCurl(text))
    return {
      kind: 'curl command',
      // The same ceiling as a raw request's: past it the text is not read at all.
      read:
        text.length > maxHttpRequestChars
          ? {
              ok: false,
              message: `the command has ${text.length} characters; a pasted request may have at most ${maxHttpRequestChars} (5 MB)`,
            }
          : parseCurl(text),
    };
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (looksLikeHttpRequest(head)) return { kind: 'HTTP request', read: parseHttpRequest(text) };
  return { kind: undefined };
}

/** Where pasting already means typing: text fields, the token editors (in their shadow roots), dialogs. */
const editablePlaces =
  'input, textarea, select, [contenteditable]:not([contenteditable="false"]), .cm-editor, .token-editor, [role="dialog"]';

/** Is the paste aimed at a place that takes text? Its whole path counts: an editor's shadow root hides its inside. */
export function isEditablePlace(e: Event): boolean {
  const path = e.composedPath();
  const from = path.length ? path : [document.activeElement];
  return from.some((n) => n instanceof Element && n.closest(editablePlaces) !== null);
}

/** "-k, --compressed": what could not be carried over, for the notice. */
function notCarriedText(value: ImportedRequest): string {
  const items = value.notCarried.map((n) => n.item);
  return items.length ? ` Not carried over: ${items.join(', ')}.` : '';
}

/** Opens the pasted request as a new unsaved webhook and says so, with Undo (closing the draft). */
function openAsDraft(store: StudioStore, kind: PastedKind, value: ImportedRequest): void {
  const s = store.getState();
  const key = s.newWebhook();
  // The imported name ("POST /leads") may be taken already (the same command pasted twice): the draft gets
  // a free one, as a new webhook does, rather than a clash found only at save.
  const name = uniqueName(store.getState(), 'webhook', value.webhook.name);
  s.updateWebhook(key, { ...value.webhook, name });
  s.notify('info', `Imported ${name} from the pasted ${kind}.${notCarriedText(value)}`, {
    label: 'Undo',
    run: () => store.getState().remove('webhook', key),
  });
}

/** A paste outside any text field: a request becomes a webhook draft; other text is answered, never dropped silently. */
export function importPastedText(store: StudioStore, text: string): void {
  const s = store.getState();
  if (text.trim() === '') return;
  const pasted = readPastedRequest(text);
  // With no collection open there is nowhere to put a webhook; other text is not the studio's business then.
  if (!s.dir) {
    if (pasted.kind) s.notify('error', `Open a collection before pasting a ${pasted.kind} into it.`);
    return;
  }
  if (pasted.kind === undefined) {
    s.notify(
      'info',
      'Nothing imported: the pasted text is neither a curl command (curl https://…) nor a raw HTTP request (POST /path HTTP/1.1, then the Host line).',
    );
    return;
  }
  if (!pasted.read.ok) s.notify('error', `Not imported from the pasted ${pasted.kind}: ${pasted.read.message}`);
  else openAsDraft(store, pasted.kind, pasted.read.value);
}

/** Mounted once: listens for pastes on the page and imports the ones that land outside any text field. */
export function usePasteImport(): void {
  const store = useStudioStore();
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      if (e.defaultPrevented || isEditablePlace(e)) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (text.trim() === '') return;
      e.preventDefault();
      importPastedText(store, text);
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, [store]);
}

/** The parts of a webhook a pasted curl command replaces; its name, response type and mappings stay. */
const requestParts = ['method', 'url', 'headers', 'template', 'encoding'] as const;

/**
 * A curl command pasted into the URL field fills the webhook's method, URL, headers and body (with Undo).
 * True when the paste was a curl command (handled here, converted or refused); false lets it paste as text.
 */
export function pasteCurlIntoWebhook(store: StudioStore, key: string, text: string): boolean {
  // The same reader as a paste on the page: what counts as a curl command, and the size past which it is not read.
  const pasted = readPastedRequest(text);
  if (pasted.kind !== 'curl command') return false;
  const s = store.getState();
  const doc = s.webhooks[key];
  if (!doc) return false;
  const read = pasted.read;
  if (!read.ok) {
    s.notify('error', `The pasted curl command was not converted: ${read.message}`);
    return true;
  }
  const before: Partial<Webhook> = {};
  const after: Partial<Webhook> = {};
  for (const part of requestParts) {
    Object.assign(before, { [part]: doc.value[part] });
    Object.assign(after, { [part]: read.value.webhook[part] });
  }
  s.updateWebhook(key, after);
  s.notify('info', `Converted the pasted curl command into ${doc.value.name}.${notCarriedText(read.value)}`, {
    label: 'Undo',
    run: () => store.getState().updateWebhook(key, before),
  });
  return true;
}
