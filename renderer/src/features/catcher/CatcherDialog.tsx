import { useMemo, useState } from 'react';
import type { CatcherRule } from '@shared/model';
import { useStudio } from '../../store/context';
import { DialogActions, Modal } from '../../components/Modal';
import { catcherPresets } from './presets';
import { checkForm, formOf, type Checked, type RuleForm } from './rule-form';
import { RuleEditor } from './RuleEditor';
import { RuleList } from './RuleList';

/** The rules being edited, and which one the form shows. */
interface Draft {
  forms: RuleForm[];
  selected: number | undefined;
}

function moved(forms: RuleForm[], id: number, by: -1 | 1): RuleForm[] {
  const i = forms.findIndex((f) => f.id === id);
  const j = i + by;
  if (i < 0 || j < 0 || j >= forms.length) return forms;
  const next = [...forms];
  [next[i], next[j]] = [next[j] as RuleForm, next[i] as RuleForm];
  return next;
}

/** The draft's edits: add (blank or a preset), change, move, remove, select. */
function useDraft(initial: CatcherRule[]) {
  const [draft, setDraft] = useState<Draft>(() => {
    const forms = initial.map(formOf);
    return { forms, selected: forms[0]?.id };
  });
  const add = (rule: CatcherRule) => {
    const form = formOf(rule);
    setDraft((d) => ({ forms: [...d.forms, form], selected: form.id }));
  };
  return {
    draft,
    add,
    select: (id: number) => setDraft((d) => ({ ...d, selected: id })),
    change: (id: number, change: Partial<RuleForm>) =>
      setDraft((d) => ({ ...d, forms: d.forms.map((f) => (f.id === id ? { ...f, ...change } : f)) })),
    move: (id: number, by: -1 | 1) => setDraft((d) => ({ ...d, forms: moved(d.forms, id, by) })),
    remove: (id: number) =>
      setDraft((d) => {
        const forms = d.forms.filter((f) => f.id !== id);
        return { forms, selected: d.selected === id ? forms[0]?.id : d.selected };
      }),
  };
}

/** Add a blank rule, or one of the presets, at the end of the list. */
function AddButtons({ onAdd }: { onAdd: (rule: CatcherRule) => void }) {
  return (
    <div className="catcher-presets" role="group" aria-label="Add a rule">
      <button type="button" className="btn small" onClick={() => onAdd({})}>
        Add rule
      </button>
      {catcherPresets.map((p) => (
        <button key={p.label} type="button" className="btn small" onClick={() => onAdd(p.rule)}>
          {p.label}
        </button>
      ))}
    </div>
  );
}

/**
 * "Catcher answers": the built-in catcher's rules, in the order it tries them, with presets a Marketo
 * tester reaches for. Each rule is checked as it is typed; Save writes catcher.yaml, and the catcher
 * answers with the saved rules from the next request on.
 */
export function CatcherDialog({ onClose }: { onClose: () => void }) {
  const saved = useStudio((s) => s.catcherRules);
  const saveRules = useStudio((s) => s.saveCatcherRules);
  const { draft, add, select, change, move, remove } = useDraft(saved);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const checked = useMemo(() => new Map<number, Checked>(draft.forms.map((f) => [f.id, checkForm(f)])), [draft.forms]);
  const invalid = new Set([...checked].filter(([, c]) => !c.ok).map(([id]) => id));
  const index = draft.forms.findIndex((f) => f.id === draft.selected);
  const form = draft.forms[index];
  const formCheck = form ? checked.get(form.id) : undefined;

  const save = async () => {
    const bad = draft.forms.findIndex((f) => invalid.has(f.id));
    if (bad >= 0) {
      select((draft.forms[bad] as RuleForm).id);
      setRefusal(`Not saved: rule ${String(bad + 1)} has a problem (shown by its field).`);
      return;
    }
    setRefusal(undefined);
    setSaving(true);
    const rules = draft.forms.map((f) => {
      const c = checked.get(f.id);
      return c?.ok ? c.rule : {};
    });
    const ok = await saveRules(rules);
    setSaving(false);
    if (ok) onClose();
  };

  return (
    <Modal title="Catcher answers" onClose={onClose} className="dialog catcher-dialog">
      <div className="catcher-head" aria-hidden="true">
        <h2>Catcher answers</h2>
      </div>
      <p className="help">
        The built-in catcher answers each request with the first rule matching its method and path; with none, 200{' '}
        <code>{'{"ok":true}'}</code>. Saved in the collection as <code>catcher.yaml</code>.
      </p>
      <div className="catcher-body">
        <div className="catcher-list-side">
          <RuleList
            forms={draft.forms}
            selected={draft.selected}
            invalid={invalid}
            onSelect={select}
            onMove={move}
            onRemove={remove}
          />
          <AddButtons onAdd={add} />
        </div>
        {form ? (
          <RuleEditor
            key={form.id}
            form={form}
            number={index + 1}
            problems={formCheck && !formCheck.ok ? formCheck.problems : {}}
            onChange={(c) => change(form.id, c)}
          />
        ) : (
          <p className="catcher-editor catcher-empty">Pick a rule to edit it.</p>
        )}
      </div>
      {refusal && (
        <p className="catcher-problem" role="alert" data-testid="catcher-refusal">
          {refusal}
        </p>
      )}
      <DialogActions
        onCancel={onClose}
        submitLabel={saving ? 'Saving…' : 'Save'}
        disabled={saving}
        onSubmit={() => void save()}
      />
    </Modal>
  );
}
