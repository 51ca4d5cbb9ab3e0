// Issue #14: a lesson step is the command it shows. For every command step of every lesson, the
// step runs through the engine as the tutorial runs it (a fixed clock, the tokens the lesson's
// earlier steps saved); then the screen the learner sees is read as a learner would use it: the
// shell lines that set its "$NAMES" (NAME=value, a "\" at a line's end joining the next) and the
// command after "Runs: " (broken with " \"), each "$NAME" replaced by its value as a
// shell does. That line, run fresh through the CLI with the same clock and width, must be the same
// words and print the same. Nothing is masked: no command step mints a random jti (lesson 2's
// --jti command is prose, not a step), and a Mock Google step's fresh run happens while its Mock
// Google (the same keys, the same tokens) still runs.

import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { commandSetUp, indentOf, renderCommandStep, runLessonStep, setUpBeforeRunning, type StepView } from '../../src/cli/lesson-step-view.js';
import { renderScreen } from '../../src/cli/lesson-view.js';
import { createOutput, NO_COLOURS } from '../../src/cli/output.js';
import type { CommandOutcome } from '../../src/lessons/lesson-steps.js';
import { loadLessons } from '../../src/lessons/loader.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { isCommandScreen, type CommandScreen, type Lesson } from '../../src/lessons/schema.js';
import { commandLineWords } from '../../src/lessons/solution-commands.js';
import { runCli } from '../helpers/cli.js';

const lessons = loadLessons(join(lessonsFolder(), 'tutorial'));
const NOW = 1_795_000_000;

/** Text as a shell reads it: a "\" at the end of a line joins the next line to it, and the "\" and the line break go. */
const shellJoined = (text: string) => text.replace(/\\\n/g, '');

/** The shell variables the shown lines set: "NAME=value" or "NAME='value'", after joining continued lines. */
function assignments(shown: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of shellJoined(shown).split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    const value = match[2]!;
    values.set(match[1]!, value.startsWith("'") ? value.slice(1, -1).replaceAll("'\\''", "'") : value);
  }
  return values;
}

/** The command the screen shows after its lead, joined back as a shell joins it, with "$NAME" words filled from `variables`. */
function shownWords(shown: string, lead: string, variables: Map<string, string>): string[] {
  const lines = shown.split('\n');
  const start = lines.findIndex((line) => line.startsWith(lead));
  if (start < 0) throw new Error(`no "${lead}" line on the screen`);
  const laid = [lines[start]!.slice(lead.length)];
  for (let index = start + 1; laid.at(-1)!.endsWith('\\'); index++) laid.push(lines[index]!);
  return commandLineWords(shellJoined(laid.join('\n'))).map((word) => {
    const name = /^\$([A-Z][A-Z0-9_]*)$/.exec(word)?.[1];
    if (name === undefined) return word;
    if (!variables.has(name)) throw new Error(`the screen uses $${name} and sets it nowhere above`);
    return variables.get(name)!;
  });
}

/** What differs between what a step ran and what the learner's paste of its screen runs; '' when nothing does. */
async function mismatch(shown: string, outcome: CommandOutcome, columns: number): Promise<string> {
  if (outcome.kind !== 'ran') return `the step did not run (${outcome.kind})`;
  const words = shownWords(shown, 'Runs: ', assignments(shown));
  if (words[0] !== 'jwt-vs-oauth') return `the shown line starts with ${words[0]}`;
  const fresh = await runCli(words.slice(1), { env: { NO_COLOR: '1', COLUMNS: String(columns) }, now: NOW });
  const problems = [
    JSON.stringify(words.slice(1)) === JSON.stringify(outcome.words) ? '' : `words: shown ${JSON.stringify(words.slice(1))}, ran ${JSON.stringify(outcome.words)}`,
    fresh.code === outcome.code ? '' : `exit: fresh ${fresh.code}, step ${outcome.code}`,
    fresh.stdout === outcome.stdout ? '' : `stdout differs:\n${fresh.stdout}\n---\n${outcome.stdout}`,
    fresh.stderr === outcome.stderr ? '' : `stderr differs:\n${fresh.stderr}\n---\n${outcome.stderr}`,
  ];
  return problems.filter(Boolean).join('\n');
}

function viewFor(width: number): StepView & { given: Map<string, string> } {
  const output = createOutput({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {} }, NO_COLOURS);
  return { output, now: () => NOW, width, saved: new Map(), given: new Map(), pause: async () => undefined, interactive: true };
}

/**
 * Walks a lesson as the terminal tutorial does: each screen shown (a command step with the lines
 * that set its saved names), each run step run; for a command step, `check` gets what the learner
 * sees on that screen (the screen, then the step's output) while what its `with` started still runs.
 */
async function walk(lesson: Lesson, width: number, check: (screen: CommandScreen, shown: string, outcome: CommandOutcome) => Promise<void>): Promise<number> {
  const view = viewFor(width);
  let checked = 0;
  for (const [index, screen] of lesson.screens.entries()) {
    if (screen.type !== 'run') continue;
    if (!isCommandScreen(screen)) {
      await runLessonStep(screen, view);
      continue;
    }
    const setUp = setUpBeforeRunning(screen) ? commandSetUp(screen, view) : [];
    const shownScreen = renderScreen(lesson, index, screen, view.output, { text: Math.min(width, 100), screen: width }, setUp);
    const { commandFailed } = await runLessonStep(screen, view, async (outcome) => {
      // What the step will print, laid out as it will be (on a copy of what the shell was given, which the real layout then updates).
      const output = renderCommandStep(screen, outcome, { ...view, given: new Map(view.given) }).text;
      await check(screen, `${shownScreen}\n${output}`, outcome);
      checked++;
    });
    expect(commandFailed, `lesson ${lesson.number}, screen ${index + 1}`).toBe(false);
  }
  return checked;
}

const withCommands = lessons.filter((lesson) => lesson.screens.some((screen) => screen.type === 'run' && isCommandScreen(screen)));

describe('every command step runs the command its screen shows', () => {
  test('the lessons with command steps: 3, 8, 9, 10, 11 and 14', () => {
    expect(withCommands.map((lesson) => lesson.number)).toEqual([3, 8, 9, 10, 11, 14]);
  });

  describe.each([100, 60])('laid out for %i columns', (width) => {
    test.each(withCommands.map((lesson) => [lesson.number, lesson] as const))('lesson %i: each command step\'s shown line, pasted with its "$NAMES" set as shown, runs the same words and prints the same', async (_number, lesson) => {
      const commandSteps = lesson.screens.filter((screen) => screen.type === 'run' && isCommandScreen(screen)).length;
      const checked = await walk(lesson, width, async (screen, shown, outcome) => {
        expect(await mismatch(shown, outcome, width - indentOf(screen)), `${lesson.file}: ${screen.command}\n${shown}`).toBe('');
      });
      expect(checked).toBe(commandSteps);
    }, 60_000);
  });

  test('the check fails when a screen shows one command and the step ran another', async () => {
    const lesson = lessons.find((candidate) => candidate.number === 10)!;
    const problems: string[] = [];
    await walk(lesson, 100, async (screen, shown, outcome) => {
      // The screen says --aud payments-api; this "screen" shows food-api, which the step did not run.
      problems.push(await mismatch(shown.replace('--aud payments-api', '--aud food-api'), outcome, 100 - indentOf(screen)));
    });
    expect(problems[0]).toBe('');
    expect(problems[1]).toMatch(/^words: shown \[.*"food-api"\], ran \[.*"payments-api"\]\nexit: fresh 0, step 1\nstdout differs/);
  }, 30_000);
});
