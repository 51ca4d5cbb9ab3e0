// The lesson engine: walks a lesson's screens, asks its questions with immediate feedback, and
// reports every position so progress can be saved after each screen. It knows nothing about
// terminals: a LessonUI shows screens, runs hands-on steps and reads the learner's keys.

import type { ChoiceQuestion, Lesson, RunScreen, Screen, ValueQuestion } from './schema.js';
import { screenMaking, screensToRerun } from './step-tokens.js';
import { compareValue, type ValueVerdict } from './answers.js';

export type Navigation = 'next' | 'back' | 'quit';

export interface LessonUI {
  /** Shows a screen (text, or the explanation of a hands-on step or question). */
  show(lesson: Lesson, index: number, screen: Screen): void;
  /** Runs a hands-on step and shows its output. */
  run(screen: RunScreen): Promise<void>;
  /**
   * Asks a question; returns the learner's answer (a choice index, or typed text), or a move:
   * b, q and Esc work on a question screen as on a text screen.
   */
  ask(question: ChoiceQuestion | ValueQuestion, attempt: number, canGoBack: boolean): Promise<number | string | { move: 'back' | 'quit' }>;
  /** The right value for a value question, read off what earlier steps produced. */
  expectedValue(question: ValueQuestion): string | undefined;
  /**
   * `why` says what was wrong with a value answer when the slip is a known one (the case, the
   * spacing, a time without a zone), or, for a right one, what was accepted beside the exact value.
   */
  feedback(correct: boolean, question: ChoiceQuestion | ValueQuestion, expected: string, finalAttempt: boolean, why?: string): void;
  /** A question already answered in this run, seen again (after b): what was answered and whether it was right, not asked again. */
  recall(question: ChoiceQuestion | ValueQuestion, answer: number | string, correct: boolean, expected: string): void;
  navigate(canGoBack: boolean): Promise<Navigation>;
  /**
   * On a resume: runs again the earlier hands-on steps (`screens`, indexes in order) that make the
   * tokens the screens from here on read, which were kept only in memory, and says so.
   */
  rerun?(lesson: Lesson, screens: number[]): Promise<void>;
  /** A value question whose token is still missing: says which screen makes it (no verdict: nothing was answered). */
  unavailable?(question: ValueQuestion, madeOn: number | undefined): void;
}

export const ATTEMPTS_PER_QUESTION = 2;

/** Whether an answer to a question is right: the choice's index, or a value as compareValue judges it. */
export function isCorrect(question: ChoiceQuestion | ValueQuestion, answer: number | string, expected: string | undefined): boolean {
  if (question.kind === 'choice') return answer === question.answer;
  if (expected === undefined) return false;
  return compareValue(String(answer), expected).ok;
}

/**
 * Runs one lesson from `start`. `onPosition` is called with the index of the screen on view each
 * time one is shown (after it is shown, and waited for), so quitting there resumes there. A question answered in this run is not
 * asked again when the learner comes back to it. Returns whether the lesson was finished or the
 * learner quit.
 */
export async function runLesson(lesson: Lesson, start: number, ui: LessonUI, onPosition: (screen: number) => void | Promise<void>): Promise<'completed' | 'quit'> {
  let index = Math.min(Math.max(0, start), lesson.screens.length - 1);
  const first = index;
  const answered = new Map<number, { answer: number | string; correct: boolean }>();
  while (index < lesson.screens.length) {
    const screen = lesson.screens[index]!;
    // Shown before the position is saved: the first screen waits for nothing it does not need.
    ui.show(lesson, index, screen);
    await onPosition(index);
    if (index === first && first > 0) {
      // Resumed here: what earlier steps made is gone with the run that made it.
      const rerun = screensToRerun(lesson, first);
      if (rerun.length) await ui.rerun?.(lesson, rerun);
    }
    if (screen.type === 'run') await ui.run(screen);
    let move: Navigation | undefined;
    if (screen.type === 'question') {
      const expected = screen.kind === 'choice' ? screen.choices[screen.answer]! : ui.expectedValue(screen);
      const earlier = answered.get(index);
      // A value question reads what an earlier hands-on step made; after a resume that step may not have run.
      const answerable = expected !== undefined;
      if (!answerable) {
        if (screen.kind === 'value') ui.unavailable?.(screen, screenMaking(lesson, index));
      } else if (earlier) ui.recall(screen, earlier.answer, earlier.correct, expected);
      for (let attempt = 1; answerable && !earlier && attempt <= ATTEMPTS_PER_QUESTION; attempt++) {
        const answer = await ui.ask(screen, attempt, index > 0);
        if (typeof answer === 'object') {
          move = answer.move;
          break;
        }
        const verdict: ValueVerdict = screen.kind === 'choice' ? { ok: answer === screen.answer } : compareValue(String(answer), expected!);
        const correct = verdict.ok;
        ui.feedback(correct, screen, expected!, attempt === ATTEMPTS_PER_QUESTION, verdict.ok ? verdict.note : verdict.why);
        if (correct || attempt === ATTEMPTS_PER_QUESTION) answered.set(index, { answer, correct });
        if (correct) break;
      }
    }
    move ??= await ui.navigate(index > 0);
    if (move === 'quit') return 'quit';
    index = move === 'back' ? Math.max(0, index - 1) : index + 1;
  }
  await onPosition(index);
  return 'completed';
}
