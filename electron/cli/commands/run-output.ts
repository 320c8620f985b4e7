import path from 'node:path';
import type { RunProgress } from '../../services/runner/index';
import { accountingText, formatDuration, type RunSummary } from '@shared/runner/summary';
import type { CliIo } from '../io';

/** A terminal redraws a bar; a pipe or a CI log does not. */
function isTerminal(stream: NodeJS.WritableStream): boolean {
  return 'isTTY' in stream && stream.isTTY === true;
}

/** A redrawn bar on a terminal; on a pipe or a CI log, a plain line every 2 s and one at the end. */
export function progressReporter(io: CliIo): { update(p: RunProgress): void; finish(): void } {
  const tty = isTerminal(io.stderr);
  let lastLine = 0;
  let drawn = false;
  return {
    update(p) {
      const { done, total, skipped, notRun } = p.counts;
      const failed = p.counts.failed + p.counts.partlyMapped;
      const of = total !== null ? ` of ${total}` : '';
      if (tty) {
        const width = 30;
        const filled = total ? Math.round((done / Math.max(total, 1)) * width) : 0;
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        io.stderr.write(
          `\r${bar} ${done}${of} leads, ${failed} did not succeed${skipped ? `, ${skipped} skipped` : ''}${notRun ? `, ${notRun} not run` : ''} ${p.state === 'paused' ? '(paused)' : ''}\u001b[K`,
        );
        drawn = true;
        return;
      }
      const now = Date.now();
      if (p.state === 'running' && now - lastLine < 2000) return;
      lastLine = now;
      io.stderr.write(
        `run: ${done}${of} leads, ${failed} did not succeed${skipped ? `, ${skipped} skipped` : ''}${notRun ? `, ${notRun} not run` : ''} (${p.state})\n`,
      );
    },
    finish() {
      if (tty && drawn) io.stderr.write('\n');
    },
  };
}

/** What the run did, for stdout once it ends. */
export function summaryText(s: RunSummary, outDir: string): string {
  const c = s.counts;
  const lat = s.latency;
  const lines = [
    `${s.webhook}: ${c.succeeded} of ${c.leads} leads succeeded; ${s.state}${s.message ? `: ${s.message}` : ''}`,
    accountingText(c),
    `outcomes: ${
      Object.entries(c.byOutcome)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    }`,
  ];
  if (lat) {
    lines.push(
      `latency: p50 ${lat.p50Ms} ms, p90 ${lat.p90Ms} ms, p95 ${lat.p95Ms} ms, p99 ${lat.p99Ms} ms (min ${lat.minMs}, max ${lat.maxMs})`,
    );
    lines.push(
      `Marketo, calling one lead after another at this latency, would take ${formatDuration(s.sequentialMs)} (this run: ${formatDuration(s.wallMs)})`,
    );
  }
  if (s.notWritten.leads > 0) {
    lines.push(
      `mappings not written for ${s.notWritten.leads} lead(s): ${Object.entries(s.notWritten.byReason)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    for (const e of s.notWritten.examples.slice(0, 5))
      lines.push(`  line ${e.line} (${e.leadKey}): ${e.field}: ${e.reason}${e.message ? ` (${e.message})` : ''}`);
  }
  for (const d of s.lint.slice(0, 10))
    lines.push(`${d.severity} ${d.code}: ${d.message} (${d.leads} lead${d.leads === 1 ? '' : 's'})`);
  for (const p of s.problems.examples.slice(0, 10)) lines.push(`bad row: line ${p.line}: ${p.message}`);
  if (s.problems.count > 10) lines.push(`… and ${s.problems.count - 10} more bad rows (see summary.json)`);
  if (s.rateLimited)
    lines.push(
      `rate limited: ${s.rateLimited.leads} lead(s) answered 429${s.rateLimited.withRetryAfter ? ` (${s.rateLimited.withRetryAfter} with Retry-After)` : ''}; Marketo does not retry them`,
    );
  for (const t of s.triggers ?? [])
    lines.push(
      `trigger "${t.name}": fires for ${t.leads} of ${c.sent} lead(s)${t.assumed ? ` (assumed: ${t.assumed.join(', ')})` : ''}`,
    );
  for (const n of s.notes.slice(0, 10)) lines.push(`note: ${n}`);
  lines.push(
    `results: ${Object.values(s.files)
      .map((f) => path.join(outDir, f))
      .join(', ')}`,
  );
  return `${lines.join('\n')}\n`;
}
