import { useEffect, useId, useRef, type ReactNode } from 'react';

/** A modal dialog: focus moves in and returns where it was, Escape closes, Tab stays inside. */
export function Modal({
  title,
  onClose,
  children,
  className,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  className?: string;
}) {
  const titleId = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const before = document.activeElement;
    const first =
      box.current?.querySelector<HTMLElement>('[data-autofocus]') ??
      box.current?.querySelector<HTMLElement>('input, select, textarea, button');
    // A dialog still loading its content has nothing to focus yet: the dialog itself takes focus, so Escape and
    // Tab reach it rather than the page behind.
    (first ?? box.current)?.focus();
    return () => {
      if (before instanceof HTMLElement || before instanceof SVGElement) before.focus();
    };
  }, []);
  return (
    <div
      className="overlay"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={box}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={className ?? 'dialog'}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
          if (e.key === 'Tab' && box.current) {
            const items = [
              ...box.current.querySelectorAll<HTMLElement>(
                'input, select, textarea, button, [tabindex]:not([tabindex="-1"])',
              ),
            ].filter((el) => !el.hasAttribute('disabled'));
            const firstEl = items[0];
            const lastEl = items[items.length - 1];
            if (e.shiftKey && document.activeElement === firstEl) {
              e.preventDefault();
              lastEl?.focus();
            } else if (!e.shiftKey && document.activeElement === lastEl) {
              e.preventDefault();
              firstEl?.focus();
            }
          }
        }}
      >
        <h2 id={titleId} className={className ? 'sr-only' : undefined}>
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}

/**
 * A dialog's closing row: Cancel (or Close), then its one main action. Without `onSubmit` the main
 * button submits the dialog's form.
 */
export function DialogActions({
  onCancel,
  cancelLabel = 'Cancel',
  submitLabel,
  onSubmit,
  disabled,
  autoFocus,
  destructive,
}: {
  onCancel: () => void;
  cancelLabel?: string;
  submitLabel: string;
  onSubmit?: () => void;
  disabled?: boolean;
  autoFocus?: boolean;
  /** The main action loses something (a delete): it looks so, and focus starts on Cancel, the safe default. */
  destructive?: boolean;
}) {
  return (
    <div className="actions">
      <button type="button" className="btn" data-autofocus={destructive ? true : undefined} onClick={onCancel}>
        {cancelLabel}
      </button>
      <button
        type={onSubmit ? 'button' : 'submit'}
        className={destructive ? 'btn danger' : 'btn primary'}
        data-autofocus={autoFocus && !destructive ? true : undefined}
        disabled={disabled}
        onClick={onSubmit}
      >
        {submitLabel}
      </button>
    </div>
  );
}
