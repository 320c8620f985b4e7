import type { CSSProperties, ReactNode } from 'react';
import { MARKETO_TIMEOUT_MS } from './outcome';

/** A pane that fills the rest of its column. */
export const fillColumn: CSSProperties = { display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 };

/** A pane with nothing to show yet: what it will show, and how to get there. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty-state">
      <div>
        <h2>{title}</h2>
        <p>{children}</p>
      </div>
    </div>
  );
}

/** A time drawn against Marketo's 30 s limit: full and red once over it. */
export function LimitBar({ ms, title, under }: { ms: number; title?: string; under?: string }) {
  return (
    <span className="track" aria-hidden="true" title={title}>
      <span
        className="bar"
        style={{
          left: 0,
          width: `${Math.min(100, (ms / MARKETO_TIMEOUT_MS) * 100)}%`,
          background: ms > MARKETO_TIMEOUT_MS ? 'var(--danger)' : under,
        }}
      />
    </span>
  );
}
