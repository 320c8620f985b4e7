import { describe, expect, it } from 'vitest';
import { BodyIndex, closeJsonPrefix, MAX_TREE_DEPTH } from '@renderer/features/response/body-index';
import { openBodyInProcess } from '@renderer/features/response/body-client';

const orders = JSON.stringify({
  orders: [{ orderDate: '2015-01-01', 'ship.to': 'x' }, { orderDate: '2014-05-07' }],
  total: 2,
});

describe('BodyIndex tree', () => {
  it('opens the first level and gives each node its Marketo path', () => {
    const b = new BodyIndex(orders, 'json');
    const rows = b.treeRows(0, 100);
    expect(rows.map((r) => r.path ?? '(doc)')).toEqual(['(doc)', 'orders', 'orders[0]', 'orders[1]', 'total']);
    expect(rows[1]).toMatchObject({ kind: 'array', preview: '[2]', expanded: true });
  });

  it('expands and collapses by id, and flags keys Marketo cannot reach', () => {
    const b = new BodyIndex(orders, 'json');
    const first = b.treeRows(2, 1)[0]!;
    const count = b.toggle(first.id);
    const rows = b.treeRows(0, count);
    const ship = rows.find((r) => r.key === 'ship.to')!;
    expect(ship.reachable).toBe(false);
    expect(ship.unreachable).toContain("'.'");
    expect(rows.find((r) => r.key === 'orderDate')?.path).toBe('orders[0].orderDate');
    expect(b.toggle(first.id)).toBe(5);
  });

  it('reveals mapped paths deep in the tree', () => {
    const b = new BodyIndex(JSON.stringify({ a: { b: { c: { d: 1 } } } }), 'json');
    const n = b.reveal(['a.b.c.d']);
    expect(b.treeRows(0, n).map((r) => r.path)).toContain('a.b.c.d');
  });

  it('reads XML with the root element first and repeated elements as arrays', () => {
    const b = new BodyIndex(
      '<elementList><element><foo>baz</foo></element><element><foo>bar</foo></element></elementList>',
      'xml',
    );
    const n = b.reveal(['elementList.element[1].foo']);
    const paths = b.treeRows(0, n).map((r) => r.path);
    expect(paths).toContain('elementList.element[1].foo');
  });

  it('falls back to text and says why when the body is not what the response type says', () => {
    const b = new BodyIndex('<html>oops', 'json');
    expect(b.kind).toBe('text');
    expect(b.parseError).toBeTruthy();
    expect(b.lines('raw', 0, 5)).toEqual(['<html>oops']);
  });
});

describe('BodyIndex lines and search', () => {
  it('pretty-prints JSON and cuts very long raw lines into display rows', () => {
    const long = JSON.stringify({ s: 'x'.repeat(5000) });
    const b = new BodyIndex(long, 'json');
    expect(b.lineCount('pretty')).toBe(5);
    expect(b.lineCount('raw')).toBe(3);
    expect(b.lines('raw', 0, 3).map((l) => l.length)).toEqual([2000, 2000, long.length - 4000]);
  });

  it('finds lines and tree nodes case-insensitively', () => {
    const b = new BodyIndex(orders, 'json');
    expect(b.search('pretty', 'ORDERDATE')).toMatchObject({ total: 2 });
    const t = b.searchTree('2014');
    expect(t.total).toBe(1);
    const row = b.treeRows(t.rows[0]!, 1)[0]!;
    expect(row.path).toBe('orders[1].orderDate');
  });

  it('answers the same through the client interface', async () => {
    const c = openBodyInProcess(orders, 'json');
    const info = await c.ready;
    expect(info).toMatchObject({ kind: 'json', treeRows: 5 });
    expect(await c.lines('pretty', 0, 2)).toEqual(['{', '  "orders": [']);
  });
});

describe('a cut-off JSON body', () => {
  it('closes the complete part so the tree can show it', () => {
    expect(closeJsonPrefix('{"items":[{"id":1,"s":"a,]}"},{"id":2},{"id":3')).toBe(
      '{"items":[{"id":1,"s":"a,]}"},{"id":2}]}',
    );
    expect(closeJsonPrefix('{"a"')).toBeUndefined();
  });

  it('builds the tree from the complete part and says so', () => {
    const full = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => ({ id: i })) });
    const b = new BodyIndex(full.slice(0, 200), 'json', { partial: true });
    expect(b.kind).toBe('json');
    expect(b.partialTree).toBe(true);
    expect(b.treeRows(1, 1)[0]?.path).toBe('items');
    expect(new BodyIndex(full.slice(0, 200), 'json').kind).toBe('text');
  });
});

describe('XML bodies', () => {
  it('leaves the XML declaration out of the tree', () => {
    const b = new BodyIndex('<?xml version="1.0"?>\n<example><foo>bar</foo></example>', 'xml');
    const n = b.reveal(['example.foo']);
    expect(b.treeRows(0, n).map((r) => r.path ?? '(doc)')).toEqual(['(doc)', 'example', 'example.foo']);
  });
});

describe('what the body view says (issue 15)', () => {
  it('an empty body is empty, not a JSON parse error', () => {
    const b = new BodyIndex('', 'json');
    expect(b.empty).toBe(true);
    expect(b.parseError).toBeUndefined();
    expect(new BodyIndex(' \r\n', 'xml').empty).toBe(true);
    expect(new BodyIndex('{}', 'json').empty).toBe(false);
  });

  it('a cut-off array says its count is of the part that arrived, not the whole', () => {
    const text = JSON.stringify({ total: 40000, items: Array.from({ length: 40000 }, (_, i) => ({ i })) });
    const b = new BodyIndex(text.slice(0, 20000), 'json', { partial: true });
    expect(b.partialTree).toBe(true);
    const rows = b.treeRows(0, 10);
    const items = rows.find((r) => r.key === 'items')!;
    expect(items.preview).toMatch(/^\[\d+ so far…\] \(cut: the rest was not loaded\)$/);
    expect(rows.find((r) => r.key === 'total')!.preview).toBe('40000');
  });

  it('wraps raw lines at a fixed width when asked', () => {
    const b = new BodyIndex(`{"a":"${'x'.repeat(450)}"}`, 'json');
    expect(b.lineCount('raw')).toBe(1);
    const wrapped = b.lines('wrap', 0, 100);
    expect(wrapped.length).toBe(5);
    expect(wrapped.every((l) => l.length <= 100)).toBe(true);
    expect(wrapped.join('')).toBe(`{"a":"${'x'.repeat(450)}"}`);
  });

  it('pretty-prints XML, one element a line, indented', () => {
    const b = new BodyIndex('<?xml version="1.0"?><r><a>1</a><b><c>two</c><d/></b></r>', 'xml');
    expect(b.lines('pretty', 0, 100)).toEqual([
      '<?xml version="1.0"?>',
      '<r>',
      '  <a>1</a>',
      '  <b>',
      '    <c>two</c>',
      '    <d/>',
      '  </b>',
      '</r>',
    ]);
  });

  it('a 100,000-deep JSON answer opens without recursing: the tree stops at a bounded depth', () => {
    const depth = 100_000;
    const text = '['.repeat(depth) + ']'.repeat(depth);
    const b = new BodyIndex(text, 'json');
    let n = b.treeRowCount();
    // Open every level in turn: the tree never goes past its depth bound.
    for (let i = 0; i < 300; i++) {
      const rows = b.treeRows(0, n);
      const closed = rows.find((r) => r.kind !== 'value' && !r.expanded);
      if (!closed) break;
      n = b.toggle(closed.id, true);
    }
    expect(n).toBeLessThanOrEqual(MAX_TREE_DEPTH + 1);
    expect(b.lineCount('pretty')).toBeGreaterThan(0);
    expect(b.searchTree('x').total).toBe(0);
  });
});
