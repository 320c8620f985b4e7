import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createSender } from '../../services/sender/index';
import { catcherFor } from '../catcher-target';
import { createSecrets } from '../../services/secrets/index';
import { countLeads, createRunner, RunInputError, type RunProgress } from '../../services/runner/index';
import { leadFormatOf } from '../../../shared/runner/leads';
import { reporterNames, type ReporterName } from '../../../shared/runner/reports';
import { formatDuration, type RunSummary } from '../../../shared/runner/summary';
import { tokenContextSchema, type FieldCatalog, type Profile, type TokenContext, type Webhook } from '../../../shared/model';
import { CliError, exitCodes } from '../cli-error';
import { parseCommandArgs, type CliIo, type Command } from '../io';
import { loadInputs } from '../load-inputs';
import { readTriggers } from './map';

const usage =
  'webhook-studio run <webhook> --leads <file> [--context <ctx>] [--collection <dir>] [--fields <catalog>] [--profile <profile>] ' +
  '[--concurrency N] [--rate R] [--retries N] [--on-bad-row skip|stop] [--reporter json,junit,html,csv] [--out <dir>] [--catcher] [--triggers <file>]';

interface Loaded {
  webhook: Webhook;
  context: TokenContext;
  fields: FieldCatalog;
  profile: Partial<Profile>;
}

function positiveInt(raw: string | undefined, option: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > max) throw new CliError(`--${option} must be a whole number from 1 to ${max}, not '${raw}'`);
  return n;
}

function parseReporters(raw: string | undefined): ReporterName[] {
  if (raw === undefined) return [...reporterNames];
  const names = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const name of names) {
    if (!(reporterNames as readonly string[]).includes(name)) throw new CliError(`unknown reporter '${name}' (choose from ${reporterNames.join(', ')})`);
  }
  return names as ReporterName[];
}

/** A redrawn bar on a terminal; on a pipe or a CI log, a plain line every 2 s and one at the end. */
export function progressReporter(io: CliIo): { update(p: RunProgress): void; finish(): void } {
  const tty = (io.stderr as NodeJS.WriteStream).isTTY === true;
  let lastLine = 0;
  let drawn = false;
  return {
    update(p) {
      const { done, total, failed, skipped } = p.counts;
      const of = total !== null ? ` of ${total}` : '';
      if (tty) {
        const width = 30;
        const filled = total ? Math.round((done / Math.max(total, 1)) * width) : 0;
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        io.stderr.write(`\r${bar} ${done}${of} leads, ${failed} did not succeed${skipped ? `, ${skipped} skipped` : ''} ${p.state === 'paused' ? '(paused)' : ''}\u001b[K`);
        drawn = true;
        return;
      }
      const now = Date.now();
      if (p.state === 'running' && now - lastLine < 2000) return;
      lastLine = now;
      io.stderr.write(`run: ${done}${of} leads, ${failed} did not succeed${skipped ? `, ${skipped} skipped` : ''} (${p.state})\n`);
    },
    finish() {
      if (tty && drawn) io.stderr.write('\n');
    },
  };
}

function summaryText(s: RunSummary, outDir: string): string {
  const c = s.counts;
  const lat = s.latency;
  const lines = [
    `${s.webhook}: ${c.succeeded} of ${c.leads} leads succeeded, ${c.failed} did not${c.skipped ? ` (${c.skipped} malformed rows skipped)` : ''}; ${s.state}${s.message ? `: ${s.message}` : ''}`,
    `outcomes: ${Object.entries(c.byOutcome).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
  ];
  if (lat) {
    lines.push(`latency: p50 ${lat.p50Ms} ms, p90 ${lat.p90Ms} ms, p95 ${lat.p95Ms} ms, p99 ${lat.p99Ms} ms (min ${lat.minMs}, max ${lat.maxMs})`);
    lines.push(`Marketo, calling one lead after another at this latency, would take ${formatDuration(s.sequentialMs)} (this run: ${formatDuration(s.wallMs)})`);
  }
  if (s.notWritten.leads > 0) {
    lines.push(`mappings not written for ${s.notWritten.leads} lead(s): ${Object.entries(s.notWritten.byReason).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const e of s.notWritten.examples.slice(0, 5)) lines.push(`  line ${e.line} (${e.leadKey}): ${e.field}: ${e.reason}${e.message ? ` (${e.message})` : ''}`);
  }
  for (const d of s.lint.slice(0, 10)) lines.push(`${d.severity} ${d.code}: ${d.message} (${d.leads} lead${d.leads === 1 ? '' : 's'})`);
  for (const p of s.problems.examples.slice(0, 10)) lines.push(`bad row: line ${p.line}: ${p.message}`);
  if (s.problems.count > 10) lines.push(`… and ${s.problems.count - 10} more bad rows (see summary.json)`);
  if (s.rateLimited) lines.push(`rate limited: ${s.rateLimited.leads} lead(s) answered 429${s.rateLimited.withRetryAfter ? ` (${s.rateLimited.withRetryAfter} with Retry-After)` : ''}; Marketo does not retry them`);
  for (const t of s.triggers ?? []) lines.push(`trigger "${t.name}": fires for ${t.leads} of ${c.sent} lead(s)${t.assumed ? ` (assumed: ${t.assumed.join(', ')})` : ''}`);
  for (const n of s.notes.slice(0, 10)) lines.push(`note: ${n}`);
  lines.push(`results: ${Object.values(s.files).map((f) => path.join(outDir, f)).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export const command: Command = {
  summary: 'Run a webhook once per lead of a CSV/JSON/JSONL file, as a trigger campaign would; write results and reports. Exit 0: every lead succeeded; 1: some did not; 2: bad input.',
  usage,
  async run(io) {
    const { values, positionals } = parseCommandArgs('run', io.argv, {
      leads: { type: 'string' },
      context: { type: 'string' },
      collection: { type: 'string' },
      fields: { type: 'string' },
      profile: { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      retries: { type: 'string' },
      'on-bad-row': { type: 'string' },
      reporter: { type: 'string' },
      out: { type: 'string' },
      catcher: { type: 'boolean' },
      triggers: { type: 'string' },
    }, usage);
    if (positionals.length !== 1) throw new CliError(`expected one webhook, got ${positionals.length}\nusage: ${usage}`);
    if (values.leads === undefined) throw new CliError(`--leads <file> is required (a CSV, JSON or JSONL file of leads)\nusage: ${usage}`);
    const webhookRef = positionals[0] as string;
    const concurrency = positiveInt(values.concurrency, 'concurrency', 1, 64);
    const retries = values.retries === undefined ? 0 : positiveInt(values.retries, 'retries', 0, 10);
    let rate: number | undefined;
    if (values.rate !== undefined) {
      rate = Number(values.rate);
      if (!Number.isFinite(rate) || rate <= 0) throw new CliError(`--rate must be a positive number of requests per second, not '${values.rate}'`);
    }
    const onBadRow = values['on-bad-row'] ?? 'skip';
    if (onBadRow !== 'skip' && onBadRow !== 'stop') throw new CliError(`--on-bad-row must be skip or stop, not '${onBadRow}'`);
    const reporters = parseReporters(values.reporter);

    const leadsPath = path.resolve(io.cwd, values.leads);
    const format = leadFormatOf(leadsPath);
    if (!format) throw new CliError(`${values.leads}: the leads file must end in .csv, .json, .jsonl or .ndjson`);
    try {
      const info = await stat(leadsPath);
      if (info.isDirectory()) throw new CliError(`cannot read the leads file '${values.leads}': it is a folder`);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(`cannot read the leads file '${values.leads}': no such file`);
    }

    const inputs = await loadInputs(io, {
      webhook: webhookRef,
      ...(values.collection !== undefined ? { collection: values.collection } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      ...(values.fields !== undefined ? { fields: values.fields } : {}),
      ...(values.profile !== undefined ? { profile: values.profile } : {}),
    });
    for (const w of inputs.warnings) io.stderr.write(`warning: ${w}\n`);
    const triggers = values.triggers !== undefined ? await readTriggers(io.cwd, values.triggers) : inputs.triggers;
    const loaded: Loaded = { webhook: inputs.webhook, context: inputs.context ?? tokenContextSchema.parse({ name: 'none' }), fields: inputs.fields, profile: inputs.profile };

    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
    const slug = loaded.webhook.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'webhook';
    const outDir = path.resolve(io.cwd, values.out ?? path.join('webhook-runs', `${slug}-${stamp}`));

    // One pass to count the leads, so the progress bar knows its end; the file is streamed, not kept.
    const total = await countLeads(format, loaded.fields, createReadStream(leadsPath));

    const catcher = await catcherFor(loaded.webhook.url, values.catcher);
    const sender = createSender({ env: io.env, ...(catcher ? { catcherUrl: async () => catcher.url } : {}) });
    // Secret header values come from WEBHOOK_STUDIO_SECRET_<NAME> in the environment, never from the webhook file.
    const secretsDir = values.collection !== undefined ? path.resolve(io.cwd, values.collection) : path.dirname(path.resolve(io.cwd, webhookRef));
    const secrets = createSecrets({ dir: secretsDir, env: io.env });
    const runner = createRunner({ sender });
    const progress = progressReporter(io);
    try {
      let handle;
      try {
        handle = runner.start({
          webhook: loaded.webhook,
          webhookName: loaded.webhook.name,
          context: loaded.context,
          fields: loaded.fields,
          profile: loaded.profile,
          triggers,
          leads: { fileName: path.basename(leadsPath), stream: createReadStream(leadsPath), format },
          total,
          concurrency,
          ...(rate !== undefined ? { rate } : {}),
          retries,
          onBadRow,
          target: catcher ? 'catcher' : 'url',
          resolveSecret: (name, host) => {
            const r = secrets.resolveFor(name, host);
            return 'value' in r ? r.value : r;
          },
          outDir,
          reporters,
        });
      } catch (e) {
        if (e instanceof RunInputError) throw new CliError(`${e.message}`);
        throw e;
      }
      handle.onProgress((p) => progress.update(p));
      const onSigint = (): void => handle.cancel();
      process.once('SIGINT', onSigint);
      let summary: RunSummary;
      try {
        summary = await handle.done;
      } finally {
        process.off('SIGINT', onSigint);
        progress.finish();
      }
      io.stdout.write(summaryText(summary, outDir));
      if (summary.state === 'failed') return exitCodes.badInput;
      return summary.counts.failed > 0 || summary.state === 'cancelled' ? exitCodes.findings : exitCodes.ok;
    } finally {
      await sender.close();
      await catcher?.close();
    }
  },
};
