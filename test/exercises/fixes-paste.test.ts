// Issue #13's review, D and E: a command shown in a hint or a solution, laid out to 60 columns,
// pastes back into a shell as the same command. A shell removes backslash-newline and nothing
// else: a token broken inside a command must go on at column 0 (an indent would split it in
// two), and the command's lines must be joined by " \". Every command the exercises print is
// found as a command by exercises-layout's detection, and a URL is never broken inside "://".

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { fillTemplate } from '../../src/lessons/template.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { commandLinks } from '../../src/cli/commands/exercises-layout.js';
import { runCli } from '../helpers/cli.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const EXERCISES = loadExercises(join(lessonsFolder(), 'exercises'));
const SEED = 'paste-test';
const NOW = 1_900_000_000;
const root = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-paste-'));
let homes = 0;
const newHome = () => join(root, `home-${++homes}`);

function run(words: string[], width: number | undefined, home: string) {
  return runCli(['ex', '--seed', SEED, ...words], { env: { JWT_VS_OAUTH_HOME: home, ...(width === undefined ? {} : { COLUMNS: String(width) }) }, now: NOW });
}

/** Every hint of an exercise, then its worked solution (--teacher: open without a pack key), as printed at `width`. */
async function hintsAndSolution(id: string, width: number | undefined): Promise<string> {
  const exercise = EXERCISES.find((candidate) => candidate.id === id)!;
  const home = newHome();
  let hints = '';
  for (let shown = 0; shown < exercise.hints.length; shown++) hints = (await run(['hint', id], width, home)).stdout;
  const solution = await run(['solution', id, '--teacher'], width, home);
  expect(solution.code, solution.stderr).toBe(0);
  return `${hints}\n${solution.stdout}`;
}

/** The commands in unwrapped output, as word lists: "$ " lines, and the commands exercises-layout finds in prose. */
function commandsIn(wide: string): string[][] {
  const commands: string[][] = [];
  for (const line of wide.split('\n')) {
    // A hint's label is not part of its text: "Hint 1 of 2: jwt-vs-oauth decode shows…" is a sentence.
    const words = line.trim().replace(/^Hint \d+ of \d+: /, '').split(' ').filter(Boolean);
    if (words[0] === '$') {
      commands.push(words.slice(1));
      continue;
    }
    const links = commandLinks(words);
    let current: string[] = [];
    words.forEach((word, index) => {
      if (links[index] || (index > 0 && links[index - 1])) current.push(word);
      if (!links[index] && current.length) {
        commands.push(current);
        current = [];
      }
    });
  }
  return commands;
}

/** What a shell reads from pasted text: backslash-newline removed, then one command per line, split at blanks. */
function shellLines(printed: string): string[][] {
  return printed.replace(/\\\n/g, '').split('\n').map((line) => line.trim().replace(/^\$ /, '').split(/\s+/).filter(Boolean));
}

// fix-short-secret's solution makes a fresh secret (32 random bytes, base64) each time it is shown: any such word matches.
const FRESH_SECRET = /^[A-Za-z0-9+/]{43}=$/;
const same = (shown: string | undefined, written: string) => shown === written || (FRESH_SECRET.test(written) && FRESH_SECRET.test(shown ?? ''));
const holds = (line: string[], words: string[]) => line.some((_word, start) => words.every((word, index) => same(line[start + index], word)));

describe('hint and solution commands pasted from a 60-column terminal', () => {
  test.each(EXERCISES.map((exercise) => exercise.id))('%s: each command joins back to the command as written', async (id) => {
    const wide = await hintsAndSolution(id, undefined);
    const narrow = await hintsAndSolution(id, 60);
    const lines = shellLines(narrow);
    for (const command of commandsIn(wide)) {
      expect(lines.some((line) => holds(line, command)), `${id}: ${command.join(' ')} not found whole in:\n${narrow}`).toBe(true);
    }
  }, 20_000);

  test('flaw-two\'s first hint: the verify command with its token is one shell line again, the token\'s pieces at column 0', async () => {
    const home = newHome();
    const { stdout } = await run(['hint', 'flaw-two'], 60, home);
    const token = materialFor(EXERCISES.find((exercise) => exercise.id === 'flaw-two')!, SEED).token!;
    // The line where the token starts: after "verify" or, when "verify \\" ends a line, the next one.
    const start = stdout.split('\n').findIndex((line) => /(jwt-vs-oauth verify |^ +)eyJ/.test(line));
    expect(start).toBeGreaterThan(-1);
    // The token's later pieces start at column 0: no indent a shell would keep.
    for (const line of stdout.split('\n').slice(start + 1)) {
      if (line.includes('--key')) break;
      expect(line).toMatch(/^[A-Za-z0-9_.-]/);
    }
    // Pasted into a shell: " \\" and the next line's indent part two arguments; a bare "\\" joins the token's pieces.
    expect(stdout.replace(/ \\\n */g, ' ').replace(/\\\n/g, '')).toContain(`jwt-vs-oauth verify ${token} --key issuer.pem --alg RS256`);
  });

  test('every command the hints, solutions and tasks name is found as one (or is a command\'s name in a sentence)', () => {
    // A command's name as the subject of a sentence, nothing to run.
    const names = ['jwt-vs-oauth decode shows', 'jwt-vs-oauth mint takes'];
    const missed: string[] = [];
    for (const exercise of EXERCISES) {
      const material = materialFor(exercise, SEED);
      for (const text of [...exercise.task, ...exercise.hints, ...exercise.solution.explain].map((paragraph) => fillTemplate(paragraph, material))) {
        for (const paragraph of text.split('\n')) {
          const words = paragraph.split(' ').filter(Boolean);
          const links = commandLinks(words);
          words.forEach((word, index) => {
            if (!/^[`(]?(?:\w+=\$\()?(?:jwt-vs-oauth|openssl|curl|printf)$/.test(word)) return;
            const inCommand = links[index] || (index > 0 && links[index - 1]);
            if (!inCommand && !names.includes(words.slice(index, index + 3).join(' '))) missed.push(`${exercise.id}: ${words.slice(Math.max(0, index - 3), index + 4).join(' ')}`);
          });
        }
      }
    }
    expect(missed).toEqual([]);
  });
});

describe('a URL in a hint', () => {
  test('oauth-access-token\'s first hint is never broken inside "://", at any width from 40 to 100 columns', async () => {
    for (let width = 40; width <= 100; width++) {
      const { stdout } = await run(['hint', 'oauth-access-token'], width, newHome());
      for (const line of stdout.split('\n')) expect(line, `${width} columns`).not.toMatch(/(?:https?:|https?:\/)\\$/);
      // Joined as a shell or decode joins it, the URL is whole.
      expect(stdout.replace(/\\\n/g, ''), `${width} columns`).toContain('redirect_uri=http://127.0.0.1/callback&scope=openid%20email');
    }
  }, 30_000);
});
