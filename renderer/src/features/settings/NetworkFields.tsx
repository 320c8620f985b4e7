import type { ReactNode } from 'react';
import type { NetworkFileCheck, NetworkFileKey } from '@shared/model/network';
import { networkKeyDocs } from '@shared/model/network';
import { SecretValueInput } from '../../components/SecretFields';
import type { FormErrors, NetworkForm, NetworkTextKey } from './network-form';

/** What each field is called, in words. */
export const fieldLabels: Record<keyof NetworkForm, string> = {
  proxy: 'Proxy URL',
  proxyUser: 'Proxy user',
  proxyPasswordSecret: 'Proxy password secret',
  noProxy: 'Go direct to',
  ca: 'Extra CA certificate',
  clientCert: 'Client certificate',
  clientKey: 'Client key',
  pfx: 'PFX file',
  passphraseSecret: 'Passphrase secret',
  verifyTls: 'Verify TLS certificates',
};

export const fieldId = (key: keyof NetworkForm): string => `network-${key}`;

export interface FieldProps {
  form: NetworkForm;
  errors: FormErrors;
  onText: (key: NetworkTextKey, value: string) => void;
}

/** One field: its label, the control, a one-line explanation, and its problem when it has one. */
function Field({ name, error, children }: { name: keyof NetworkForm; error: string | undefined; children: ReactNode }) {
  return (
    <div className={error ? 'settings-field invalid' : 'settings-field'}>
      <label className="field-label" htmlFor={fieldId(name)}>
        {fieldLabels[name]}
      </label>
      <div className="settings-control">
        {children}
        <p className="help" id={`${fieldId(name)}-help`}>
          {networkKeyDocs[name]}
        </p>
        {error && (
          <p className="settings-error" id={`${fieldId(name)}-error`} role="alert">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

/** A text field of the network section, described by its explanation and its problem. */
export function TextField({
  name,
  placeholder,
  form,
  errors,
  onText,
  after,
}: FieldProps & { name: NetworkTextKey; placeholder?: string; after?: ReactNode }) {
  const error = errors[name];
  const id = fieldId(name);
  return (
    <Field name={name} error={error}>
      <input
        type="text"
        id={id}
        value={form[name]}
        placeholder={placeholder}
        spellCheck={false}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
        onChange={(e) => onText(name, e.target.value)}
      />
      {after}
    </Field>
  );
}

/** Whether the service could read the file a path names: "file found", or why not. */
export function FileStatus({ check }: { check: NetworkFileCheck | undefined }) {
  if (!check) return null;
  return (
    <span className={check.readable ? 'badge good' : 'badge bad'} title={check.message} data-testid="file-status">
      {check.readable ? 'file found' : 'not readable'}
    </span>
  );
}

/** A file path field with its found / not readable status. */
export function FileField(
  props: FieldProps & { name: NetworkFileKey; checks: Partial<Record<NetworkFileKey, NetworkFileCheck>> },
) {
  const { checks, ...rest } = props;
  // A check of a path since edited says nothing about the path now shown.
  const shown = checks[props.name];
  const check = shown?.path === props.form[props.name].trim() ? shown : undefined;
  return (
    <TextField
      {...rest}
      placeholder="certs/name.pem (relative to the collection, or absolute)"
      after={
        <div className="settings-file-status">
          <FileStatus check={check} />
          {check && !check.readable && <span className="help">{check.message}</span>}
        </div>
      }
    />
  );
}

/** A secret's name, and its value typed and stored in the secret store (never in collection.yaml). */
export function SecretField(
  props: FieldProps & { name: 'proxyPasswordSecret' | 'passphraseSecret'; valueLabel: string },
) {
  const { valueLabel, ...rest } = props;
  const secretName = props.form[props.name].trim();
  return (
    <TextField
      {...rest}
      placeholder="a secret name, e.g. proxy password"
      after={secretName !== '' && <SecretValueInput name={secretName} label={valueLabel} wrap />}
    />
  );
}

/** Verify TLS certificates, with a warning while it is off. */
export function VerifyField({ form, onVerify }: { form: NetworkForm; onVerify: (on: boolean) => void }) {
  return (
    <Field name="verifyTls" error={undefined}>
      <label className="settings-check">
        <input
          type="checkbox"
          id={fieldId('verifyTls')}
          checked={form.verifyTls}
          aria-describedby={`${fieldId('verifyTls')}-help`}
          onChange={(e) => onVerify(e.target.checked)}
        />
        {form.verifyTls ? 'On' : 'Off'}
      </label>
      {!form.verifyTls && (
        <p className="settings-warning" role="status">
          TLS verification is off: sends of this collection accept any certificate, so a service can be impersonated.
        </p>
      )}
    </Field>
  );
}
