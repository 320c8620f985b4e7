import { useSecretStatus } from '../../lib/secret-status';
import { memo, useMemo, type ReactNode } from 'react';
import {
  profileOptionDocs,
  type Diagnostic,
  type ProfileOption,
  type RenderedRequest,
  type TokenUse,
  type Webhook,
} from '@shared/model';
import { usePreview } from '../../lib/use-preview';
import { useUi } from '../../store/ui-store';
import { formatBytes } from '../response/outcome';

export type Span = { start: number; end: number; use: TokenUse };

/** Cuts text at the token values so each can be marked; ranges outside the text or overlapping are skipped. */
export function markedSegments(text: string, spans: Span[]): (string | (Span & { text: string }))[] {
  const out: (string | (Span & { text: string }))[] = [];
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at || s.end > text.length || s.end < s.start) continue;
    if (s.start > at) out.push(text.slice(at, s.start));
    out.push({ ...s, text: text.slice(s.start, s.end) });
    at = s.end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

function Marked({ text, spans }: { text: string; spans: Span[] }) {
  return (
    <>
      {markedSegments(text, spans).map((seg, i) =>
        typeof seg === 'string' ? (
          seg
        ) : (
          <mark
            key={i}
            className={`tv${seg.use.usedDefault ? ' default' : ''}${seg.use.resolved ? '' : ' unresolved'}`}
            title={`${seg.use.text}${seg.use.usedDefault ? ' (default used)' : ''}${seg.use.resolved ? '' : ' (no value in this context)'}`}
          >
            {seg.text}
          </mark>
        ),
      )}
    </>
  );
}

export function AssumedBadges({ options }: { options: ProfileOption[] }) {
  return (
    <>
      {options.map((o) => (
        <span key={o} className="badge assumed" title={`${profileOptionDocs[o].summary} ${profileOptionDocs[o].why}`}>
          assumed: {o}
        </span>
      ))}
    </>
  );
}

function headerSpans(r: RenderedRequest, webhook: Webhook, lineName: string): Span[] {
  const spans: Span[] = [];
  for (const use of r.tokens) {
    if (use.part !== 'header' || use.field !== 'value' || use.index === undefined) continue;
    const custom = webhook.headers[use.index];
    if (custom && custom.name.trim().toLowerCase() === lineName.toLowerCase())
      spans.push({ start: use.outputStart, end: use.outputEnd, use });
  }
  return spans;
}

function targetSpans(r: RenderedRequest): Span[] {
  // URL token offsets are in the rendered URL; the request target is its tail when nothing was re-encoded.
  if (r.requestTargetAsWritten !== r.requestTarget) return [];
  const at = r.url.lastIndexOf(r.requestTarget);
  if (at < 0) return [];
  return r.tokens
    .filter((u) => u.part === 'url' && u.outputStart >= at)
    .map((u) => ({ start: u.outputStart - at, end: u.outputEnd - at, use: u }));
}

function DiagnosticItem({ d }: { d: Diagnostic }) {
  const jumpTo = useUi((s) => s.jumpTo);
  const where = d.location
    ? [
        d.location.part,
        d.location.line !== undefined
          ? `line ${d.location.line}${d.location.column !== undefined ? `:${d.location.column}` : ''}`
          : d.location.index !== undefined
            ? `row ${d.location.index + 1}`
            : '',
      ]
        .filter(Boolean)
        .join(' · ')
    : '';
  const content: ReactNode = (
    <>
      <span className="sev">{d.severity}</span>
      <span className="msg">
        {d.message}
        <span className="badges">
          <span className="code">{d.code}</span>
          {where && <span className="badge">{where}</span>}
          {d.assumed && <AssumedBadges options={d.assumed} />}
        </span>
      </span>
    </>
  );
  const loc = d.location;
  return (
    <li>
      {loc && loc.part !== 'file' && loc.part !== 'context' ? (
        <button type="button" className={`diag ${d.severity}`} onClick={() => jumpTo(loc)}>
          {content}
          <span className="sr-only">, go to {where || loc.part}</span>
        </button>
      ) : (
        <div className={`diag ${d.severity}`}>{content}</div>
      )}
    </li>
  );
}

/** The secrets this request uses, each shown as set (and from where) or not: the wire gets the values, the preview never. */
function SecretsUsed({ names }: { names: string[] }) {
  if (names.length === 0) return null;
  return (
    <ul className="help" aria-label="Secrets in this request" data-testid="preview-secrets">
      {names.map((n) => (
        <SecretLine key={n} name={n} />
      ))}
    </ul>
  );
}

function SecretLine({ name }: { name: string }) {
  const status = useSecretStatus(name);
  return (
    <li>
      <code>{name}</code>: {status.set ? status.text : 'not set: the send is refused until it has a value'}
    </li>
  );
}

/**
 * The profile options the output rests on, and the diagnostics to list: once the Assumptions section names
 * them, the profile-assumptions note (which says the same) is not listed again.
 */
export function assumptionsAndList(diagnostics: Diagnostic[]): {
  assumed: NonNullable<Diagnostic['assumed']>;
  listed: Diagnostic[];
} {
  const assumed = [...new Set(diagnostics.flatMap((d) => d.assumed ?? []))];
  if (assumed.length === 0) return { assumed, listed: diagnostics };
  return { assumed, listed: diagnostics.filter((d) => d.code !== 'profile-assumptions') };
}

/** What Marketo would send for this webhook and context, byte for byte, with what it rests on and its problems. */
export function PreviewPane() {
  const p = usePreview();
  const { assumed, listed } = useMemo(() => assumptionsAndList(p.diagnostics), [p.diagnostics]);
  if (!p.webhook) return <div className="empty-state">Open a webhook to see what Marketo would send.</div>;
  if (!p.rendered) return <div className="empty-state">The engine could not render this webhook: {p.error}</div>;
  return (
    <div className="tab-panel" data-testid="preview">
      <RequestSection r={p.rendered} webhook={p.webhook} contextName={p.context.name} />
      <BodySection r={p.rendered} />
      {assumed.length > 0 && (
        <div className="section">
          <h3>Assumptions</h3>
          <p className="help" style={{ marginTop: 0 }}>
            These bytes rest on profile defaults where Marketo’s documentation is silent. Change them under Settings.
          </p>
          <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
            <AssumedBadges options={assumed} />
          </div>
        </div>
      )}
      <DiagnosticsSection diagnostics={listed} />
    </div>
  );
}

/** The request line and headers, token values marked, and the secrets the request uses. */
function RequestSection({ r, webhook, contextName }: { r: RenderedRequest; webhook: Webhook; contextName: string }) {
  return (
    <div className="section">
      <h3>
        Request <span className="badge">context: {contextName}</span>
      </h3>
      <pre className="wire" aria-label="Request line and headers" data-testid="preview-head">
        <span className="req-line">
          {r.method} <Marked text={r.requestTarget} spans={targetSpans(r)} /> HTTP/1.1
        </span>
        {'\n'}
        {r.headers.map((h, i) => (
          <span key={i}>
            <span className="h-name">{h.name}</span>: <Marked text={h.value} spans={headerSpans(r, webhook, h.name)} />
            {'\n'}
          </span>
        ))}
      </pre>
      <SecretsUsed
        names={[...new Set((r.secretSpans ?? []).map((x) => x.name).filter((n) => n !== 'url-credentials'))]}
      />
    </div>
  );
}

/** The encoded body with its size and token values marked, or why there is none. */
function BodySection({ r }: { r: RenderedRequest }) {
  const bodySpans: Span[] = r.tokens
    .filter((u) => u.part === 'template')
    .map((u) => ({ start: u.outputStart, end: u.outputEnd, use: u }));
  const bodyBytes = r.body === null ? 0 : new TextEncoder().encode(r.body).length;
  return (
    <div className="section">
      <h3>Body {r.body !== null && <span className="badge">{formatBytes(bodyBytes)}</span>}</h3>
      {r.body === null ? (
        <p className="help">
          No body is sent
          {r.method === 'GET' ? ': Marketo sends templates only with POST, PUT, PATCH and DELETE.' : '.'}
        </p>
      ) : (
        <pre className="wire" aria-label="Encoded body" data-testid="preview-body">
          <Marked text={r.body} spans={bodySpans} />
        </pre>
      )}
    </div>
  );
}

/** "3 errors", "1 warning": a count badge, or nothing for none. */
function CountBadge({ n, word, className }: { n: number; word: string; className: string }) {
  if (n === 0) return null;
  return (
    <span className={className}>
      {n} {word}
      {n > 1 ? 's' : ''}
    </span>
  );
}

/**
 * The diagnostics, drawn again only when the list changes: a keystroke changes the bytes at once and the
 * list a moment later (usePreview). Speed: docs/performance.md#keystroke-to-preview
 */
const DiagnosticsSection = memo(function DiagnosticsSection({ diagnostics }: { diagnostics: Diagnostic[] }) {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return (
    <div className="section">
      <h3>
        Diagnostics <CountBadge n={errors} word="error" className="badge bad" />
        <CountBadge n={warnings} word="warning" className="badge assumed" />
      </h3>
      {diagnostics.length === 0 ? (
        <p className="help">No problems found.</p>
      ) : (
        <ul className="diag-list" aria-label="Diagnostics">
          {diagnostics.map((d, i) => (
            <DiagnosticItem key={i} d={d} />
          ))}
        </ul>
      )}
    </div>
  );
});
