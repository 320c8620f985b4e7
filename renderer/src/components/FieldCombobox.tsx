import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import type { FieldCatalog } from '@shared/model';
import { nearestField } from '@shared/catalog';
import {
  fieldOptions,
  isKnownName,
  nameIn,
  nextEnabled,
  popupPlace,
  typedName,
  type FieldNames,
  type FieldOption,
} from './field-options';

export type FieldComboboxProps = {
  fields: FieldCatalog;
  /** The lead field named now ('' for none). */
  value: string;
  /** A field picked, or a name typed and confirmed (Enter, leaving the field). */
  onChange: (name: string) => void;
  names: FieldNames;
  label?: string;
  labelledBy?: string;
  id?: string;
  autoFocus?: boolean;
  placeholder?: string;
  /**
   * Moving through the list with the arrow keys picks each field as it goes, as a native select does
   * (a mapping row); Escape goes back to the field the list opened on. Otherwise only Enter or a click picks.
   */
  browsePicks?: boolean;
  /** Leaving the field keeps what was typed (default); false leaves it to the form around (an add form). */
  commitOnBlur?: boolean;
  /** What the input shows, on every change (an add form's + Add button reads it). */
  onDraft?: (text: string) => void;
};

/** The picker's state between renders: what was typed, what the input shows, the list and its active line. */
type ComboState = {
  /** What was typed, which filters the list; null: nothing typed since the last pick (the whole list). */
  query: string | null;
  /** What the input shows when it is not the value: the typed text, or the option browsed to. */
  text: string | null;
  open: boolean;
  active: number;
  /** The value when the list opened, which Escape goes back to. */
  openedOn: string;
};

const closed: ComboState = { query: null, text: null, open: false, active: -1, openedOn: '' };

/**
 * A searchable lead field picker (ARIA combobox with a listbox popup): type to filter by display, SOAP or
 * REST name, ArrowUp/Down, Home/End and Enter to pick, Escape to close. Each line shows the field's names
 * and type in full. A name the catalog does not have can be typed and kept; it is flagged.
 */
export function FieldCombobox(props: FieldComboboxProps) {
  const { fields, value, names, commitOnBlur = true } = props;
  const listId = useId();
  const flagId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [place, setPlace] = useState<CSSProperties>({});
  const k = useComboState(props);
  const { s, options, change, pick } = k;
  const optionId = (i: number) => `${listId}-option-${i}`;
  usePopupPlace(s.open, input, setPlace);
  useEffect(() => {
    if (s.open && s.active >= 0) document.getElementById(optionId(s.active))?.scrollIntoView({ block: 'nearest' });
  });
  const flagged = value !== '' && s.text === null && !isKnownName(fields, names, value);
  return (
    <span className="field-combobox">
      <input
        ref={input}
        type="text"
        id={props.id}
        role="combobox"
        aria-label={props.label}
        aria-labelledby={props.labelledBy}
        aria-expanded={s.open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={s.open && s.active >= 0 ? optionId(s.active) : undefined}
        aria-describedby={flagged ? flagId : undefined}
        autoComplete="off"
        spellCheck={false}
        autoFocus={props.autoFocus}
        data-autofocus={props.autoFocus ? '' : undefined}
        placeholder={props.placeholder ?? 'Type to find a lead field…'}
        className={names === 'soap' ? 'mono' : undefined}
        value={s.text ?? value}
        onChange={(e) => change({ ...s, query: e.target.value, text: e.target.value, open: true, active: -1 })}
        onClick={() => {
          if (!s.open) change({ ...s, open: true, openedOn: value });
        }}
        onBlur={() => {
          if (commitOnBlur && s.query !== null && s.text !== null) pick(typedName(fields, names, s.text));
          else k.setS({ ...s, open: false, active: -1 });
        }}
        onKeyDown={(e) => onComboKey(e, k)}
      />
      {flagged && <NotInCatalog id={flagId} fields={fields} names={names} value={value} onUse={k.pick} />}
      <FieldList
        id={listId}
        open={s.open}
        place={place}
        options={options}
        active={s.active}
        optionId={optionId}
        onPick={k.choose}
      />
    </span>
  );
}

/** The picker's state and what changes it: typing, browsing with the arrows, picking. */
function useComboState(props: FieldComboboxProps): KeyContext & { setS: (s: ComboState) => void } {
  const { fields, value, onChange, names, browsePicks = false, onDraft } = props;
  const [s, setS] = useState<ComboState>(closed);
  const options = useMemo(() => fieldOptions(fields, names, s.query), [fields, names, s.query]);
  const change = (next: ComboState) => {
    if (next.text !== s.text) onDraft?.(next.text ?? value);
    setS(next);
  };
  const pick = (name: string) => {
    change(closed);
    if (name !== value) onChange(name);
  };
  const browse = (active: number) => {
    const option = options[active];
    if (!option) return;
    change({ ...(s.open ? s : { ...s, openedOn: value }), open: true, active, text: option.name });
    if (browsePicks && !option.disabled && option.name !== value) onChange(option.name);
  };
  const choose = (option: FieldOption | undefined) => {
    if (option && !option.disabled) pick(option.name);
  };
  return { s, setS, options, value, browse, choose, pick, change, fields, names, browsePicks };
}

/**
 * Under a name the catalog does not have: said so, and when a field is close to it (a typo), that
 * field, one click to use it instead.
 */
function NotInCatalog({
  id,
  fields,
  names,
  value,
  onUse,
}: {
  id: string;
  fields: FieldCatalog;
  names: FieldNames;
  value: string;
  onUse: (name: string) => void;
}) {
  const near = nearestField(fields, value);
  const usable = near && (names === 'display' || (near.soapName !== undefined && !near.readOnly));
  return (
    <span className="field-combobox-flag" id={id}>
      not in the field catalog
      {usable && (
        <>
          {' '}
          — did you mean{' '}
          <button type="button" className="field-combobox-use" onClick={() => onUse(nameIn(near, names))}>
            {nameIn(near, names)}
          </button>
          ?
        </>
      )}
    </span>
  );
}

/** The listbox under the input: the matching fields, or a line saying none matches. */
function FieldList({
  id,
  open,
  place,
  options,
  active,
  optionId,
  onPick,
}: {
  id: string;
  open: boolean;
  place: CSSProperties;
  options: FieldOption[];
  active: number;
  optionId: (i: number) => string;
  onPick: (option: FieldOption) => void;
}) {
  return (
    <ul id={id} role="listbox" aria-label="Lead fields" className="field-combobox-list" hidden={!open} style={place}>
      {open &&
        options.map((o, i) => (
          <OptionLine key={o.key} option={o} id={optionId(i)} active={i === active} onPick={() => onPick(o)} />
        ))}
      {open && options.length === 0 && (
        <li role="option" aria-selected={false} aria-disabled className="field-combobox-none">
          No lead field matches
        </li>
      )}
    </ul>
  );
}

/** Keeps the list's place next to the input while it is open, as the page scrolls or the window resizes. */
function usePopupPlace(
  open: boolean,
  input: RefObject<HTMLInputElement | null>,
  setPlace: (p: CSSProperties) => void,
): void {
  useLayoutEffect(() => {
    if (!open) return;
    const measure = () => {
      const el = input.current;
      if (el) setPlace(popupPlace(el.getBoundingClientRect(), { width: innerWidth, height: innerHeight }));
    };
    measure();
    addEventListener('resize', measure);
    addEventListener('scroll', measure, true);
    return () => {
      removeEventListener('resize', measure);
      removeEventListener('scroll', measure, true);
    };
  }, [open, input, setPlace]);
}

/** One field in the list: display name, then SOAP name, REST name and type, wrapping rather than cut off. */
function OptionLine({
  option: o,
  id,
  active,
  onPick,
}: {
  option: FieldOption;
  id: string;
  active: boolean;
  onPick: () => void;
}) {
  const f = o.field;
  return (
    <li
      id={id}
      role="option"
      aria-selected={active}
      aria-disabled={o.disabled ? true : undefined}
      className={`field-option${active ? ' active' : ''}`}
      // Keep focus in the input: a click picks, it does not blur (which would keep the typed text first).
      onMouseDown={(e) => e.preventDefault()}
      onClick={onPick}
    >
      {f ? (
        <>
          <span className="field-option-name">{f.displayName}</span>
          <span className="field-option-names">
            <code>{f.soapName ?? 'no SOAP name'}</code>
            {f.restName !== undefined && <code className="rest">{f.restName}</code>}
            <span className="badge type">{f.type}</span>
            {o.disabled && <span className="field-option-why">{o.disabled}</span>}
          </span>
        </>
      ) : (
        <span className="field-option-name">
          Use “{o.name}” <span className="field-option-why">not in the field catalog</span>
        </span>
      )}
    </li>
  );
}

type KeyContext = {
  s: ComboState;
  options: FieldOption[];
  value: string;
  browse: (active: number) => void;
  choose: (option: FieldOption | undefined) => void;
  pick: (name: string) => void;
  change: (next: ComboState) => void;
  fields: FieldCatalog;
  names: FieldNames;
  browsePicks: boolean;
};

/** ArrowDown/ArrowUp: open the list, or move to the next field that can be picked (Alt: only open or close). */
function onArrow(e: KeyboardEvent<HTMLInputElement>, k: KeyContext): void {
  const { s, options } = k;
  const opening = s.open ? s : { ...s, openedOn: k.value };
  if (e.altKey) {
    k.change({ ...opening, open: e.key === 'ArrowDown' });
    return;
  }
  const current = s.open ? s.active : options.findIndex((o) => o.name === k.value);
  const step = e.key === 'ArrowDown' ? 1 : -1;
  const from = current < 0 ? (step > 0 ? -1 : options.length) : current;
  const to = nextEnabled(options, from, step);
  if (to !== from) k.browse(to);
  else k.change({ ...opening, open: true });
}

/** Which keys the combobox takes for itself (Escape would close the dialog, Enter submit a form). */
function takesKey(e: KeyboardEvent<HTMLInputElement>, s: ComboState): boolean {
  switch (e.key) {
    case 'ArrowDown':
    case 'ArrowUp':
      return true;
    case 'Home':
    case 'End':
      return s.open;
    case 'Enter':
      return (s.open && s.active >= 0) || s.text !== null;
    case 'Escape':
      return s.open || s.text !== null;
    default:
      return false;
  }
}

/** The combobox keys; a key it uses goes no further. */
function onComboKey(e: KeyboardEvent<HTMLInputElement>, k: KeyContext): void {
  const { s, options } = k;
  if (!takesKey(e, s)) return;
  e.preventDefault();
  e.stopPropagation();
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') onArrow(e, k);
  else if (e.key === 'Home') k.browse(nextEnabled(options, -1, 1));
  else if (e.key === 'End') k.browse(nextEnabled(options, options.length, -1));
  else if (e.key === 'Enter') {
    if (s.open && s.active >= 0) k.choose(options[s.active]);
    else if (s.text !== null) k.pick(typedName(k.fields, k.names, s.text));
  } else {
    k.change(closed);
    if (k.browsePicks && s.open && s.openedOn !== k.value) k.pick(s.openedOn);
  }
}
