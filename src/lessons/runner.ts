// The lesson engine: walks a lesson's screens, asks its questions with immediate feedback, and
// reports every position so progress can be saved after each screen. It knows nothing about
// terminals: a LessonUI shows screens, runs hands-on steps and reads the learner's keys.

import type { ChoiceQuestion, Lesson, RunScreen, Screen, ValueQuestion } from './schema.js';

export type Navigation = 'next' | 'back' | 'quit';

export interface LessonUI {
  /** Shows a screen (text, or the explanation of a hands-on step or question). */
  show(lesson: Lesson, index: number, screen: Screen): void;
  /** Runs a hands-on step and shows its output. */
  run(screen: RunScreen): Promise<void>;
  /** Asks a question; returns the learner's answer (a choice index, or typed text). */
  ask(question: ChoiceQuestion | ValueQuestion, attempt: number): Promise<number | string>;
  /** The right value for a value question, read off what earlier steps produced. */
  expectedValue(question: ValueQuestion): string | undefined;
  feedback(correct: boolean, question: ChoiceQuestion | ValueQuestion, expected: string, finalAttempt: boolean): void;
  navigate(canGoBack: boolean): Promise<Navigation>;
}

export const ATTEMPTS_PER_QUESTION = 2;

export function isCorrect(question: ChoiceQuestion | ValueQuestion, answer: number | string, expected: string | undefined): boolean {
  if (question.kind === 'choice') return answer === question.answer;
  if (expected === undefined) return false;
  const given = String(answer).trim();
  const normalise = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
  if (normalise(given) === normalise(expected)) return true;
  // A NumericDate may also be answered as an ISO date-time.
  return /^\d+$/.test(expected) && !Number.isNaN(Date.parse(given)) && Math.floor(Date.parse(given) / 1000) === Number(expected);
}

/**
 * Runs one lesson from `start`. `onPosition` is called with the index of the screen to resume
 * at, after every screen. Returns whether the lesson was finished or the learner quit.
 */
export async function runLesson(lesson: Lesson, start: number, ui: LessonUI, onPosition: (screen: number) => void): Promise<'completed' | 'quit'> {
  let index = Math.min(Math.max(0, start), lesson.screens.length - 1);
  while (index < lesson.screens.length) {
    const screen = lesson.screens[index]!;
    ui.show(lesson, index, screen);
    if (screen.type === 'run') await ui.run(screen);
    if (screen.type === 'question') {
      const expected = screen.kind === 'choice' ? screen.choices[screen.answer]! : ui.expectedValue(screen);
      // A value question reads what an earlier hands-on step made; after a resume that step may not have run.
      const answerable = expected !== undefined;
      if (!answerable) ui.feedback(false, screen, 'not available yet: press b to go back and run the hands-on step first', true);
      for (let attempt = 1; answerable && attempt <= ATTEMPTS_PER_QUESTION; attempt++) {
        const answer = await ui.ask(screen, attempt);
        const correct = isCorrect(screen, answer, expected);
        ui.feedback(correct, screen, expected ?? '(not available)', attempt === ATTEMPTS_PER_QUESTION);
        if (correct) break;
      }
    }
    onPosition(index + 1);
    const move = await ui.navigate(index > 0);
    if (move === 'quit') return 'quit';
    index = move === 'back' ? Math.max(0, index - 1) : index + 1;
    onPosition(index);
  }
  return 'completed';
}
