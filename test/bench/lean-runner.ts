/**
 * The ceiling the runner bench compares against (not product code, not a bench of its own): the leanest
 * whole-process runner that still does, per lead, what issue 13 asks of `webhook-studio run`. It reads the
 * leads with the runner's lead reader, renders each with the engine, notes the leads about to leave in a
 * journal line written before their requests do (one line per event-loop turn, as the runner does), sends
 * through undici's dispatcher at concurrency 8, evaluates each answer's mappings with the engine, and writes a
 * results line and the four report rows. It keeps no exact head, phase timings, whole exchange, summary or
 * progress, and has no retries, timeouts, cancel or bad-row handling.
 *
 * usage: node lean-runner.mjs <webhook.json> <leads.csv> <out-dir>
 */
import { openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'undici';
import type Dispatcher from 'undici/types/dispatcher';
import { defaultFieldCatalog } from '../../shared/catalog';
import { evaluateResponse, renderWebhook } from '../../shared/engine';
import type { Scalar } from '../../shared/model/context';
import { tokenContextSchema, webhookSchema } from '../../shared/model';
import { createLeadReader, leadContext, leadKey, type LeadRow } from '../../shared/runner/leads';
import { createReportWriter, mappedFields, reporterNames } from '../../shared/runner/reports';
import type { RunRecord } from '../../shared/runner/summary';

const CONCURRENCY = 8;
const CHUNK = 64 * 1024;

const [hookPath, leadsPath, outArg] = process.argv.slice(2);
if (hookPath === undefined || leadsPath === undefined || outArg === undefined)
  throw new Error('usage: lean-runner <webhook.json> <leads.csv> <out-dir>');
const outDir: string = outArg;
const webhook = webhookSchema.parse(JSON.parse(readFileSync(hookPath, 'utf8')));
const context = tokenContextSchema.parse({ name: 'bench' });
const fields = defaultFieldCatalog;

const leads: LeadRow[] = [];
const reader = createLeadReader('csv', fields, { onLead: (lead) => leads.push(lead), onProblem: () => undefined });
reader.push(readFileSync(leadsPath, 'utf8'));
reader.end();

/** A file written in 64 K pieces, as the runner writes results.jsonl and the reports' part files. */
function output(name: string): { add(text: string): void; close(): void } {
  const fd = openSync(path.join(outDir, name), 'w');
  let text = '';
  return {
    add(more) {
      text += more;
      if (text.length >= CHUNK) {
        writeSync(fd, text);
        text = '';
      }
    },
    close: () => writeSync(fd, text),
  };
}

const journal = openSync(path.join(outDir, 'journal.jsonl'), 'w');
const results = output('results.jsonl');
const setup = { webhook: webhook.name, updateFields: mappedFields(webhook.mappings, fields) };
const reports = reporterNames.map((name) => ({ writer: createReportWriter(name, setup), out: output(`${name}.part`) }));

/** Evaluates one answer with the engine and writes its results line and report rows. */
function record(lead: LeadRow, status: number, body: string, totalMs: number): void {
  const mapping = evaluateResponse(webhook, { status, body }, { fields, context: leadContext(context, lead) });
  const updates: Record<string, Scalar> = {};
  for (const m of mapping.mappings) if (m.written) updates[m.field] = m.coerced;
  const key = leadKey(lead);
  const r: RunRecord = {
    line: lead.line,
    leadKey: key,
    email: key,
    outcome: mapping.outcome,
    succeeded: mapping.outcome === 'updated',
    status,
    totalMs,
    message: `HTTP ${status}`,
    attempts: 1,
    notWritten: [],
    updates,
  };
  results.add(`${JSON.stringify(r)}\n`);
  for (const report of reports) report.out.add(report.writer.record(r));
}

const origin = new URL(webhook.url.replace(/\{\{[^}]*\}\}/g, 'x')).origin;
const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
let next = 0;
let inFlight = 0;
let done = 0;
let woken = false;

function send(lead: LeadRow): void {
  const start = performance.now();
  const rendered = renderWebhook(webhook, leadContext(context, lead), { fields, tokenUses: false });
  const chunks: Buffer[] = [];
  let status = 0;
  const handler: Dispatcher.DispatchHandler = {
    onConnect: () => undefined,
    onHeaders: (code) => {
      status = code;
      return true;
    },
    onData: (chunk) => {
      chunks.push(chunk);
      return true;
    },
    onComplete: () => {
      record(lead, status, Buffer.concat(chunks).toString('utf8'), performance.now() - start);
      inFlight--;
      if (++done === leads.length) finish();
      else wake();
    },
    onError: (e) => {
      throw e;
    },
  };
  pool.dispatch(
    {
      method: rendered.method,
      path: rendered.requestTarget,
      headers: rendered.headers.flatMap((h) => [h.name, h.value]),
      body: rendered.body ?? '',
    },
    handler,
  );
}

/** Starts the leads that fit, behind one journal line; woken once per turn of the event loop, as the runner's dispatcher. */
function launch(): void {
  woken = false;
  const from = next;
  while (inFlight < CONCURRENCY && next < leads.length) {
    inFlight++;
    next++;
  }
  if (next === from) return;
  writeSync(
    journal,
    `{"dispatched":[${leads
      .slice(from, next)
      .map((l) => l.line)
      .join(',')}]}\n`,
  );
  for (let i = from; i < next; i++) send(leads[i] as LeadRow);
}

function wake(): void {
  if (woken) return;
  woken = true;
  setImmediate(launch);
}

function finish(): void {
  results.close();
  for (const report of reports) report.out.close();
  void pool.close();
}

wake();
