// The tutorial as a learner meets it (issue #13): its screens on a 60-column terminal fit, with
// list items, choices and commands laid out to the width; lesson 8's decode step can be run by
// copying what it shows into a shell; a right answer typed as a time says what was compared.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { displayWidth } from '../../src/text/layout.js';

const home = () => mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-tutorial-'));
/** The lines of a screen capture, the pane's "[exit N]" and what follows left out. */
const linesOf = (screen: string) => screen.replace(/\n*\[exit \d+\][\s\S]*$/, '').split('\n');

describe('lesson 8: the decode step can be run from what it shows', () => {
  test.each([60, 100])('at %i columns: the lines that set $ACCESS_TOKEN, pasted into a shell, make the command work', (width) => {
    const result = runBin(['tutorial', '8', '--plain'], { env: { JWT_VS_OAUTH_HOME: home(), COLUMNS: String(width) } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    // No "$ " prompt before it: the lines are pasted exactly as shown.
    const start = lines.findIndex((line) => line.startsWith('ACCESS_TOKEN=eyJ'));
    expect(start, result.stdout.slice(0, 3000)).toBeGreaterThan(0);
    const pasted: string[] = [];
    for (let index = start; !pasted.length || pasted.at(-1)!.endsWith('\\'); index++) pasted.push(lines[index]!);
    // A token is wider than 60 columns: broken with "\", each piece at the start of its line.
    if (width === 60) expect(pasted.length).toBeGreaterThan(3);
    expect(pasted.every((line) => displayWidth(line) <= width)).toBe(true);
    expect(lines.slice(start - 3, start).join(' ')).toContain('first paste these lines into your shell exactly as shown');
    const script = `${pasted.join('\n')}\n"${process.execPath}" "${BIN}" decode "$ACCESS_TOKEN"\n`;
    // HOME empty of start-up files: only the pasted lines run.
    const shell = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home(), JWT_VS_OAUTH_HOME: home() } });
    expect(shell.stderr).toBe('');
    expect(shell.status).toBe(0);
    expect(shell.stdout).toMatch(/^A signed JWT/);
    expect(shell.stdout).toContain('"at+jwt"');
  }, 30_000);
});

describe.skipIf(!tmuxAvailable())('on a real terminal (tmux)', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('60 columns: lesson 2\'s screens, its hands-on command and its question fit, lists and choices under their text', async () => {
    session = new TerminalSession(`node ${BIN} tutorial 2`, { width: 60, height: 50, historyLimit: 5000, env: { JWT_VS_OAUTH_HOME: home() }, unset: ['COLUMNS', 'NO_COLOR', 'CI'] });
    await session.waitFor(/screen 1 of \d+\)[\s\S]*\[Enter\] continue/);
    const first = linesOf(session.screen());
    // "  2. The server checks the password against the hash it stored (a slow hash, such as scrypt)."
    const item = first.findIndex((line) => line.startsWith('  2. The server checks the password'));
    expect(item).toBeGreaterThan(0);
    expect(first[item + 1]).toMatch(/^ {5}\S/);
    session.press('Enter');
    await session.waitFor(/screen 2 of \d+\)[\s\S]*\[Enter\] continue/);
    const second = linesOf(session.screen());
    // Its demo runs no command; the mint command its prose names is broken between its arguments with " \\" and reads back whole.
    expect(second.some((line) => line.startsWith('Runs:') && line.includes('jwt-vs-oauth'))).toBe(false);
    const command = second.findIndex((line) => line.includes('jwt-vs-oauth mint --secret'));
    expect(second[command]).toMatch(/ \\$/);
    const laid: string[] = [];
    for (let index = command; !laid.length || laid.at(-1)!.endsWith(' \\'); index++) laid.push(second[index]!);
    expect(laid.join('\n').replace(/ \\\n/g, ' ')).toContain('jwt-vs-oauth mint --secret PbvDNisJf9teQsO6HmR7vzM5gfyj4WkVfIKvXdDiQZI= --iss https://practice-api.jwt-vs-oauth.local --sub asha --aud practice-api --claim role=customer --exp 15m --jti');
    session.press('Enter');
    await session.waitFor('[↑↓ or 1–3] choose');
    const screen = linesOf(session.screen());
    const over = screen.filter((line) => displayWidth(line) > 60);
    expect(over).toEqual([]);
    // "(2) Only its own secret: it checked the signature, then the claims (exp, aud, iss)", wrapped under its text.
    const choice = screen.findIndex((line) => line.includes('(2) Only its own secret'));
    expect(screen[choice + 1]).toMatch(/^ {6}\S/);
    // The footer's key groups wrap whole.
    expect(screen.join('\n')).toMatch(/\[↑↓ or 1–3\] choose {2}\[Enter\] answer {2}\[b\] back\n\[q\/Esc\] quit \(progress is kept\)/);
    session.press('q');
    expect(await session.exitCode()).toBe(0);
  }, 60_000);

  test('lesson 8: exp typed as a time with lower-case t and z is right, and the feedback says the number is what was compared', async () => {
    const folder = home();
    writeFileSync(join(folder, 'progress.json'), JSON.stringify({ version: 1, tutorial: { completed: [], position: { lesson: 8, screen: 1 } } }));
    session = new TerminalSession(`node ${BIN} tutorial`, { width: 120, height: 60, historyLimit: 5000, env: { JWT_VS_OAUTH_HOME: folder, NO_COLOR: '1' } });
    const decoded = await session.waitFor(/ exp {2,}\d{10}[\s\S]*\[Enter\] continue/, 30_000);
    const claim = (name: string) => new RegExp(`^ {2}${name} {2,}("[^"]+"|\\d+)`, 'm').exec(decoded)![1]!;
    const exp = Number(claim('exp'));
    for (const [answered, name] of ['iss', 'aud', 'scope'].entries()) {
      session.press('Enter');
      await session.waitFor(`Type the ${name} claim`);
      await session.waitFor(/Type the \w+ claim[^›]*\[Enter\] answer[^›]*$/);
      session.type(claim(name), true);
      // This answer's "✓ Right.", and the key line under it.
      await session.waitFor(new RegExp(`(?:✓ Right\\.[\\s\\S]*){${answered + 1}}\\[Enter\\] continue[^›✓]*$`));
    }
    session.press('Enter');
    await session.waitFor('Type the exp claim');
    await session.waitFor(/\[Enter\] answer/);
    const typed = new Date(exp * 1000).toISOString().replace(/\.\d+Z$/, 'z').replace('T', 't');
    session.type(typed, true);
    const screen = (await session.waitFor('RFC 3339 §5.6')).replace(/\s+/g, ' ');
    expect(screen).toContain(`✓ Right. You typed the time; the token holds the number ${exp} (seconds since 1970), and that number, compared exactly, is what a verifier checks. Writing t and z in lower case is allowed in a date-time (RFC 3339 §5.6), the one place case did not matter here.`);
    session.press('q');
    expect(await session.exitCode()).toBe(0);
  }, 90_000);
});
if (!tmuxAvailable()) console.log('tutorial-terminal.test.ts: tmux is not installed, so the terminal tests are skipped (the shell test ran)');
