// The lesson engine: walks a lesson's screens, asks its questions with immediate feedback, and
// reports every position so progress can be saved after each screen. It knows nothing about
// terminals: a LessonUI shows screens, runs hands-on steps and reads the learner's keys.

import type { ChoiceQuestion, Lesson, RunScreen, Screen, ValueQuestion } from './schema.js';
import { screenMaking, screensToRerun } from './step-tokens.js';

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

/** Whether a typed value is the token's, and if not, why in words when the slip is a known one (never the value). */
export type ValueVerdict = { ok: true; note?: string } | { ok: false; why?: string };

export const CASE_ONLY_WHY = 'right letters, wrong case: JWT values are compared exactly';
export const SPACING_ONLY_WHY = 'right words, spaced differently: JWT values are compared exactly';
export const NO_TIME_ZONE_WHY = 'give the time zone: a time without Z or an offset is ambiguous';

/**
 * A right answer typed as a date-time: the lessons teach exact comparison, so the note says what
 * was compared (the number) and where case did not matter (a time's T and Z, RFC 3339 §5.6).
 */
export function isoAcceptedNote(typed: string, expected: string): string {
  const lowerCase = /\d[t]\d|z$/.test(typed) ? ' Writing t and z in lower case is allowed in a date-time (RFC 3339 §5.6), the one place case did not matter here.' : '';
  return `you typed the time; the token holds the number ${expected} (seconds since 1970), and that number, compared exactly, is what a verifier checks.${lowerCase}`;
}

/** An ISO 8601 date-time as a learner types it: date, T (or a space), time, and maybe a zone. */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * The value a learner typed, less surrounding whitespace and the quotes decode prints around a
 * JSON string ("vikram" is vikram: the quotes are decode's JSON, not part of the value).
 */
export function typedValue(answer: string): string {
  const given = answer.trim();
  if (given.length >= 2 && given.startsWith('"') && given.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(given);
      if (typeof parsed === 'string') return parsed;
    } catch {
      // Not a JSON string ("a" "b"): the text as typed.
    }
  }
  return given;
}

/** Seconds since 1970 of an ISO date-time with a zone; 'no zone' for one without; undefined for anything else. */
export function isoSeconds(text: string): number | 'no zone' | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return undefined;
  if (match[3] === undefined) return 'no zone';
  const zone = match[3].toUpperCase() === 'Z' ? 'Z' : match[3].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const milliseconds = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(milliseconds) ? undefined : Math.floor(milliseconds / 1000);
}

/**
 * Compares a typed value with the token's exactly, as a verifier does (JWT values and alg names
 * are case-sensitive: RFC 7515 §4.1.1, RFC 7519 §2 and §4.1), after trimming. A NumericDate may also
 * be typed as an ISO date-time with its zone. A case-only or spacing-only miss, or a time without
 * a zone, fails with why.
 */
export function compareValue(answer: string, expected: string): ValueVerdict {
  const given = typedValue(answer);
  if (given === expected) return { ok: true };
  if (/^\d+$/.test(expected)) {
    const seconds = isoSeconds(given);
    if (seconds === 'no zone') return { ok: false, why: NO_TIME_ZONE_WHY };
    if (seconds !== undefined) return seconds === Number(expected) ? { ok: true, note: isoAcceptedNote(given, expected) } : { ok: false };
  }
  const spaced = (text: string) => text.replace(/\s+/g, ' ');
  if (spaced(given).toLowerCase() === spaced(expected).toLowerCase()) return { ok: false, why: spaced(given) === spaced(expected) ? SPACING_ONLY_WHY : CASE_ONLY_WHY };
  return { ok: false };
}

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
