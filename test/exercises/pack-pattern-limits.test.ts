// A pack's check.pattern and check.mistakes (security review of issue #11): a check lists at most
// 50 mistakes and all its patterns share one 200 ms budget, so many patterns that are each just
// under the 100 ms limit cannot stall a check or selftest; selftest's slow-pattern probes use the
// answer's distinct characters and a few common ones, on every pattern; `mistakes` belongs to
// answer checks only and is refused, not crashed on, anywhere else.

import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECK_PATTERNS_TIME_BUDGET_MS, PATTERN_TIME_LIMIT_MS, PatternBudget, checkInTwoRounds, matchPattern } from '../../src/lessons/pattern-match.js';
import { runCli } from '../helpers/cli.js';

const temporary = (prefix: string) => mkdtempSync(join(tmpdir(), `jwt-vs-oauth-${prefix}-`));
const home = () => ({ JWT_VS_OAUTH_HOME: temporary('home') });
const example = (name: string) => JSON.parse(readFileSync(new URL(`../../lessons/example-pack/${name}`, import.meta.url), 'utf8'));
/** The example pack's read-the-issuer exercise: expected {{iss}}, an https://auth.<company>.example from the seed. */
const READ_ISSUER = example('01-pack-read-issuer.json');
const CHOOSE_STORAGE = example('02-pack-choose-storage.json');
const MAKE_TOKEN = {
  id: 'pack-make-token',
  title: 'Make a token',
  topic: 'make-a-token',
  task: ['Sign a token with HS256 and the secret s.'],
  check: { kind: 'token-rules', alg: 'HS256', secret: 's' },
  hints: ['jwt-vs-oauth mint'],
  solution: { explain: ['mint signs.'], answers: ['x'] },
};

/** A pack folder of one exercise file, 01.json. */
function packOf(exercise: unknown): { pack: string; file: string } {
  const pack = temporary('pack');
  const file = join(pack, '01.json');
  writeFileSync(file, JSON.stringify(exercise));
  return { pack, file };
}

/**
 * Mistakes that each take a few to a few tens of milliseconds on a longer wrong answer, under the
 * 100 ms limit, and never match: (?:.?){n} can split the same characters 2^n ways.
 */
const slowishMistakes = (count: number, repeats: number) => Array.from({ length: count }, (_unused, index) => ({ pattern: `^(?:.?){${repeats}}.{16}!${index}$`, why: 'w' }));
const readIssuerWith = (mistakes: unknown) => ({ ...READ_ISSUER, check: { ...READ_ISSUER.check, mistakes } });

describe('a check lists at most 50 mistakes', () => {
  test('the 234 KB file of 5 000 mistakes from the review is refused when the pack loads, at once: exit 2, naming the file and the field', async () => {
    const { pack, file } = packOf(readIssuerWith(slowishMistakes(5000, 16)));
    expect(statSync(file).size).toBeLessThan(256 * 1024);
    const started = Date.now();
    const result = await runCli(['ex', '--pack', pack, 'check', 'pack-read-issuer', `${'a'.repeat(40)}!`], { env: home() });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: "check.mistakes": lists 5000 known wrong answers; a check may list at most 50`);
    expect(result.stdout).toBe('');
  }, 20_000);

  test('51 are refused; 50 load', async () => {
    const refused = await runCli(['ex', '--pack', packOf(readIssuerWith(slowishMistakes(51, 1))).pack, 'list'], { env: home() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('01.json: "check.mistakes": lists 51 known wrong answers; a check may list at most 50');
    const loaded = await runCli(['ex', '--pack', packOf(readIssuerWith(slowishMistakes(50, 1))).pack, 'list'], { env: home() });
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toContain('pack-read-issuer');
  });
});

describe('all the patterns of one check share a 200 ms budget', () => {
  test('50 mistakes, each under 100 ms, stop matching once 200 ms are spent: the check says it took too long', async () => {
    const { pack } = packOf(readIssuerWith(slowishMistakes(50, 16)));
    const started = Date.now();
    const result = await runCli(['ex', '--pack', pack, 'check', 'pack-read-issuer', `${'a'.repeat(40)}!`, '--json'], { env: home() });
    const elapsed = Date.now() - started;
    expect(result.code).toBe(1);
    const line = JSON.parse(result.stdout).checks[0];
    expect(line).toMatchObject({ label: 'answer', ok: false, got: `${'a'.repeat(40)}!` });
    expect(line.why).toBe('the check took too long (over 200 ms for all its patterns) to say why: tell your teacher, the patterns in the exercise\'s check.mistakes need fixing');
    expect(elapsed).toBeLessThan(2000);
  }, 20_000);

  test('a wrong answer the same mistakes are quick on still gets the general why', async () => {
    const { pack } = packOf(readIssuerWith(slowishMistakes(50, 16)));
    const result = await runCli(['ex', '--pack', pack, 'check', 'pack-read-issuer', 'nope', '--json'], { env: home() });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).checks[0].why).toBe('that is not the token\'s iss: decode the token and read its iss claim');
  });

  test('selftest names the exercise as broken: the patterns together are too slow on a long near-miss answer', async () => {
    const { pack } = packOf(readIssuerWith(slowishMistakes(50, 17)));
    const started = Date.now();
    const selftest = await runCli(['ex', '--pack', pack, 'selftest'], { env: home() });
    expect(selftest.code).toBe(1);
    expect(selftest.stdout).toMatch(/^✗ pack-read-issuer {2}its check\.mistakes patterns together take longer than 200 ms on an answer such as "[^"]+" \(1024 characters\), so a learner's check would stall: use fewer patterns, each without nested or overlapping repeats such as \(a\|a\)\+ or \(a\+\)\+\n/);
    expect(selftest.stdout).toContain('✗ 1 of 1 do not check out.');
    expect(Date.now() - started).toBeLessThan(5000);
  }, 30_000);
});

describe('selftest probes every pattern with the answer\'s distinct characters and a few common ones', () => {
  test.each([
    // "a" is the 7th distinct character of every https://auth.<company>.example, not among its first 8 characters.
    ['check.mistakes[0].pattern', { ...READ_ISSUER.check, mistakes: [{ pattern: '^(a|a)*$', why: 'w' }] }, /"aaaaaa…aa!" \(1024 characters\)/],
    // "x" is not among the first 8 distinct characters either: a common probe finds it.
    ['check.pattern', { kind: 'answer', pattern: '^(?:https://auth\\.[a-z-]+\\.example|(x|x)+)$' }, /"xxxxxx…xx!" \(1024 characters\)/],
    ['check.mistakes[1].pattern', { ...READ_ISSUER.check, mistakes: [{ pattern: '^x$', why: 'w' }, { pattern: '^(0|0)+$', why: 'w' }] }, /"000000…00!" \(1024 characters\)/],
    ['check.mistakes[0].pattern', { ...READ_ISSUER.check, mistakes: [{ pattern: '^( | )+$', why: 'w' }] }, /" {6}… {2}!" \(1024 characters\)/],
  ])('a %s slow only on runs the old probes missed is named (exit 1)', async (field, check, probe) => {
    const { pack } = packOf({ ...READ_ISSUER, check });
    const selftest = await runCli(['ex', '--pack', pack, 'selftest'], { env: home() });
    expect(selftest.code).toBe(1);
    const [line] = selftest.stdout.split('\n');
    expect(line).toContain(`✗ pack-read-issuer  its ${field} takes longer than 100 ms on an answer such as `);
    expect(line).toMatch(probe);
  }, 30_000);

  test('the check a learner runs says the same pattern is too slow', async () => {
    const { pack } = packOf(readIssuerWith([{ pattern: '^(a|a)*$', why: 'w' }]));
    const result = await runCli(['ex', '--pack', pack, 'check', 'pack-read-issuer', `${'a'.repeat(60)}!`, '--json'], { env: home() });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).checks[0].why).toMatch(/^the check took too long \(over 100 ms\) to say why: tell your teacher/);
  }, 20_000);

  test('the example pack still checks out', async () => {
    const selftest = await runCli(['ex', '--pack', 'lessons/example-pack', 'selftest'], { env: home() });
    expect(selftest.code).toBe(0);
  }, 30_000);
});

describe('check.mistakes is for answer checks only', () => {
  const otherKinds: Array<[string, Record<string, unknown>]> = [
    ['choice', CHOOSE_STORAGE],
    ['token-rules', MAKE_TOKEN],
    ['pkce-pair', { ...MAKE_TOKEN, id: 'pack-pkce', check: { kind: 'pkce-pair', verifier: 'v' } }],
  ];
  const values: Array<[string, unknown]> = [['5', 5], ['"abc"', 'abc'], ['{map: 1}', { map: 1 }], ['[null]', [null]], ['null', null], ['a well-formed list', [{ pattern: 'x', why: 'w' }]], ['an invalid list', [{ pattern: '(', why: 5 }]]];
  test.each(otherKinds.flatMap(([kind, exercise]) => values.map(([name, mistakes]) => [kind, name, { ...exercise, check: { ...(exercise.check as object), mistakes } }] as const)))(
    'on a %s check, %s is refused when the pack loads: exit 2, naming the file and check.mistakes', async (kind, _name, exercise) => {
      const { pack, file } = packOf(exercise);
      const result = await runCli(['ex', '--pack', pack, 'list'], { env: home() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`${file}: "check.mistakes": only an answer check lists known mistakes; a ${kind} check has none (remove the field)`);
      expect(result.stderr).not.toMatch(/unexpected|bug/i);
    });

  test.each([
    ['5', 5, '"check.mistakes": must list known wrong answers'],
    ['{map: 1}', { map: 1 }, '"check.mistakes": must list known wrong answers'],
    ['[null]', [null], '"check.mistakes[0]": must be an object with "pattern" and "why"'],
    ['a why that is a number', [{ pattern: 'x', why: 5 }], '"check.mistakes[0].why": must say in words why such an answer is wrong'],
  ])('on an answer check, %s is refused: exit 2', async (_name, mistakes, message) => {
    const { pack, file } = packOf(readIssuerWith(mistakes));
    const result = await runCli(['ex', '--pack', pack, 'list'], { env: home() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file}: ${message}`);
  });
});

describe('the pattern budget (pattern-match.ts)', () => {
  test('one pattern past the 100 ms limit is too slow; past what is left of the budget, the budget is spent', () => {
    expect(new PatternBudget().limitMs).toBe(CHECK_PATTERNS_TIME_BUDGET_MS);
    const budget = new PatternBudget(PATTERN_TIME_LIMIT_MS + 50);
    expect(matchPattern('^(a|a)*$', `${'a'.repeat(40)}!`, budget)).toBe('too-slow');
    expect(budget.remainingMs).toBeLessThan(60);
    expect(matchPattern('^(a|a)*$', `${'a'.repeat(40)}!`, budget)).toBe('over-budget');
    expect(budget.remainingMs).toBeLessThanOrEqual(0);
    expect(matchPattern('^a', 'a', budget)).toBe('over-budget');
    expect(matchPattern('^a', 'a', new PatternBudget())).toBe('match');
  });

  test('a round that stalls is run once more with a fresh budget, and the second round stands', () => {
    const budgets: PatternBudget[] = [];
    const outcomes = ['over-budget', 'no-match'];
    expect(checkInTwoRounds((budget) => (budgets.push(budget), outcomes[budgets.length - 1]), (outcome) => outcome === 'over-budget')).toBe('no-match');
    expect(budgets).toHaveLength(2);
    expect(budgets[0]).not.toBe(budgets[1]);
    let rounds = 0;
    expect(checkInTwoRounds(() => (rounds++, 'match'), (outcome) => outcome === 'over-budget')).toBe('match');
    expect(rounds).toBe(1);
  });
});
