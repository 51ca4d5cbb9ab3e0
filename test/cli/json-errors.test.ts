// With --json, an error is JSON on stdout too (the code, the message and hint said on stderr, the
// exit code), so a script that parses stdout learns what went wrong; stderr keeps its sentence.

import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('errors as JSON when --json is asked for', () => {
  test.each([
    ['a bad token', ['decode', 'nope', '--json'], 'ERR_TOKEN_SEGMENTS'],
    ['an unknown exercise', ['exercises', 'check', 'nope', 'x', '--json'], 'ERR_'],
    ['a choice out of range', ['exercises', 'check', 'choose-own-api', '9', '--json'], 'ERR_'],
    ['an unknown option', ['decode', '--jsn', '--json'], 'ERR_USAGE'],
    ['dpop without a key', ['dpop', '--htm', 'POST', '--htu', 'http://127.0.0.1/token', '--json'], 'ERR_DPOP_KEY'],
  ])('%s: exit 2, one JSON line on stdout, the sentence on stderr', async (_name, argv, code) => {
    const result = await runCli(argv, { env: { JWT_VS_OAUTH_HOME: '/nonexistent-home-for-json-errors' } });
    expect(result.code).toBe(2);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = JSON.parse(lines[0]!) as { error: { code: string; message: string; exitCode: number } };
    expect(parsed.error.code.startsWith(code)).toBe(true);
    expect(parsed.error.exitCode).toBe(2);
    expect(result.stderr).toContain(parsed.error.message.split('\n')[0]!.slice(0, 30));
  });

  test('without --json, stdout stays empty on an error', async () => {
    const result = await runCli(['decode', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  test('a --json after "--" is an operand, not the flag', async () => {
    const result = await runCli(['decode', '--', '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});
