import { useEffect, useState } from 'react';

/** The async Clipboard API: the DOM types promise it, but outside a secure context (or a browser) it is absent. */
function asyncClipboard(): Partial<Clipboard> | undefined {
  const nav = globalThis.navigator as Navigator | undefined;
  return nav?.clipboard;
}

/** Puts text on the clipboard: the async Clipboard API, else a hidden textarea and the copy command. */
export async function copyText(text: string): Promise<boolean> {
  const clipboard = asyncClipboard();
  try {
    if (clipboard?.writeText) {
      await clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (no focus, no permission): the copy command below may still work.
  }
  if (typeof document === 'undefined') return false;
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok: boolean;
  try {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the one way to copy where the async Clipboard API is missing or refused
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/** A small "Copy …" button that says "Copied" for a moment; `text` is computed only when clicked. */
export function CopyButton({
  label,
  text,
  testId,
}: {
  label: string;
  text: () => string | Promise<string>;
  testId?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className="btn small"
      data-testid={testId}
      aria-label={label}
      onClick={() =>
        void Promise.resolve()
          .then(text)
          .then(copyText)
          .then(
            (ok) => setState(ok ? 'copied' : 'failed'),
            () => setState('failed'),
          )
      }
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
