import { describe, it, expect } from 'vitest';
import { Writable } from 'node:stream';
import { progressReporter } from '../../electron/cli/commands/run';
import type { RunProgress } from '../../electron/services/runner/index';

function capture(isTTY: boolean) {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  Object.assign(stream, { isTTY });
  return { io: { argv: [], stdout: stream, stderr: stream, cwd: '/', env: {} }, text: () => text };
}

const at = (done: number, state: RunProgress['state'] = 'running'): RunProgress => ({
  runId: 'r',
  state,
  counts: { total: 200, done, byOutcome: {}, skipped: 1, failed: 3, succeeded: done - 4, partlyMapped: 0, notRun: 0 },
});

describe('run progress', () => {
  it('redraws one bar in place on a terminal', () => {
    const out = capture(true);
    const p = progressReporter(out.io);
    p.update(at(50));
    p.update(at(200, 'done'));
    p.finish();
    expect(out.text()).toBe(
      `\r[########----------------------] 50 of 200 leads, 3 did not succeed, 1 skipped \u001b[K` +
        `\r[##############################] 200 of 200 leads, 3 did not succeed, 1 skipped \u001b[K\n`,
    );
  });

  it('writes plain lines elsewhere, at most one every 2 s while running, and always the last', () => {
    const out = capture(false);
    const p = progressReporter(out.io);
    p.update(at(10));
    p.update(at(20));
    p.update(at(200, 'done'));
    p.finish();
    expect(out.text()).toBe(
      'run: 10 of 200 leads, 3 did not succeed, 1 skipped (running)\nrun: 200 of 200 leads, 3 did not succeed, 1 skipped (done)\n',
    );
  });
});
