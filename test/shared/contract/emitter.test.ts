import { describe, expect, it } from 'vitest';
import { createEmitter } from '../../../shared/contract/emitter';

type Events = { tick: number; done: string };

describe('createEmitter', () => {
  it('calls the listeners of the emitted event only, until each is removed', () => {
    const emitter = createEmitter<Events>();
    const ticks: number[] = [];
    const off = emitter.on('tick', (n) => ticks.push(n));
    emitter.on('done', () => ticks.push(-1));
    emitter.emit('tick', 1);
    off();
    emitter.emit('tick', 2);
    expect(ticks).toEqual([1]);
  });

  it('lets a throwing listener reach the emitter unless listeners are isolated', () => {
    const plain = createEmitter<Events>();
    plain.on('tick', () => {
      throw new Error('closed window');
    });
    expect(() => plain.emit('tick', 1)).toThrow('closed window');

    const isolated = createEmitter<Events>({ isolateListeners: true });
    const heard: number[] = [];
    isolated.on('tick', () => {
      throw new Error('closed window');
    });
    isolated.on('tick', (n) => heard.push(n));
    expect(() => isolated.emit('tick', 1)).not.toThrow();
    expect(heard).toEqual([1]);
  });

  it('drops every listener on clear', () => {
    const emitter = createEmitter<Events>();
    const heard: string[] = [];
    emitter.on('done', (s) => heard.push(s));
    emitter.clear();
    emitter.emit('done', 'x');
    expect(heard).toEqual([]);
  });
});
