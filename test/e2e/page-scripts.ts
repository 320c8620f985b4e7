// Scripts that run inside the page. They are plain JavaScript text because the Node-side typecheck has
// no DOM library (tsconfig.node.json); each is an expression Playwright evaluates in the page.

/** What has focus (looking into editors' shadow roots), and whether it or an ancestor draws a focus ring. */
export const focusInfoScript = `(() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return { label: '(body)', visible: false };
  const ring = (node) => {
    const cs = getComputedStyle(node);
    return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
  };
  let visible = false;
  for (let node = el; node && node !== document.body && !visible; ) {
    visible = ring(node);
    node = node.parentElement || (node.getRootNode().host || null);
  }
  const label = el.getAttribute('aria-label') || (el.textContent || '').trim().slice(0, 60) || el.tagName;
  return { label, visible };
})()`;

/** Runs the injected axe-core and returns its violations, trimmed to what a report needs. */
export const axeRunScript = `(async () => {
  const r = await window.axe.run(document, { resultTypes: ['violations'] });
  return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) }));
})()`;

export const axeLoadedScript = `typeof window.axe !== 'undefined'`;

/** Starts (or restarts) recording main-thread long tasks (> 50 ms). */
export const watchLongTasksScript = `(() => {
  if (window.__longObserver) window.__longObserver.disconnect();
  window.__longTasks = [];
  window.__longObserver = new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); });
  window.__longObserver.observe({ type: 'longtask' });
})()`;

export const longTasksScript = `window.__longTasks.slice()`;

/** Whether the template editor has focus and what text its selection covers. */
export const templateSelectionScript = `(() => {
  const host = document.querySelector('[data-testid="template-editor"]');
  const root = host && host.shadowRoot;
  const sel = root && root.getSelection ? root.getSelection() : document.getSelection();
  return { focused: !!host && (host === document.activeElement || host.contains(document.activeElement)), text: sel ? sel.toString() : '' };
})()`;

/** Records the time from each keydown to the next change under the element matched by `selector`. */
export function keyProbeScript(selector: string): string {
  return `(() => {
    window.__keyMs = [];
    window.__t0 = null;
    if (!window.__keyListener) {
      window.__keyListener = () => { window.__t0 = performance.now(); };
      window.addEventListener('keydown', window.__keyListener, true);
    }
    if (window.__keyObserver) window.__keyObserver.disconnect();
    const target = document.querySelector(${JSON.stringify(selector)});
    if (!target) throw new Error('no ' + ${JSON.stringify(selector)});
    window.__keyObserver = new MutationObserver(() => {
      if (window.__t0 !== null) { window.__keyMs.push(performance.now() - window.__t0); window.__t0 = null; }
    });
    window.__keyObserver.observe(target, { childList: true, subtree: true, characterData: true });
  })()`;
}

export const keyTimesScript = `window.__keyMs.slice()`;

/** A plain textarea echoing into a <pre>: the browser's own floor for "a key shows up". */
export const addEchoTextareaScript = `(() => {
  const ta = document.createElement('textarea');
  ta.id = 'bench-ta';
  ta.setAttribute('aria-label', 'bench');
  ta.value = 'x'.repeat(10 * 1024);
  const pre = document.createElement('pre');
  pre.id = 'bench-pre';
  ta.addEventListener('input', () => { pre.textContent = ta.value; });
  document.body.append(ta, pre);
})()`;

export const removeEchoTextareaScript = `(() => {
  document.getElementById('bench-ta')?.remove();
  document.getElementById('bench-pre')?.remove();
})()`;

/** Builds about `bytes` of JSON in the page, then times a plain JSON.parse of it on the main thread. */
export function mainThreadParseScript(bytes: number): string {
  return `(async () => {
    const parts = [];
    let size = 12;
    for (let i = 0; size < ${bytes}; i++) {
      const item = JSON.stringify({ id: i, email: 'lead' + i + '@example.com', score: i % 100, tags: ['a', 'b'], note: 'x'.repeat(40) });
      parts.push(item);
      size += item.length + 1;
    }
    const doc = '{"items":[' + parts.join(',') + ']}';
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    JSON.parse(doc);
    return performance.now() - t0;
  })()`;
}
