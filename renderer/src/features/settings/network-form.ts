import { networkSchema, type NetworkSettings, type NetworkSettingsInput } from '@shared/model/network';

/** The network section as the form edits it: every field a string, the check box a boolean. */
export interface NetworkForm {
  proxy: string;
  proxyUser: string;
  proxyPasswordSecret: string;
  noProxy: string;
  ca: string;
  clientCert: string;
  clientKey: string;
  pfx: string;
  passphraseSecret: string;
  verifyTls: boolean;
}
export type NetworkTextKey = Exclude<keyof NetworkForm, 'verifyTls'>;

/** Each field's problem, by key (`proxy`, `ca`, ...); empty when the form is valid. */
export type FormErrors = Partial<Record<keyof NetworkForm, string>>;

export function formOf(n: NetworkSettings): NetworkForm {
  return {
    proxy: n.proxy ?? '',
    proxyUser: n.proxyUser ?? '',
    proxyPasswordSecret: n.proxyPasswordSecret ?? '',
    noProxy: (n.noProxy ?? []).join(', '),
    ca: n.ca ?? '',
    clientCert: n.clientCert ?? '',
    clientKey: n.clientKey ?? '',
    pfx: n.pfx ?? '',
    passphraseSecret: n.passphraseSecret ?? '',
    verifyTls: n.verifyTls,
  };
}

/** What the form means for collection.yaml: blank fields are left out (the key's default). */
export function inputOf(form: NetworkForm): NetworkSettingsInput {
  const out: NetworkSettingsInput = { verifyTls: form.verifyTls };
  const texts: Exclude<NetworkTextKey, 'noProxy'>[] = [
    'proxy',
    'proxyUser',
    'proxyPasswordSecret',
    'ca',
    'clientCert',
    'clientKey',
    'pfx',
    'passphraseSecret',
  ];
  for (const key of texts) {
    const v = form[key].trim();
    if (v !== '') out[key] = v;
  }
  const hosts = form.noProxy
    .split(/[\s,]+/)
    .map((h) => h.trim())
    .filter((h) => h !== '');
  if (hosts.length > 0) out.noProxy = hosts;
  return out;
}

/** Checks the form with the schema collection.yaml is read with, each problem on its field. */
export function validate(form: NetworkForm): FormErrors {
  const parsed = networkSchema.safeParse(inputOf(form));
  if (parsed.success) return {};
  return errorsOf(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
}

/** Issues (`proxy` or `network.proxy`) on their fields; one without a field goes on the proxy, the first. */
export function errorsOf(issues: readonly { path: string; message: string }[]): FormErrors {
  const errors: FormErrors = {};
  for (const issue of issues) {
    const key = issue.path.replace(/^network\.?/, '').split('.')[0] ?? '';
    const field = (key in formOf({ verifyTls: true }) ? key : 'proxy') as keyof NetworkForm;
    errors[field] ??= issue.message;
  }
  return errors;
}
