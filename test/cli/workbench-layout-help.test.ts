// --help fits the screen (issue #13): the examples (help.ts) are laid out to the width as commander
// lays out its own part, and a walk over every command's --help, nested exercises subcommands
// included, finds no line wider than 80 at COLUMNS=80, nor than the pane in a 60- or 80-column
// terminal. Runs the built bin (npm run build first).

import { afterAll, describe, expect, test } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';
import { examples, helpWidth } from '../../src/cli/help.js';
import { displayWidth } from '../../src/text/layout.js';

const LINES: Array<[string, string]> = [
  ['jwt-vs-oauth decode eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhc2hhIn0.c2ln', 'decode the argument'],
  ['jwt-vs-oauth verify "$TOKEN" --discover http://127.0.0.1:9400 --typ at+jwt', 'an access token: typ stops an ID token passing for one'],
  ['TOKEN=$(jwt-vs-oauth mint --secret "$S" --sub asha) && jwt-vs-oauth verify "$TOKEN" --secret "$S"', 'mint, then verify'],
  ['pbpaste | jwt-vs-oauth decode', 'decode what is piped in'],
];

describe('examples(): laid out to the width', () => {
  test.each([60, 80])('at %i columns no line is wider, and each command pastes back whole', (width) => {
    const text = examples(LINES, width);
    for (const line of text.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    // Commands joined at their " \" breaks, comments beside or under them.
    const joined = text.replace(/ \\\n\s*/g, ' ');
    for (const [command, what] of LINES) {
      expect(joined).toContain(`$ ${command}`);
      expect(joined).toMatch(new RegExp(`# ${what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  test('a comment that does not fit beside its command goes on its own line under it', () => {
    const lines = examples(LINES, 60).split('\n');
    const at = lines.findIndex((line) => line.startsWith('  $ TOKEN='));
    const commentAt = lines.findIndex((line) => line.trim() === '# mint, then verify');
    expect(commentAt).toBeGreaterThan(at);
    expect(lines.slice(at, commentAt).every((line, index, all) => index === all.length - 1 || line.endsWith(' \\'))).toBe(true);
  });

  test('comments stay aligned when every example fits', () => {
    const text = examples([['jwt-vs-oauth decode "$T"', 'one'], ['jwt-vs-oauth verify "$T" --secret x', 'two']], 80);
    const lines = text.split('\n').filter((line) => line.startsWith('  $ '));
    expect(lines).toHaveLength(2);
    expect(lines[0]!.indexOf('# one')).toBe(lines[1]!.indexOf('# two'));
  });

  test('the help width: a terminal\'s columns, else COLUMNS, else 80 (not unlimited: help is prose)', () => {
    expect(helpWidth({ isTTY: true, columns: 100 }, {})).toBe(100);
    expect(helpWidth({ isTTY: false }, { COLUMNS: '60' })).toBe(60);
    expect(helpWidth({ isTTY: false }, {})).toBe(80);
  });
});

/** Every command path, found by reading each --help's "Commands:" list. */
function commandPaths(): string[][] {
  const paths: string[][] = [];
  const visit = (path: string[]) => {
    paths.push(path);
    const help = runBin([...path, '--help']).stdout;
    const section = help.split('\n\n').find((block) => block.startsWith('Commands:'));
    if (!section) return;
    for (const line of section.split('\n').slice(1)) {
      const name = /^ {2}([a-z][\w-]*)/.exec(line)?.[1];
      if (name && name !== 'help') visit([...path, name]);
      else if (name === 'help' && path.length === 0) paths.push(['help']);
    }
  };
  visit([]);
  return paths;
}

const PATHS = commandPaths();

describe('every command\'s --help fits 80 columns', () => {
  test('the walk finds the commands, nested ones included', () => {
    const names = PATHS.map((path) => path.join(' '));
    expect(names).toEqual(expect.arrayContaining(['', 'decode', 'verify', 'mint', 'exercises', 'exercises check', 'help']));
  });

  test.each([{ COLUMNS: '80' }, {}])('through a pipe with %o', (env) => {
    const wide: string[] = [];
    for (const path of PATHS) {
      const result = runBin([...path, '--help'], { env });
      expect(result.code, path.join(' ')).toBe(0);
      for (const line of result.stdout.split('\n')) if (displayWidth(line) > 80) wide.push(`[${path.join(' ')}] ${line}`);
    }
    expect(wide).toEqual([]);
  });
});

describe.skipIf(!tmuxAvailable())('every command\'s --help fits a terminal (tmux)', () => {
  const sessions: TerminalSession[] = [];
  afterAll(() => sessions.forEach((session) => session.close()));

  test.each([60, 80])('a %i-column pane', async (width) => {
    const script = PATHS.map((path) => `echo "=== [${path.join(' ')}]"; ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${path.join(' ')} --help`).join('; ');
    const session = new TerminalSession(`sh -c ${JSON.stringify(script)}`, { width, height: 50, historyLimit: 20_000, unset: ['COLUMNS'] });
    sessions.push(session);
    expect(await session.exitCode(60_000)).toBe(0);
    const wide: string[] = [];
    let current = '';
    // capture-pane -J joins the lines the terminal wrapped: a line too wide comes back whole.
    for (const line of session.screen().split('\n')) {
      if (line.startsWith('=== [')) current = line;
      else if (displayWidth(line) > width) wide.push(`${current} ${line}`);
    }
    expect(wide).toEqual([]);
  }, 90_000);
});
