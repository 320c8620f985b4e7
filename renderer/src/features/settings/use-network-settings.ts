import { useEffect, useState } from 'react';
import { StudioError } from '@shared/model/error';
import { networkFileKeys, type NetworkFileCheck, type NetworkFileKey } from '@shared/model/network';
import { api } from '../../api';
import { describe } from '../../store/describe';
import { errorsOf, formOf, inputOf, validate, type FormErrors, type NetworkForm } from './network-form';

export type FileChecks = Partial<Record<NetworkFileKey, NetworkFileCheck>>;

const byKey = (files: NetworkFileCheck[]): FileChecks => Object.fromEntries(files.map((f) => [f.key, f]));

/** The file paths of the form, as one string that changes when any of them does. */
const pathsOf = (form: NetworkForm | undefined): string =>
  form ? JSON.stringify(networkFileKeys.map((k) => form[k].trim())) : '';

/** Asks the service, a moment after typing stops, whether each file path names a readable file. */
function useFileChecks(dir: string, form: NetworkForm | undefined): [FileChecks, (c: FileChecks) => void] {
  const [checks, setChecks] = useState<FileChecks>({});
  const paths = pathsOf(form);
  useEffect(() => {
    if (paths === '') return;
    const [ca, clientCert, clientKey, pfx] = JSON.parse(paths) as string[];
    const files = { ca, clientCert, clientKey, pfx };
    let live = true;
    const timer = setTimeout(() => {
      api.network
        .check({ dir, files })
        .then((r) => live && setChecks(byKey(r.files)))
        .catch(() => undefined);
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [dir, paths]);
  return [checks, setChecks];
}

/** The Collection settings network form: loaded from collection.yaml, checked as typed, saved back. */
export function useNetworkSettings(dir: string) {
  const [form, setForm] = useState<NetworkForm>();
  const [errors, setErrors] = useState<FormErrors>({});
  const [problem, setProblem] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [checks, setChecks] = useFileChecks(dir, form);
  useEffect(() => {
    let live = true;
    api.network
      .get({ dir })
      .then((r) => {
        if (!live) return;
        setForm(formOf(r.network));
        setChecks(byKey(r.files));
      })
      .catch((e: unknown) => live && setProblem(`The network settings could not be read: ${describe(e)}`));
    return () => {
      live = false;
    };
  }, [dir, setChecks]);

  const update = (patch: Partial<NetworkForm>) => {
    setForm((f) => (f ? { ...f, ...patch } : f));
    // A field's problem goes once it is edited; Save checks everything again.
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !(k in patch))));
  };

  /** Saves; true when collection.yaml was written, else the problems are on their fields. */
  const save = async (): Promise<boolean> => {
    if (!form) return false;
    const found = validate(form);
    setErrors(found);
    setProblem(undefined);
    if (Object.keys(found).length > 0) return false;
    setSaving(true);
    try {
      const r = await api.network.save({ dir, network: inputOf(form) });
      setChecks(byKey(r.files));
      return true;
    } catch (e) {
      if (e instanceof StudioError && e.issues && e.issues.length > 0) setErrors(errorsOf(e.issues));
      else setProblem(describe(e));
      return false;
    } finally {
      setSaving(false);
    }
  };
  return { form, errors, problem, saving, checks, update, save };
}
