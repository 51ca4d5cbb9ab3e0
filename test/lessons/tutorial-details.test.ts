// Details of the tutorial from issue #13: what lesson 5 says about its tokens is true (they are kept
// in memory for this run, not saved), lesson 5's demo shows one step per Enter, and a right answer
// typed as a date-time says what was compared, and that its t and z were the one place where case
// did not matter.

import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { runLessonStep, type StepView } from '../../src/cli/lesson-step-view.js';
import { createOutput, NO_COLOURS } from '../../src/cli/output.js';
import { compareValue } from '../../src/lessons/answers.js';
import { runCli } from '../helpers/cli.js';

describe('lesson 5: the tokens', () => {
  test('--plain says they are kept in memory while the tutorial runs, not saved', async () => {
    const { stdout, code } = await runCli(['tutorial', '5', '--plain']);
    expect(code).toBe(0);
    expect(stdout).not.toContain('saved for the next lessons');
    expect(stdout.replace(/\s+/g, ' ')).toContain('The tokens are kept for the next lessons while this tutorial runs (in memory only: if you quit, a later lesson that needs them signs in again).');
  });
});

describe('lesson 5: the demo on a terminal', () => {
  test('each Enter shows one step: the sign-in (step 2) and the consent (step 3) are two', async () => {
    const stdout = new PassThrough();
    let shown = '';
    stdout.on('data', (chunk) => (shown += chunk));
    // What was shown before each Enter.
    const screens: string[] = [];
    const context: StepView = {
      output: createOutput({ stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} }, NO_COLOURS),
      now: () => Math.floor(Date.now() / 1000),
      width: 100,
      saved: new Map(),
      given: new Map(),
      interactive: true,
      pause: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        screens.push(shown);
        shown = '';
      },
    };
    const { text } = await runLessonStep({ type: 'run', body: ['b'], demo: 'oauth-flow' }, context);
    screens.push(shown);
    const stepsOn = (screen: string) => [...screen.matchAll(/^Step (\d) of 8/gm)].map((match) => Number(match[1]));
    expect(screens.map(stepsOn).flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(screens.map(stepsOn).filter((steps) => steps.length > 0)).toEqual([[1], [2], [3], [4], [5], [6], [7], [8]]);
    expect(text).toContain('✓ ');
    expect(context.saved.has('accessToken')).toBe(true);
  }, 30_000);
});

describe('a value answered as a date-time', () => {
  test('is right, and the note says the number is what is compared; lower-case t and z are named as allowed (RFC 3339 §5.6)', () => {
    const verdict = compareValue('2026-11-29t07:47:04z', '1795938424');
    expect(verdict).toEqual({
      ok: true,
      note: 'you typed the time; the token holds the number 1795938424 (seconds since 1970), and that number, compared exactly, is what a verifier checks. Writing t and z in lower case is allowed in a date-time (RFC 3339 §5.6), the one place case did not matter here.',
    });
    expect(compareValue('2026-11-29T07:47:04Z', '1795938424')).toEqual({ ok: true, note: expect.not.stringContaining('lower case') });
    expect(compareValue('1795938424', '1795938424')).toEqual({ ok: true });
  });
});
