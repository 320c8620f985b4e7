import { useState } from 'react';
import { useStudio } from '../store/context';
import { useSecretStatus } from '../lib/secret-status';

/** Whether a secret has a value and where from, beside its field. */
export function SecretStatus({ name }: { name: string }) {
  const status = useSecretStatus(name);
  return (
    <span className={status.set ? 'badge good' : 'badge'} aria-label={`Secret ${name}: ${status.text}`}>
      {status.text}
    </span>
  );
}

/**
 * A secret's value: typed here, kept by Store in the secrets store (never in the collection), with its status.
 * `wrap` lets the status go under the value where the row is narrow.
 */
export function SecretValueInput({ name, label, wrap }: { name: string; label: string; wrap?: boolean }) {
  const secrets = useStudio((s) => s.secrets);
  const setSecret = useStudio((s) => s.setSecret);
  const [value, setValue] = useState('');
  const store = async () => {
    if (await setSecret(name, value)) setValue('');
  };
  return (
    <div
      style={wrap ? { display: 'flex', flexWrap: 'wrap', gap: 6, alignItems: 'center' } : { display: 'flex', gap: 6 }}
    >
      <input
        type="password"
        aria-label={label}
        placeholder={secrets.includes(name) ? 'set — type to replace' : 'type the value, then Store'}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        style={wrap ? { flex: 1, minWidth: '10em' } : { flex: 1 }}
      />
      <button type="button" className="btn small" disabled={!name || !value} onClick={() => void store()}>
        Store
      </button>
      <SecretStatus name={name} />
    </div>
  );
}

/**
 * Makes a value secret or plain. Made secret, the value typed so far moves into the secrets store first (the
 * document keeps no value); if the store refuses it, the value stays plain.
 */
export function SecretCheckbox({
  name,
  label,
  checked,
  typed,
  onChange,
}: {
  name: string;
  label: string;
  checked: boolean;
  typed: string;
  onChange: (secret: boolean) => void;
}) {
  const setSecret = useStudio((s) => s.setSecret);
  const toggle = async (secret: boolean) => {
    if (secret && typed !== '' && !(await setSecret(name, typed))) return;
    onChange(secret);
  };
  return <input type="checkbox" aria-label={label} checked={checked} onChange={(e) => void toggle(e.target.checked)} />;
}
