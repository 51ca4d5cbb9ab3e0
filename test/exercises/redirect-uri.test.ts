// fix-redirect-uri (issue #11, item 6): a confidential web client sends exactly the https URI it
// registered, port included; the any-port loopback exception is for native apps (RFC 8252 §7.3,
// RFC 9700 §2.1) and localhost is NOT RECOMMENDED (RFC 8252 §8.3). The answers the old check
// accepted now fail, and a check's known mistakes say why in words (check.mistakes).

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';

const temporary = (prefix: string) => mkdtempSync(join(tmpdir(), `jwt-vs-oauth-${prefix}-`));
const home = () => ({ JWT_VS_OAUTH_HOME: temporary('home') });
const EXAMPLE = JSON.parse(readFileSync(new URL('../../lessons/example-pack/01-pack-read-issuer.json', import.meta.url), 'utf8'));

const check = async (answer: string) => {
  const result = await runCli(['ex', 'check', 'fix-redirect-uri', answer, '--json'], { env: home() });
  return { code: result.code, line: JSON.parse(result.stdout).checks[0] as { ok: boolean; why?: string } };
};

describe('fix-redirect-uri: a web app sends its exact registered https URI', () => {
  test('the reference answer passes', async () => {
    const solution = JSON.parse((await runCli(['ex', 'solution', 'fix-redirect-uri', '--teacher', '--json'], { env: home() })).stdout);
    expect(solution.answers).toEqual(['https://app.swaad.example:8443/auth/callback']);
    expect(await check(solution.answers[0])).toEqual({ code: 0, line: expect.objectContaining({ ok: true }) });
  });

  test.each([
    ['http://localhost:3000/callback', /^localhost is NOT RECOMMENDED .*\(RFC 8252 §8\.3\); and the any-port exception is for native apps only/],
    ['http://127.0.0.1:3000/callback', /^a loopback address is where a native app on the user's own device listens, and only such an app may vary the port \(RFC 8252 §7\.3, RFC 9700 §2\.1\)/],
    ['http://localhost:8443/auth/callback', /^localhost is NOT RECOMMENDED/],
    ['https://app.swaad.example/auth/callback/', /^the port is part of the URI: https:\/\/app\.swaad\.example means port 443/],
    ['https://app.swaad.example:8443/auth/callback/', /^the right host and port, but not the registered path/],
    ['https://app.swaad.example:8443/Auth/callback', /^the right host and port, but not the registered path/],
    ['http://app.swaad.example:8443/auth/callback', /^plain http: the app registered an https URI/],
    ['https://app.swaad.example:*/auth/callback', /^no wildcards/],
  ])('%s fails, saying why in words', async (answer, why) => {
    const { code, line } = await check(answer);
    expect(code).toBe(1);
    expect(line.ok).toBe(false);
    expect(line.why).toMatch(why);
  });

  test('the why is shown under got in the human output; a wrong answer the check does not know gets the general why, never the URI', async () => {
    const env = home();
    const shown = await runCli(['ex', 'check', 'fix-redirect-uri', 'http://localhost:3000/callback'], { env });
    expect(shown.stdout).toContain('      got:      http://localhost:3000/callback\n      why:      localhost is NOT RECOMMENDED as a redirect URI');
    const unknown = await runCli(['ex', 'check', 'fix-redirect-uri', 'https://evil.example/cb', '--json'], { env });
    expect(JSON.parse(unknown.stdout).checks[0]).toEqual({ label: 'answer', expected: 'the redirect_uri the app registered, character for character', got: 'https://evil.example/cb', ok: false, why: 'that is not the redirect_uri the app registered, character for character' });
  });

  test('the task and hints say the exception is for native apps; nothing offers localhost', async () => {
    const env = home();
    const task = JSON.parse((await runCli(['ex', 'show', 'fix-redirect-uri', '--json'], { env })).stdout).task.join(' ');
    expect(task).toContain('confidential client');
    await runCli(['ex', 'hint', 'fix-redirect-uri'], { env });
    await runCli(['ex', 'hint', 'fix-redirect-uri'], { env });
    const hints = JSON.parse((await runCli(['ex', 'hint', 'fix-redirect-uri', '--json'], { env })).stdout).hints.join(' ');
    expect(hints).toContain('native app');
    expect(hints).toContain('localhost is NOT RECOMMENDED');
    expect(hints).not.toMatch(/a loopback redirect URI may use any port/);
  });
});

describe('check.mistakes in a pack', () => {
  const packWith = (check: unknown) => {
    const pack = temporary('pack');
    writeFileSync(join(pack, '01.json'), JSON.stringify({ ...EXAMPLE, check }));
    return pack;
  };

  test.each([
    ['an empty list', [], '"check.mistakes": must list known wrong answers'],
    ['an entry without why', [{ pattern: 'x' }], '"check.mistakes[0].why": must say in words why such an answer is wrong'],
    ['a pattern that is not a regular expression', [{ pattern: '(', why: 'w' }], '"check.mistakes[0].pattern": is not a valid regular expression'],
    ['a name the exercise does not fill', [{ pattern: 'x', why: '{{flaw}}' }], '"check.mistakes[0].why": "{{flaw}}" is not a name this exercise fills'],
  ])('%s is refused when the pack loads', async (_name, mistakes, message) => {
    const pack = packWith({ kind: 'answer', expected: '{{iss}}', mistakes });
    const result = await runCli(['ex', '--pack', pack, 'list'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`01.json: ${message}`);
  });

  test('a why may use the material: it is filled', async () => {
    const pack = packWith({ kind: 'answer', expected: '{{iss}}', mistakes: [{ pattern: '^https://', why: 'not this issuer: yours is {{iss}}' }] });
    const result = await runCli(['ex', '--pack', pack, 'check', 'pack-read-issuer', 'https://elsewhere.example', '--json'], { env: home() });
    expect(JSON.parse(result.stdout).checks[0].why).toMatch(/^not this issuer: yours is https:\/\/auth\.[a-z-]+\.example$/);
  });

  test('a mistake pattern that backtracks for ever is named by selftest and never stalls a check', async () => {
    const pack = packWith({ kind: 'answer', expected: '{{iss}}', mistakes: [{ pattern: '^(h|h)+$', why: 'w' }] });
    const selftest = await runCli(['ex', '--pack', pack, 'selftest'], { env: home() });
    expect(selftest.code).toBe(1);
    expect(selftest.stdout).toMatch(/^✗ pack-read-issuer {2}its check\.mistakes\[0\]\.pattern takes longer than 100 ms on an answer such as "/);
    const checked = await runCli(['ex', '--pack', pack, 'check', 'pack-read-issuer', `${'h'.repeat(40)}!`, '--json'], { env: home() });
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.stdout).checks[0].why).toMatch(/^the check took too long \(over 100 ms\) to say why: tell your teacher/);
  });
});
