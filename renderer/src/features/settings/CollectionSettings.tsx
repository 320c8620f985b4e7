import { useStudio } from '../../store/context';
import { DialogActions, Modal } from '../../components/Modal';
import { FileField, SecretField, TextField, VerifyField } from './NetworkFields';
import type { NetworkTextKey } from './network-form';
import { useNetworkSettings } from './use-network-settings';

/** Collection settings: the network section of collection.yaml (proxy, certificates, TLS checks). */
export function CollectionSettingsDialog({ onClose }: { onClose: () => void }) {
  const dir = useStudio((s) => s.dir);
  return (
    <Modal title="Collection settings" onClose={onClose} className="dialog settings-dialog">
      {dir ? (
        <NetworkSettings dir={dir} onClose={onClose} />
      ) : (
        <p className="help">Open a collection first: its settings live in its collection.yaml.</p>
      )}
    </Modal>
  );
}

function NetworkSettings({ dir, onClose }: { dir: string; onClose: () => void }) {
  const notify = useStudio((s) => s.notify);
  const { form, errors, problem, saving, checks, update, save } = useNetworkSettings(dir);
  if (!form)
    return problem ? <p className="settings-error">{problem}</p> : <p className="help">Reading the settings…</p>;
  const onText = (key: NetworkTextKey, value: string) => update({ [key]: value });
  const props = { form, errors, onText };
  const submit = async () => {
    if (await save()) {
      notify('info', 'Network settings saved to collection.yaml; the next send uses them.');
      onClose();
      return;
    }
    // Focus goes to the first field with a problem, so it is read out and can be fixed at once.
    setTimeout(() => document.querySelector<HTMLElement>('.settings-field.invalid input')?.focus(), 0);
  };
  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="settings-head">
        {/* The dialog's own heading is for screen readers only when it has a class of its own. */}
        <p className="settings-title" aria-hidden="true">
          Collection settings
        </p>
        <h3>Network</h3>
        <p className="help">How this collection's sends and runs connect. Saved in collection.yaml; no password is.</p>
      </div>
      <fieldset className="settings-group" aria-label="Proxy">
        <legend>Proxy</legend>
        <TextField
          {...props}
          name="proxy"
          placeholder="http://proxy.example:3128 or https://… (empty: from the environment)"
        />
        <TextField {...props} name="proxyUser" />
        <SecretField {...props} name="proxyPasswordSecret" valueLabel="Proxy password" />
        <TextField {...props} name="noProxy" placeholder="localhost, .internal.example" />
      </fieldset>
      <fieldset className="settings-group" aria-label="Certificates">
        <legend>Certificates</legend>
        <FileField {...props} checks={checks} name="ca" />
        <FileField {...props} checks={checks} name="clientCert" />
        <FileField {...props} checks={checks} name="clientKey" />
        <FileField {...props} checks={checks} name="pfx" />
        <SecretField {...props} name="passphraseSecret" valueLabel="Key or PFX passphrase" />
        <VerifyField form={form} onVerify={(on) => update({ verifyTls: on })} />
      </fieldset>
      {problem && (
        <p className="settings-error" role="alert">
          {problem}
        </p>
      )}
      <DialogActions onCancel={onClose} submitLabel={saving ? 'Saving…' : 'Save'} disabled={saving} />
    </form>
  );
}
