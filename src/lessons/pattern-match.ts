// A pack's `check.pattern` and `check.mistakes` patterns run against a learner's answer with hard
// time bounds. A pattern such as ^(a|a)+$ backtracks for ever on "aaaa…!"; V8 interrupts a
// regular expression only at a script timeout, so the match runs as a tiny script in its own
// context with `timeout`. Each pattern has a limit, and all the patterns of one check share a
// budget: fifty patterns just under the limit must not add up to seconds.

import { performance } from 'node:perf_hooks';
import { createContext, Script, type Context } from 'node:vm';

/** Longest pattern a pack may use; the longest built-in one is about 50 characters. */
export const MAX_PATTERN_LENGTH = 512;
/** Longest answer a pattern is run on: answers are a word or a URL, and a bound keeps each run short. */
export const MAX_PATTERN_ANSWER_LENGTH = 1024;
/** Far above any sane pattern on 1 KiB (microseconds), far below what a learner notices. */
export const PATTERN_TIME_LIMIT_MS = 100;
/** What all the patterns of one check (its pattern and its mistakes) may take together. */
export const CHECK_PATTERNS_TIME_BUDGET_MS = 200;
/** The most known mistakes one check may list: the built-in exercises list at most six. */
export const MAX_MISTAKES = 50;

/** 'too-slow': this pattern ran past its own limit; 'over-budget': the check's patterns together ran past theirs. */
export type PatternOutcome = 'match' | 'no-match' | 'too-slow' | 'over-budget';

/** The time the patterns of one check have used: one a round of a check (or of a selftest probe), shared by its patterns. */
export class PatternBudget {
  private spentMs = 0;
  constructor(readonly limitMs = CHECK_PATTERNS_TIME_BUDGET_MS) {}
  get remainingMs(): number {
    return this.limitMs - this.spentMs;
  }
  spend<Result>(run: () => Result): Result {
    const started = performance.now();
    try {
      return run();
    } finally {
      this.spentMs += performance.now() - started;
    }
  }
  /** A run cut short by the budget used all of it, whatever the clock says to the millisecond. */
  exhaust(): void {
    this.spentMs = Math.max(this.spentMs, this.limitMs);
  }
}

const matchScript = new Script('new RegExp(pattern).test(answer)');
let sandbox: Context | undefined;

/**
 * Whether `answer` matches `pattern`, within this pattern's limit and what is left of the check's
 * budget: 'too-slow' when it ran for the whole limit, 'over-budget' when the budget ran out first
 * (the patterns before it took the time). One run: checkInTwoRounds gives a stall a second chance.
 */
export function matchPattern(pattern: string, answer: string, budget: PatternBudget): PatternOutcome {
  const allowedMs = Math.min(PATTERN_TIME_LIMIT_MS, budget.remainingMs);
  if (allowedMs <= 0) return 'over-budget';
  // Made once: a fresh context costs a millisecond, a run in this one a few microseconds.
  sandbox ??= createContext(Object.create(null));
  sandbox.pattern = pattern;
  sandbox.answer = answer;
  try {
    return budget.spend(() => matchScript.runInContext(sandbox!, { timeout: Math.ceil(allowedMs) })) === true ? 'match' : 'no-match';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    if (allowedMs === PATTERN_TIME_LIMIT_MS) return 'too-slow';
    budget.exhaust();
    return 'over-budget';
  }
}

/**
 * Runs a check's patterns (`round`, with one budget for them all), and when they ran out of time
 * (`stalled`), once more with a fresh budget: the second round's result stands. A busy machine
 * can pause a microsecond match for 100 ms once; a backtracking pattern stalls on every run.
 */
export function checkInTwoRounds<Result>(round: (budget: PatternBudget) => Result, stalled: (result: Result) => boolean): Result {
  const first = round(new PatternBudget());
  return stalled(first) ? round(new PatternBudget()) : first;
}

/** Characters a learner's answer is often made of, whatever the exercise: a pattern may stall on any. */
const COMMON_CHARACTERS = ['a', '0', 'x', ' ', '-', '.'];

/**
 * Answers that make a backtracking pattern slow, each up to the answer limit: the correct answer
 * repeated, then runs of each of its first 8 distinct characters and of common ones, each
 * followed by a character that breaks the match. A few dozen probes; a sound pattern runs them
 * all in microseconds.
 */
export function slowPatternProbes(answer: string): string[] {
  const fill = (unit: string) => unit.repeat(Math.ceil((MAX_PATTERN_ANSWER_LENGTH - 1) / unit.length)).slice(0, MAX_PATTERN_ANSWER_LENGTH - 1);
  const units = [...new Set([...(answer === '' ? [] : [answer]), ...[...new Set(answer)].slice(0, 8), ...COMMON_CHARACTERS])];
  return units.flatMap((unit) => ['!', '\u0000'].map((breaker) => fill(unit) + breaker));
}
