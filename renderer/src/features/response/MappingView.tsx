import { useMemo } from 'react';
import { evaluateResponse } from '@shared/engine';
import type { Exchange, MappingReport, Scalar, Webhook } from '@shared/model';
import { useStudio } from '../../store/context';
import { useUi } from '../../store/ui-store';
import { emptyContext, explicitProfile } from '../../store/studio-store';
import { detachedBodyBytes } from '../../lib/detached-body';
import { FlowStepPanel } from '../triggers/FlowStepPanel';
import { TreeView, type TreeMapping } from './TreeView';
import { useBody } from './use-body';
import { bodyKindOf, bodySource, useCurrentExchange } from './exchange-body';
import { EmptyState, fillColumn } from './pane-parts';

/** Re-evaluating in the page is instant for normal answers; huge ones keep the report the sender made. */
const LOCAL_EVALUATE_LIMIT = 1024 * 1024;

/** The mapping report for the webhook as it is now: edits to mappings after a send show at once. */
function useMappingReport(exchange: Exchange | undefined, webhook: Webhook | undefined): MappingReport | undefined {
  const context = useStudio((s) => (s.activeContext ? s.contexts[s.activeContext]?.value : undefined)) ?? emptyContext;
  const fields = useStudio((s) => s.fields);
  const profile = useStudio((s) => s.profile);
  return useMemo(() => {
    const res = exchange?.response;
    // The exchange's report was made by the same engine: its diagnostics' `assumed` are option names.
    const sent = exchange?.mapping as MappingReport | undefined;
    if (!exchange || !res || !webhook) return sent;
    if (res.bodyEncoding !== 'utf8' || res.body.length > LOCAL_EVALUATE_LIMIT || detachedBodyBytes(res)) return sent;
    try {
      return evaluateResponse(
        webhook,
        { status: res.status, reason: res.reason, body: res.body },
        { context, fields, profile: explicitProfile(profile) },
      );
    } catch {
      return sent;
    }
  }, [exchange, webhook, context, fields, profile]);
}

/** The webhook's mappings by the response attribute each reads, for the tree to mark. */
function useMapped(webhook: Webhook | undefined): Map<string, TreeMapping[]> {
  return useMemo(() => {
    const m = new Map<string, TreeMapping[]>();
    webhook?.mappings.forEach((mapping, index) => {
      if (!mapping.attribute) return;
      m.set(mapping.attribute, [...(m.get(mapping.attribute) ?? []), { mapping, index }]);
    });
    return m;
  }, [webhook]);
}

function showValue(v: Scalar | undefined): string {
  if (v === undefined) return '—';
  if (v === null) return 'null';
  if (v === '') return '(empty)';
  return String(v);
}

type MappedField = MappingReport['mappings'][number];

/** One mapping's row: the field (a jump to the mapping), its value before and after, and whether it was written. */
function MappedRow({
  m,
  before,
  onOpen,
}: {
  m: MappedField;
  before: Scalar | undefined;
  onOpen: (index: number) => void;
}) {
  return (
    <tr className={m.written ? 'changed' : ''}>
      <td className="field">
        <button type="button" className="btn ghost small" onClick={() => onOpen(m.index)} title={`From ${m.attribute}`}>
          {m.field}
        </button>
        {m.fieldType && <span className="badge type">{m.fieldType}</span>}
      </td>
      <td className="mono">{showValue(before)}</td>
      <td className="arrow" aria-hidden="true">
        →
      </td>
      <td className="mono">{m.written ? showValue(m.coerced) : showValue(before)}</td>
      <td>
        {m.written ? <span className="badge good">written</span> : <span className="badge bad">not written</span>}
        {!m.written && <div className="why">{m.message ?? m.reason}</div>}
      </td>
    </tr>
  );
}

/** The lead before and after the answer's mappings, mapped fields first, then a few it left unchanged. */
function LeadChanges({ report, onOpen }: { report: MappingReport; onOpen: (index: number) => void }) {
  const { before, after } = report.lead;
  const touched = [...new Set([...Object.keys(before), ...report.mappings.map((m) => m.field)])];
  const unchanged = touched.filter((f) => !report.mappings.some((m) => m.field === f)).slice(0, 8);
  return (
    <table className="grid lead-table" data-testid="lead-table">
      <thead>
        <tr>
          <th>Lead field</th>
          <th>Before</th>
          <th aria-hidden="true" />
          <th>After</th>
          <th>Written?</th>
        </tr>
      </thead>
      <tbody>
        {report.mappings.map((m) => (
          <MappedRow key={`m${m.index}`} m={m} before={before[m.field]} onOpen={onOpen} />
        ))}
        {unchanged.map((f) => (
          <tr key={f}>
            <td className="field">{f}</td>
            <td className="mono">{showValue(before[f])}</td>
            <td className="arrow" aria-hidden="true">
              →
            </td>
            <td className="mono">{showValue(after[f])}</td>
            <td className="why">unchanged</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The upper half: the lead's change, the flow step's view and the mapping's diagnostics. */
function LeadSection({ report, onOpen }: { report: MappingReport | undefined; onOpen: (index: number) => void }) {
  return (
    <div className="tab-panel" style={{ flex: 'none', maxHeight: '48%', overflow: 'auto' }}>
      <div className="section" style={{ marginBottom: 8 }}>
        <h3>Lead before → after</h3>
        {report && report.mappings.length === 0 && (
          <p className="help">
            No response mappings: the lead is unchanged. Pick a node below and choose “Map to lead field…”.
          </p>
        )}
        {report && <LeadChanges report={report} onOpen={onOpen} />}
        {report && <FlowStepPanel report={report} />}
        {report?.diagnostics.map((d, i) => (
          <p key={i} className="help">
            {d.severity}: {d.message}
          </p>
        ))}
      </div>
    </div>
  );
}

/** The Mapping tab: what the answer does to the lead, and the answer's tree to map more of it from. */
export function MappingView() {
  const { exchange, webhook } = useCurrentExchange();
  const report = useMappingReport(exchange, webhook);
  const openDialog = useUi((s) => s.openDialog);
  const jumpTo = useUi((s) => s.jumpTo);
  const res = exchange?.response;
  const kind = exchange ? bodyKindOf(exchange, webhook) : 'text';
  const body = useBody(
    res && res.bodyEncoding === 'utf8' ? bodySource(res) : undefined,
    kind,
    exchange?.id ?? 'none',
    !!(res?.truncated || res?.bodyFile),
    res,
  );
  const mapped = useMapped(webhook);
  const openMapping = (index: number) => jumpTo({ part: 'mapping', index });
  if (!exchange || !res)
    return (
      <EmptyState title="Nothing to map yet">
        Send the webhook; the answer’s tree and its effect on the lead appear here.
      </EmptyState>
    );
  return (
    <div style={fillColumn} data-testid="mapping-view">
      <LeadSection report={report} onOpen={openMapping} />
      <div className="body-tools">
        <b style={{ fontSize: 12 }}>Response tree</b>
        <span className="help">
          Mapped nodes are highlighted. Select a node and press Enter (or click “Map to lead field…”).
        </span>
      </div>
      {kind === 'text' ? (
        <p className="help" style={{ padding: 14 }}>
          Response type is None and the answer is not JSON or XML: Marketo maps nothing.
        </p>
      ) : body?.info ? (
        <TreeView
          body={body}
          query=""
          mapped={mapped}
          onMap={(row) => {
            if (row.path)
              openDialog({
                kind: 'map',
                path: row.path,
                warning: row.reachable ? undefined : row.unreachable,
                note: row.reachable ? row.unreachable : undefined,
              });
          }}
          onOpenMapping={openMapping}
        />
      ) : (
        <div className="empty-state" role="status">
          Parsing…
        </div>
      )}
    </div>
  );
}
