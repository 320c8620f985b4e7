import { useEffect, useRef, type RefObject } from 'react';
import { Annotation, EditorState, Compartment, Prec, RangeSetBuilder, type Extension } from '@codemirror/state';
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  drawSelection,
  placeholder as cmPlaceholder,
  ViewPlugin,
  Decoration,
  type DecorationSet,
  type ViewUpdate,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { autocompletion, closeBrackets, completionKeymap, type CompletionSource } from '@codemirror/autocomplete';
import { bracketMatching, syntaxHighlighting, HighlightStyle, indentOnInput } from '@codemirror/language';
import { setDiagnostics, lintGutter, type Diagnostic as CmDiagnostic } from '@codemirror/lint';
import { templateJson } from './template-language';
import { xml } from '@codemirror/lang-xml';
import { tags } from '@lezer/highlight';
import { scanTokens } from '@shared/engine/tokens';

export type EditorLanguage = 'json' | 'xml' | 'text';

export type EditorMark = { from: number; to: number; severity: 'error' | 'warning' | 'info'; message: string };

export type TokenEditorProps = {
  value: string;
  onChange: (value: string) => void;
  /** The accessible name of the editing area. */
  label: string;
  language?: EditorLanguage;
  singleLine?: boolean;
  completions?: CompletionSource;
  marks?: EditorMark[];
  /** Moves the cursor here and focuses the editor whenever `nonce` changes. */
  jumpTo?: { offset: number; length?: number; nonce: number };
  placeholder?: string;
  id?: string;
  className?: string;
};

const highlight = HighlightStyle.define([
  { tag: tags.string, color: 'var(--syn-string)' },
  { tag: tags.number, color: 'var(--syn-number)' },
  { tag: [tags.bool, tags.null], color: 'var(--syn-keyword)' },
  { tag: tags.propertyName, color: 'var(--syn-property)' },
  { tag: [tags.tagName, tags.angleBracket], color: 'var(--syn-tag)' },
  { tag: tags.attributeName, color: 'var(--syn-property)' },
  { tag: tags.comment, color: 'var(--text-muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

const tokenMark = Decoration.mark({ class: 'cm-token' });

/** Marketo tokens are highlighted by the engine's own scanner, so the editor and the renderer agree on what a token is. */
const tokenHighlighter = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(u: ViewUpdate): void {
      if (u.docChanged || u.viewportChanged) this.decorations = this.build(u.view);
    }
    build(view: EditorView): DecorationSet {
      const b = new RangeSetBuilder<Decoration>();
      for (const { from, to } of view.visibleRanges) {
        // Tokens never span lines, so scanning whole visible lines finds each one exactly once.
        const start = view.state.doc.lineAt(from).from;
        const end = view.state.doc.lineAt(to).to;
        const text = view.state.doc.sliceString(start, end);
        for (const t of scanTokens(text)) b.add(start + t.start, start + t.end, tokenMark);
      }
      return b.finish();
    }
  },
  { decorations: (v) => v.decorations },
);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--bg-input)', color: 'var(--text)', fontSize: 'var(--font-size-code)' },
  '.cm-content': { fontFamily: 'var(--font-mono)', caretColor: 'var(--text)' },
  '.cm-gutters': {
    backgroundColor: 'var(--bg-subtle)',
    color: 'var(--text-muted)',
    border: 'none',
    borderRight: '1px solid var(--border)',
  },
  '.cm-activeLine': { backgroundColor: 'var(--bg-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-active-line)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--bg-selection) !important',
  },
  '.cm-tooltip': { backgroundColor: 'var(--bg-raised)', color: 'var(--text)', border: '1px solid var(--border)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent)', color: 'var(--accent-text)' },
  '.cm-placeholder': { color: 'var(--text-faint)', fontStyle: 'italic' },
  '.cm-token': { color: 'var(--token)', backgroundColor: 'var(--token-bg)', borderRadius: '3px' },
  // The JSON parser reads a token as a number (template-language.ts); it still shows as a token.
  '.cm-token *': { color: 'var(--token)' },
  // The focus ring is drawn on the host element (:focus-within), outside the shadow root.
  '&.cm-focused': { outline: 'none' },
  '.cm-tooltip-lint, .cm-diagnostic': { fontFamily: 'var(--font-ui)' },
});

const singleLineTheme = EditorView.theme({
  '.cm-content': { padding: '0' },
  '.cm-line': { padding: '0 2px' },
  '.cm-scroller': { overflow: 'hidden' },
});

/**
 * Marks a transaction that shows a value set from outside (the file, another control). The editor never
 * reports it as a change and never cleans it up: a value is only changed by the user typing.
 */
const fromOutside = Annotation.define<boolean>();

const languageSupport = (l: EditorLanguage | undefined): Extension =>
  l === 'json' ? templateJson() : l === 'xml' ? xml() : [];

/** The editing area's accessible name (and id, which a label or a test may point at). */
const contentAttributes = (label: string, id: string | undefined): Extension =>
  EditorView.contentAttributes.of({ 'aria-label': label, ...(id ? { id } : {}) });

/** One line: pasted or typed line breaks become nothing, like Marketo's URL field; Enter inserts nothing. */
const singleLineSetup: Extension[] = [
  singleLineTheme,
  EditorState.transactionFilter.of((tr) =>
    tr.docChanged && tr.newDoc.lines > 1 && !tr.annotation(fromOutside)
      ? [
          tr,
          {
            changes: { from: 0, to: tr.newDoc.length, insert: tr.newDoc.toString().replace(/\r?\n/g, '') },
            sequential: true,
          },
        ]
      : tr,
  ),
  Prec.high(keymap.of([...completionKeymap, { key: 'Enter', run: () => true }])),
  keymap.of([...defaultKeymap, ...historyKeymap]),
];

/** A template: line numbers, brackets, problems in the gutter, a language that can change. */
const multiLineSetup = (language: Extension): Extension[] => [
  lineNumbers(),
  highlightActiveLine(),
  bracketMatching(),
  closeBrackets(),
  indentOnInput(),
  lintGutter(),
  language,
  // Tab is left to the browser so focus can always leave the editor (no keyboard trap); Enter
  // keeps the indentation. Mod-Enter is the studio's Send, not "insert blank line".
  keymap.of([...completionKeymap, ...defaultKeymap.filter((b) => b.key !== 'Mod-Enter'), ...historyKeymap]),
  EditorView.lineWrapping,
];

/** What every token editor has: history, token marks, completions, the theme; `onEdit` hears the user's edits. */
function commonSetup(o: {
  source: CompletionSource;
  label: Extension;
  placeholder?: string;
  onEdit: (text: string) => void;
}) {
  return [
    history(),
    drawSelection(),
    tokenHighlighter,
    syntaxHighlighting(highlight),
    autocompletion({ override: [o.source], activateOnTyping: true, icons: false }),
    theme,
    o.label,
    EditorView.updateListener.of((u) => {
      // Only the user's edits go back out: showing a new value from outside is not an edit.
      if (u.docChanged && !u.transactions.every((tr) => tr.annotation(fromOutside))) o.onEdit(u.state.doc.toString());
    }),
    o.placeholder ? cmPlaceholder(o.placeholder) : [],
  ];
}

/**
 * CodeMirror writes its styles at run time. In a shadow root they go into adopted style sheets,
 * which the page's CSP (style-src 'self', no 'unsafe-inline') allows; in the document they would
 * need a <style> element, which it blocks. CSS variables still inherit, so the theme follows.
 */
function shadowMount(host: HTMLDivElement): { shadow: ShadowRoot; mount: HTMLDivElement } {
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  shadow.replaceChildren();
  const mount = document.createElement('div');
  mount.style.height = '100%';
  shadow.appendChild(mount);
  return { shadow, mount };
}

/** Shows a value set from outside (the file, another control) without reporting it as an edit. */
function useOutsideValue(view: RefObject<EditorView | null>, value: string): void {
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value }, annotations: fromOutside.of(true) });
    }
  }, [view, value]);
}

/** How long typing must pause before the template's problem marks follow the preview. */
export const MARKS_DELAY_MS = 150;

/**
 * The preview's problems as lint marks in a template (a one-line editor shows none). They follow once
 * typing pauses, not on the keystroke: setting them redraws the gutter and re-measures the editor, and the
 * marks shown meanwhile move with the text. Speed: docs/performance.md#keystroke-to-preview
 */
function useMarks(view: RefObject<EditorView | null>, marks: EditorMark[] | undefined, singleLine?: boolean): void {
  useEffect(() => {
    if (singleLine) return;
    const show = (): void => {
      const v = view.current;
      if (!v) return;
      const len = v.state.doc.length;
      const diags: CmDiagnostic[] = (marks ?? []).map((m) => ({
        from: Math.min(m.from, len),
        to: Math.min(Math.max(m.to, m.from), len),
        severity: m.severity,
        message: m.message,
      }));
      v.dispatch(setDiagnostics(v.state, diags));
    };
    const timer = setTimeout(show, MARKS_DELAY_MS);
    return () => clearTimeout(timer);
  }, [view, marks, singleLine]);
}

/** Moves the cursor to a jump's place and focuses the editor, once per jump. */
function useJump(view: RefObject<EditorView | null>, jumpTo: TokenEditorProps['jumpTo']): void {
  useEffect(() => {
    const v = view.current;
    const j = jumpTo;
    if (!v || !j) return;
    const len = v.state.doc.length;
    const from = Math.min(j.offset, len);
    const to = Math.min(from + (j.length ?? 0), len);
    v.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    v.focus();
  }, [view, jumpTo?.nonce]);
}

export function TokenEditor(props: TokenEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const completionsRef = useRef(props.completions);
  completionsRef.current = props.completions;
  const language = useRef(new Compartment());
  const label = useRef(new Compartment());

  useEffect(() => {
    if (!host.current) return;
    const { shadow, mount } = shadowMount(host.current);
    const common = commonSetup({
      source: (ctx) => completionsRef.current?.(ctx) ?? null,
      label: label.current.of(contentAttributes(props.label, props.id)),
      ...(props.placeholder ? { placeholder: props.placeholder } : {}),
      onEdit: (text) => onChange.current(text),
    });
    const extensions = props.singleLine
      ? [...common, ...singleLineSetup]
      : [...common, ...multiLineSetup(language.current.of(languageSupport(props.language)))];
    const v = new EditorView({
      parent: mount,
      root: shadow,
      state: EditorState.create({
        doc: props.value,
        extensions: [...extensions, EditorView.theme({ '&': { height: '100%' } })],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is built once; later prop changes are applied by the effects below.
  }, []);

  useOutsideValue(view, props.value);

  useEffect(() => {
    const v = view.current;
    if (!v || props.singleLine) return;
    v.dispatch({ effects: language.current.reconfigure(languageSupport(props.language)) });
  }, [props.language, props.singleLine]);

  useEffect(() => {
    view.current?.dispatch({ effects: label.current.reconfigure(contentAttributes(props.label, props.id)) });
  }, [props.label, props.id]);

  useMarks(view, props.marks, props.singleLine);
  useJump(view, props.jumpTo);

  return (
    <div
      ref={host}
      className={`token-editor ${props.singleLine ? 'single-line' : 'multi-line'} ${props.className ?? ''}`}
      data-testid={props.id}
    />
  );
}
