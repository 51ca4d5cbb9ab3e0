// Every lesson as plain text fits the width it is told (issue #13): `tutorial --plain` at 60, 80
// and 120 columns (COLUMNS, as for a file or a pipe) has no line wider than that, the same words
// as a run that is not wrapped at all (nothing split or lost: a token broken with "\" and a command
// broken with " \" join back), list items, choices and answers with their later lines under their
// text, and lesson 6's table still a table. Without COLUMNS a pipe keeps each paragraph whole.

import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { displayWidth, joinBrokenLines } from '../../src/text/layout.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { isCommandScreen } from '../../src/lessons/schema.js';

const WIDTHS = [60, 80, 120] as const;
// A frozen clock: times and expiries read the same in every run.
const NOW = 1_795_000_000;
const ANSI = /\x1b\[[0-9;]*m/g;
const lessons = loadLessons(join(lessonsFolder(), 'tutorial'));

const plainRun = async (env: NodeJS.ProcessEnv = {}) => {
  const result = await runCli(['tutorial', '--plain', 'all'], { env, now: NOW });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
};

/**
 * The words of a run, with breaks joined. What changes from run to run is masked (tokens, random
 * values shown shortened with "…", ports and other numbers), and the demo's sequence diagram, which
 * is drawn to the width (its rules are as long as the width allows), is left out.
 */
function wordsOf(text: string): string[] {
  const joined = joinBrokenLines(text.replace(ANSI, '').replace(/ \\\n\s*/g, ' '));
  return joined
    .split('\n')
    .filter((line) => !/[│─▶◀]/.test(line))
    .join('\n')
    // A JSON body on one line, or pretty-printed a member a line where it does not fit: the same words.
    .replace(/[{}]/g, ' $& ')
    .replace(/":(?! )/g, '": ')
    .replace(/,"/g, ', "')
    .split(/\s+/)
    // A device flow's user code (RFC 8628 §6.1 alphabet) is new in every run.
    .map((word) => (/…|[A-Za-z0-9_~+/=.-]{16,}|^"?[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"?,?$/.test(word) ? '#' : word.replace(/\d+/g, '0')))
    .filter(Boolean);
}

const squeezed = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The lines `item` (a list item, choice or answer with its marker) was laid out on in `lines`:
 * the one it starts on, then each line until all its words are there. Undefined if it is not found.
 */
function linesOfItem(lines: string[], item: string): string[] | undefined {
  const start = lines.findIndex((line) => line.startsWith(item.slice(0, 24)));
  if (start < 0) return undefined;
  const taken = [lines[start]!];
  while (squeezed(taken.join(' ')).length < squeezed(item).length && start + taken.length < lines.length) taken.push(lines[start + taken.length]!);
  return taken;
}

/** The lessons' list items, choices and answers to choice questions, each with its marker. */
const items: Array<{ text: string; marker: string }> = lessons.flatMap((lesson) => {
  let question = 0;
  return lesson.screens.flatMap((screen) => {
    if (screen.type !== 'question') {
      return screen.body.flatMap((paragraph) => {
        const marker = /^ {2}(?:•|\d\.) /.exec(paragraph)?.[0];
        return marker ? [{ text: paragraph, marker }] : [];
      });
    }
    question++;
    if (screen.kind !== 'choice') return [];
    const letter = 'abcdefghij'[screen.answer];
    return [
      ...screen.choices.map((choice, index) => ({ text: `  (${'abcdefghij'[index]}) ${choice}`, marker: `  (${'abcdefghij'[index]}) ` })),
      { text: `${question}. (${letter}) ${screen.choices[screen.answer]}. ${screen.explanation}`, marker: `${question}. ` },
    ];
  });
});

describe('tutorial --plain laid out to COLUMNS', () => {
  let wide: string;
  const narrow = new Map<number, string>();
  beforeAll(async () => {
    wide = await plainRun();
    for (const width of WIDTHS) narrow.set(width, await plainRun({ COLUMNS: String(width) }));
  }, 120_000);

  test('a pipe with no COLUMNS keeps every paragraph on one line', () => {
    const paragraph = lessons[5]!.screens[0]!.type === 'text' ? lessons[5]!.screens[0]!.body[3]! : '';
    expect(paragraph.length).toBeGreaterThan(200);
    expect(wide.split('\n')).toContain(paragraph);
  });

  test.each(WIDTHS)('%i columns: no line wider', (width) => {
    const over = narrow.get(width)!.split('\n').filter((line) => displayWidth(line) > width);
    expect(over).toEqual([]);
  });

  test.each(WIDTHS)('%i columns: the same words as the unwrapped run, none split', (width) => {
    const known = new Set(wordsOf(wide));
    const words = new Set(wordsOf(narrow.get(width)!));
    expect([...words].filter((word) => !known.has(word))).toEqual([]);
    expect([...known].filter((word) => !words.has(word))).toEqual([]);
  });

  test.each(WIDTHS)('%i columns: list items, choices and answers keep their later lines under their text', (width) => {
    const lines = narrow.get(width)!.split('\n');
    let wrapped = 0;
    for (const { text, marker } of items) {
      const laid = linesOfItem(lines, text);
      expect(laid, text).toBeDefined();
      expect(squeezed(laid!.join(' ')), text).toBe(squeezed(text));
      for (const later of laid!.slice(1)) {
        wrapped++;
        expect(later, `${text}\n${laid!.join('\n')}`).toMatch(new RegExp(`^ {${marker.length}}\\S`));
      }
    }
    // Enough items were long enough to wrap for this to test something.
    expect(wrapped).toBeGreaterThan(width === 120 ? 10 : 60);
  });

  test('60 columns: lesson 6\'s table keeps its columns, each description wrapping under itself', () => {
    const lines = narrow.get(60)!.split('\n');
    const first = lines.findIndex((line) => line.startsWith('  JWT  '));
    expect(lines.slice(first, first + 7)).toEqual([
      '  JWT             a token format for claims, usually signed:',
      '                  anyone can read them, a key holder can',
      '                  check them',
      '  OAuth 2.0       an authorization framework: how an app',
      '                  gets limited access on a user\'s behalf',
      '  OpenID Connect  a sign-in layer on top of OAuth 2.0: adds',
      '                  the ID token (always a JWT)',
    ]);
  });

  test('60 columns: a command too wide is broken between its arguments with " \\", and reads back as the lesson wrote it', () => {
    const lines = narrow.get(60)!.split('\n');
    const mint = lessons[2]!.screens.find((screen) => screen.type === 'run' && isCommandScreen(screen) && screen.command.includes(' mint '));
    const command = mint?.type === 'run' && isCommandScreen(mint) ? mint.command : '';
    expect(command).toMatch(/^jwt-vs-oauth mint /);
    const start = lines.findIndex((line) => line.startsWith('Runs: jwt-vs-oauth mint'));
    const laid: string[] = [];
    for (let index = start; !laid.length || laid.at(-1)!.endsWith(' \\'); index++) laid.push(lines[index]!);
    expect(laid.length).toBeGreaterThan(1);
    expect(laid.slice(1).every((line) => line.startsWith('    '))).toBe(true);
    expect(laid.join('\n').replace(/ \\\n\s*/g, ' ')).toBe(`Runs: ${command}`);
  });
});
