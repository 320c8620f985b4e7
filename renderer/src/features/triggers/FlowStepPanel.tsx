import type { MappingReport, Scalar } from '@shared/model';

function show(v: Scalar | undefined): string {
  if (v === undefined || v === null || v === '') return '(empty)';
  return String(v);
}

/**
 * The lead as the next flow step sees it, and as it is once Marketo's asynchronous write lands. Mapped
 * values are written after the step: "new data is not available in the next flow step"; act on them
 * with a trigger on Data Value Changes (TK-WIC; docs/marketo-behaviours.md).
 */
export function FlowStepPanel({ report }: { report: MappingReport }) {
  const changed = report.mappings.filter((m) => m.written && report.lead.before[m.field] !== m.coerced);
  if (report.mappings.length === 0) return null;
  return (
    <div className="section" data-testid="flow-step" style={{ marginBottom: 8 }}>
      <h3>Next flow step</h3>
      {changed.length === 0 ? (
        <p className="help">No mapped field changes, so the next flow step and the lead after the write agree.</p>
      ) : (
        <>
          <table className="grid">
            <thead>
              <tr>
                <th>Lead field</th>
                <th>The next flow step sees</th>
                <th>After Marketo’s asynchronous write</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((m) => (
                <tr key={m.index}>
                  <td className="field">{m.field}</td>
                  <td className="mono">{show(report.lead.before[m.field])}</td>
                  <td className="mono">{show(m.coerced)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="help" data-testid="data-value-changes">
            Marketo writes response mappings asynchronously: a step after this Call Webhook that reads{' '}
            {changed.map((m) => m.field).join(', ')} still sees the old value. To act on the new value, use a trigger
            campaign on <b>Data Value Changes</b> (attribute {changed.map((m) => m.field).join(' or ')}) instead of a
            later step or a Wait.
          </p>
        </>
      )}
    </div>
  );
}
