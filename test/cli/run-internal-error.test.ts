// An unexpected error is a bug in jwt-vs-oauth, not an answer: it exits 70 (EX_SOFTWARE), never
// 1, which a script reads as "the token or check is not OK". It is said in two plain lines that
// ask for a report, without a stack trace unless --debug asks for one.

import { Command } from 'commander';
import { describe, expect, test, vi } from 'vitest';
import { runCaptured } from '../../src/cli/main.js';
import { EXIT } from '../../src/errors.js';

// decode stands in for any command with a bug: its action throws what no code path expects.
vi.mock('../../src/cli/commands/decode.js', () => ({
  decodeCommand: () => new Command('decode').argument('[token]').action(() => {
    throw new TypeError("Cannot read properties of undefined (reading 'alg')");
  }),
}));

describe('an unexpected error', () => {
  test('exits 70, not 1, and says it is a bug without a stack trace', async () => {
    const result = await runCaptured(['decode', 'x.y.z']);
    expect(EXIT.internal).toBe(70);
    expect(result.code).toBe(70);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe([
      "error: something unexpected went wrong: Cannot read properties of undefined (reading 'alg')",
      'This is a bug in jwt-vs-oauth; run again with --debug to see the details.',
      '',
    ].join('\n'));
  });

  test('with --debug: the same code, and the stack trace instead of the request', async () => {
    const result = await runCaptured(['--debug', 'decode', 'x.y.z']);
    expect(result.code).toBe(70);
    expect(result.stderr).toMatch(/^error: something unexpected went wrong: Cannot read/);
    expect(result.stderr).toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('This is a bug');
  });

  test('--help lists 70 among the exit codes, with 1 still "not OK"', async () => {
    const result = await runCaptured(['--help'], { env: { COLUMNS: '200' } });
    expect(result.stdout).toContain('Exit codes: 0 ok, 1 the token or check is not OK, 2 bad usage or input, 70 a bug in jwt-vs-oauth, 130 cancelled (Ctrl-C).');
  });
});
