// Lessons as text: a screen on a terminal, or a whole lesson as plain text (for reading, screen
// readers, projecting or a file) with the answers to its questions at its end.

import { wrap } from './flow-view.js';
import type { Output } from './output.js';
import type { ChoiceQuestion, Lesson, Screen, ValueQuestion } from '../lessons/schema.js';

const LETTERS = 'abcdefghij';

export function renderScreen(lesson: Lesson, index: number, screen: Screen, output: Output, width: number): string {
  const c = output.colour;
  const lines = ['', c.bold(`Lesson ${lesson.number} · ${lesson.title}`) + c.dim(`  (screen ${index + 1} of ${lesson.screens.length})`)];
  if (screen.type !== 'question' && screen.title) lines.push(c.bold.underline(screen.title));
  lines.push('');
  if (screen.type === 'question') {
    lines.push(...wrap(`${c.bold('Question:')} ${screen.prompt}`, width));
    return lines.join('\n');
  }
  for (const paragraph of screen.body) lines.push(...(paragraph.startsWith('  ') ? [paragraph] : wrap(paragraph, width)), '');
  if (screen.type === 'run') {
    lines.push(c.bold('Hands-on:') + (screen.command ? ` the same as ${c.cyan(screen.command)}` : ' running the real code now…'));
  }
  return lines.join('\n').trimEnd();
}

/** The right answer as the learner saw the choices: lettered in --plain, numbered on a terminal (where b is the back key). */
export function describeAnswer(question: ChoiceQuestion | ValueQuestion, expected: string, numbered = false): string {
  if (question.kind !== 'choice') return expected;
  return `(${numbered ? question.answer + 1 : LETTERS[question.answer]}) ${expected}`;
}

/**
 * A whole lesson as plain text, answers at the end, printed as it goes: each hands-on step's
 * output comes from `handsOn` and follows its heading (a step may print while it runs, as the
 * demo flow does, so what comes before it is printed first).
 */
export async function printPlainLesson(lesson: Lesson, width: number, handsOn: (screen: Extract<Screen, { type: 'run' }>) => Promise<string>, expectedValue: (question: ValueQuestion) => string | undefined, print: (text: string) => void): Promise<void> {
  let lines = [`Lesson ${lesson.number}: ${lesson.title}`, '='.repeat(Math.min(width, `Lesson ${lesson.number}: ${lesson.title}`.length)), '', ...wrap(lesson.summary, width), ''];
  const flush = () => {
    if (lines.length) print(lines.join('\n'));
    lines = [];
  };
  const answers: string[] = [];
  let questionNumber = 0;
  for (const screen of lesson.screens) {
    if (screen.type === 'question') {
      questionNumber++;
      lines.push(...wrap(`Question ${questionNumber}: ${screen.prompt}`, width));
      if (screen.kind === 'choice') screen.choices.forEach((choice, index) => lines.push(...wrap(`(${LETTERS[index]}) ${choice}`, width, '  ')));
      else lines.push('  (type the value)');
      lines.push('');
      const expected = screen.kind === 'choice' ? screen.choices[screen.answer]! : expectedValue(screen) ?? '(shown in the hands-on step above)';
      answers.push(...wrap(`${questionNumber}. ${describeAnswer(screen, expected)}. ${screen.explanation}`, width));
      continue;
    }
    if (screen.title) lines.push(screen.title, '-'.repeat(Math.min(width, screen.title.length)));
    for (const paragraph of screen.body) lines.push(...(paragraph.startsWith('  ') ? [paragraph] : wrap(paragraph, width)), '');
    if (screen.type === 'run') {
      if (screen.command) lines.push(`Try it: ${screen.command}`, '');
      flush();
      lines.push(await handsOn(screen), '');
    }
  }
  if (answers.length) lines.push(`Answers to lesson ${lesson.number}`, ...answers, '');
  flush();
}
