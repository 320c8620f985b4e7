import path from 'node:path';
import type { Exchange, Profile, TokenContext } from '@shared/model';
import { tokenContextSchema } from '@shared/model';
import { aimsAtCatcher } from '../../services/collection/catcher-origin';
import { catcherFor } from '../catcher-target';
import { collectionNetworkOptions } from '../collection-network';
import { secretResolverFor } from '../secret-resolver';
import { parseProxyUrl, ProxySettingError } from '../../services/net/proxy';
import { createSender, type SenderOptions } from '../../services/sender/index';
import { CliError, exitCodes } from '../cli-error';
import { defineCommand, type OptionValues } from '../command-kit';
import { readInputFile, writeJson, type CliIo } from '../io';
import { inputOptions, loadCommandInputs, type Inputs } from '../load-inputs';
import { mappingJson } from './map';

const usage =
  'webhook-studio send <webhook-file> [--collection <dir>] --context <context-file> [--fields <catalog>] [--profile <profile-file>] [--catcher] [--timeout ms] ' +
  '[--proxy http[s]://[user:password@]host:port|none] [--ca file]... [--insecure] [--cert file --key file [--passphrase p] | --pfx file [--passphrase p]] [--json]';

/** Certificates and keys are small: 1 MiB is far above any PEM or PFX file. */
const maxCertificateBytes = 1024 * 1024;

function readInput(io: CliIo, file: string, what: string): Promise<Buffer> {
  return readInputFile(io, file, what, maxCertificateBytes);
}

async function readPem(io: CliIo, file: string, what: string, marker: RegExp): Promise<string> {
  const text = (await readInput(io, file, what)).toString('utf8');
  if (!marker.test(text))
    throw new CliError(`the ${what} file '${file}' is not PEM text (no '-----BEGIN ...' block found)`);
  return text;
}

export function exchangeJson(ex: Exchange) {
  return {
    request: {
      method: ex.request.method,
      requestTarget: ex.request.requestTarget,
      head: ex.request.head,
      body: ex.request.body,
    },
    response: ex.response
      ? {
          status: ex.response.status,
          reason: ex.response.reason,
          headers: ex.response.headers,
          body: ex.response.body,
          bodyEncoding: ex.response.bodyEncoding,
          truncated: ex.response.truncated,
        }
      : null,
    timings: {
      dnsMs: ex.timings.dnsMs,
      connectMs: ex.timings.connectMs,
      tlsMs: ex.timings.tlsMs,
      ttfbMs: ex.timings.ttfbMs,
      downloadMs: ex.timings.downloadMs,
      totalMs: ex.timings.totalMs,
    },
    outcome: ex.outcome,
    mapping: ex.mapping ? mappingJson(ex.mapping) : null,
  };
}

const ms = (v: number | null): string => (v === null ? '-' : `${v.toFixed(1)} ms`);

function writeHuman(io: CliIo, ex: Exchange): void {
  io.stdout.write(`${ex.request.head.replace(/\r\n/g, '\n')}${ex.request.body}${ex.request.body ? '\n' : ''}\n`);
  if (ex.response) {
    io.stdout.write(
      `${ex.response.head.replace(/\r\n/g, '\n')}${ex.response.bodyEncoding === 'base64' ? `(${ex.response.bodyBytes} bytes, not UTF-8)` : ex.response.body}\n`,
    );
    if (ex.response.truncated || ex.response.bodyFile)
      io.stdout.write(
        `(${ex.response.bodyBytes} bytes${ex.response.bodyFile ? `, whole body in ${ex.response.bodyFile}` : ''}${ex.response.truncated ? ', cut at maxResponseBytes' : ''})\n`,
      );
    io.stdout.write('\n');
  }
  const t = ex.timings;
  io.stdout.write(
    `timings: dns ${ms(t.dnsMs)}, connect ${ms(t.connectMs)}, tls ${ms(t.tlsMs)}, first byte ${ms(t.ttfbMs)}, download ${ms(t.downloadMs)}, total ${ms(t.totalMs)}\n`,
  );
  io.stdout.write(`outcome: ${ex.outcome}: ${ex.message}\n`);
  for (const m of ex.mapping?.mappings ?? []) {
    io.stdout.write(
      `  ${m.attribute} -> ${m.field}: ${m.written ? `written ${JSON.stringify(m.coerced)}` : `not written (${m.reason ?? ''})`}\n`,
    );
  }
  for (const d of ex.diagnostics)
    if (d.severity !== 'info') io.stdout.write(`${d.severity}: ${d.message} [${d.code}]\n`);
}

function parseTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 600_000)
    throw new CliError(`--timeout must be a number of milliseconds from 1 to 600000, not '${raw}'`);
  return n;
}

const options = {
  ...inputOptions,
  catcher: { type: 'boolean' },
  timeout: { type: 'string' },
  proxy: { type: 'string' },
  ca: { type: 'string', multiple: true },
  insecure: { type: 'boolean' },
  cert: { type: 'string' },
  key: { type: 'string' },
  pfx: { type: 'string' },
  passphrase: { type: 'string' },
} as const;
type SendValues = OptionValues<typeof options>;

/**
 * What send needs before anything is read: a context (or a collection), a valid --timeout, a whole
 * client certificate. Returns --timeout in ms.
 */
function checkSendOptions(values: SendValues): number | undefined {
  if (values.context === undefined && values.collection === undefined)
    throw new CliError(`--context <context-file> is required: the token values to send with (usage: ${usage})`);
  const timeoutMs = parseTimeout(values.timeout);
  if ((values.cert === undefined) !== (values.key === undefined))
    throw new CliError('--cert and --key go together: give both, or use --pfx');
  if (values.pfx !== undefined && values.cert !== undefined)
    throw new CliError('give either --cert/--key or --pfx, not both');
  return timeoutMs;
}

/** The client certificate of --cert/--key or --pfx, read and checked; none without them. */
async function clientCertOf(io: CliIo, values: SendValues): Promise<SenderOptions['clientCert']> {
  const passphrase = values.passphrase !== undefined ? { passphrase: values.passphrase } : {};
  if (values.cert !== undefined && values.key !== undefined) {
    return {
      pem: {
        cert: await readPem(io, values.cert, 'client certificate', /-----BEGIN CERTIFICATE-----/),
        key: await readPem(io, values.key, 'client key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/),
        ...passphrase,
      },
    };
  }
  if (values.pfx !== undefined) return { pfx: { data: await readInput(io, values.pfx, 'PFX'), ...passphrase } };
  return undefined;
}

/** How the sender connects: TLS checks, the proxy, extra CAs, the client certificate. */
async function senderOptionsOf(io: CliIo, values: SendValues, webhookUrl: string): Promise<SenderOptions> {
  // The built-in catcher is on this machine: the collection's network settings are for reaching the service.
  const toCatcher = values.catcher === true || aimsAtCatcher(webhookUrl);
  // The collection's network settings first; each flag given overrides its part.
  const options: SenderOptions = {
    ...(toCatcher ? {} : await collectionNetworkOptions(io, values.collection)),
    env: io.env,
    // The human output names the file holding a body over 1 MiB, to be read after this process ends;
    // --json does not name it, so there it goes at exit.
    keepBodyFiles: values.json !== true,
  };
  if (values.insecure === true) options.verifyTls = false;
  if (values.proxy !== undefined) {
    if (values.proxy !== 'none') {
      try {
        parseProxyUrl(values.proxy, '--proxy');
      } catch (e) {
        throw new CliError(e instanceof ProxySettingError ? e.message : String(e));
      }
    }
    options.proxy = values.proxy;
  }
  if (values.ca)
    options.extraCa = await Promise.all(
      values.ca.map((f) => readPem(io, f, 'CA certificate', /-----BEGIN CERTIFICATE-----/)),
    );
  const clientCert = await clientCertOf(io, values);
  if (clientCert) options.clientCert = clientCert;
  return options;
}

interface SendPlan {
  webhookFile: string;
  collection: string | undefined;
  inputs: Inputs;
  profile: Partial<Profile>;
  options: SenderOptions;
  catcher: boolean | undefined;
}

/** One send, to the catcher when the webhook aims at it (or --catcher), with the secrets it names. */
async function sendOnce(io: CliIo, plan: SendPlan): Promise<Exchange> {
  const { inputs, options } = plan;
  const context: TokenContext = inputs.context ?? tokenContextSchema.parse({ name: 'empty' });
  const near = path.resolve(io.cwd, plan.collection ?? plan.webhookFile);
  const catcher = await catcherFor(inputs.webhook.url, plan.catcher, near);
  if (catcher) {
    const url = catcher.url;
    options.catcherUrl = () => Promise.resolve(url);
  }
  const resolveSecret = secretResolverFor(io.env, near);
  const sender = createSender(options);
  try {
    return await sender.send({
      sendId: 'cli',
      webhook: inputs.webhook,
      context,
      fields: inputs.fields,
      profile: plan.profile,
      target: catcher ? 'catcher' : 'url',
      resolveSecret,
    });
  } finally {
    await sender.close();
    await catcher?.close();
  }
}

/** 0 when an answer came, 2 when nothing was sent, 3 on a network failure, 1 on a failure of the studio's own. */
function exitCodeOf(exchange: Exchange): number {
  switch (exchange.outcome) {
    case 'not-sent':
      return exitCodes.badInput;
    case 'network-error':
    case 'timeout':
    case 'cancelled':
      return exitCodes.network;
    case 'internal-error':
      return exitCodes.findings;
    default:
      return exitCodes.ok;
  }
}

export const command = defineCommand({
  name: 'send',
  summary:
    'Send a webhook as Marketo would and print the exact bytes, phase timings, the outcome and the mapping report. Exit 0 when an answer came, 3 on a network failure or timeout, 2 on bad input.',
  usage,
  options,
  argument: { one: 'webhook file' },
  async run(io, values, webhookFile) {
    const timeoutMs = checkSendOptions(values);
    const inputs = await loadCommandInputs(io, webhookFile, values);
    const options = await senderOptionsOf(io, values, inputs.webhook.url);
    const profile = timeoutMs !== undefined ? { ...inputs.profile, timeoutMs } : inputs.profile;
    const exchange = await sendOnce(io, {
      webhookFile,
      collection: values.collection,
      inputs,
      profile,
      options,
      catcher: values.catcher,
    });
    if (values.json) writeJson(io, exchangeJson(exchange));
    else writeHuman(io, exchange);
    const code = exitCodeOf(exchange);
    // --json keeps stdout one JSON document: why nothing came back goes to stderr too.
    if (values.json && code !== exitCodes.ok) io.stderr.write(`send: ${exchange.message}\n`);
    return code;
  },
});
