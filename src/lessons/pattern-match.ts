// A pack's `check.pattern` run against a learner's answer with a hard time bound. A pattern such
// as ^(a|a)+$ backtracks for ever on "aaaa…!"; V8 interrupts a regular expression only at a
// script timeout, so the match runs as a tiny script in its own context with `timeout`.

import { createContext, Script, type Context } from 'node:vm';

/** Longest pattern a pack may use; the longest built-in one is about 50 characters. */
export const MAX_PATTERN_LENGTH = 512;
/** Longest answer a pattern is run on: answers are a word or a URL, and a bound keeps each run short. */
export const MAX_PATTERN_ANSWER_LENGTH = 1024;
/** Far above any sane pattern on 1 KiB (microseconds), far below what a learner notices. */
export const PATTERN_TIME_LIMIT_MS = 100;

export type PatternOutcome = 'match' | 'no-match' | 'too-slow';

const matchScript = new Script('new RegExp(pattern).test(answer)');
let sandbox: Context | undefined;

/**
 * Whether `answer` matches `pattern`, or 'too-slow' when the match ran past the time limit twice:
 * a busy machine can pause a microsecond match for 100 ms once, a backtracking pattern stalls on
 * every run.
 */
export function matchPattern(pattern: string, answer: string): PatternOutcome {
  const first = matchOnce(pattern, answer);
  return first === 'too-slow' ? matchOnce(pattern, answer) : first;
}

function matchOnce(pattern: string, answer: string): PatternOutcome {
  // Made once: a fresh context costs a millisecond, a run in this one a few microseconds.
  sandbox ??= createContext(Object.create(null));
  sandbox.pattern = pattern;
  sandbox.answer = answer;
  try {
    return matchScript.runInContext(sandbox, { timeout: PATTERN_TIME_LIMIT_MS }) === true ? 'match' : 'no-match';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'too-slow';
    throw error;
  }
}

/**
 * Answers that make a backtracking pattern slow, built from a correct answer: it repeated up to
 * the answer limit, and each of its characters repeated, each followed by a character that
 * breaks the match. A handful of probes; a sound pattern runs them all in microseconds.
 */
export function slowPatternProbes(answer: string): string[] {
  if (answer === '') return [];
  const fill = (unit: string) => unit.repeat(Math.ceil((MAX_PATTERN_ANSWER_LENGTH - 1) / unit.length)).slice(0, MAX_PATTERN_ANSWER_LENGTH - 1);
  const units = [answer, ...new Set(Array.from(answer).slice(0, 8))];
  return units.flatMap((unit) => ['!', '\u0000'].map((breaker) => fill(unit) + breaker));
}
