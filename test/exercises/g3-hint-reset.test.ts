// Re-review G3, items 3 and 6. flaw-two's first hint says to save the issuer's key before the
// verify command that reads it, and that command pins --alg RS256, so following it gives a
// verdict and no alg-not-pinned warning. `exercises reset` with no id: its summary in
// `exercises --help` and its error name the same two ways (an id, or --all).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const home = () => ({ JWT_VS_OAUTH_HOME: join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-g3-')), 'home') });

describe('flaw-two hint 1', () => {
  test.each(['g3-a', 'g3-b', 'g3-c', 'g3-d'])('seed %s: save the key first, then a verify with --alg RS256 that runs without a warning', async (seed) => {
    const env = home();
    const hint = await runCli(['ex', '--seed', seed, 'hint', 'flaw-two', '--json'], { env });
    expect(hint.code).toBe(0);
    const text = (JSON.parse(hint.stdout) as { hints: string[] }).hints[0]!;
    const save = 'jwt-vs-oauth exercises show flaw-two --material issuerKey > issuer.pem';
    const verify = /jwt-vs-oauth verify (eyJ\S+) --key issuer\.pem --alg RS256 --aud food-api --at (\S+?)\.?$/.exec(text);
    expect(text).toContain(save);
    expect(verify, text).not.toBeNull();
    // In the order a learner follows them.
    expect(text.indexOf(save)).toBeLessThan(text.indexOf('jwt-vs-oauth verify'));

    // Followed: the key saved as the hint says, then its verify command as shown.
    const key = await runCli(['ex', '--seed', seed, 'show', 'flaw-two', '--material', 'issuerKey'], { env });
    const file = join(mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-g3-key-')), 'issuer.pem');
    writeFileSync(file, key.stdout);
    const result = await runCli(['verify', verify![1]!, '--key', file, '--alg', 'RS256', '--aud', 'food-api', '--at', verify![2]!], { env });
    expect([0, 1]).toContain(result.code);
    expect(result.stdout).toMatch(/(VALID|INVALID)/);
    expect(result.stderr).not.toContain('alg-not-pinned');
    expect(result.stderr).not.toMatch(/^error:/m);
  });

  test('the worked solution\'s verify pins --alg RS256 too', async () => {
    const solution = await runCli(['ex', '--seed', 'g3-a', 'solution', 'flaw-two', '--teacher', '--json'], { env: home() });
    expect(solution.code).toBe(0);
    expect((JSON.parse(solution.stdout) as { explain: string[] }).explain[0]).toMatch(/--key issuer\.pem --alg RS256 --aud food-api/);
  });

  test('exercises selftest flaw-two still passes', async () => {
    const result = await runCli(['ex', 'selftest', 'flaw-two', '--json'], { env: home() });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true });
  });
});

describe('exercises reset without an id', () => {
  test('the summary and the error both name an id and --all', async () => {
    const help = await runCli(['ex', '--help'], { env: { ...home(), COLUMNS: '200' } });
    const summary = help.stdout.split('\n').find((line) => /^\s+reset \[id\]/.test(line))!;
    expect(summary).toMatch(/reset <id>/);
    expect(summary).toMatch(/reset --all/);

    const result = await runCli(['ex', 'reset'], { env: home() });
    expect(result.code).toBe(2);
    const error = result.stderr.split('\n')[0]!;
    expect(error).toBe('error: Name the exercise to reset, or add --all to reset every exercise.');
    expect(result.stderr).toContain('jwt-vs-oauth exercises reset --all');
    // The summary speaks of every exercise, as the error does: not "all of it".
    expect(summary).not.toContain('all of it');
    expect(summary).toContain('every exercise');
  });
});
