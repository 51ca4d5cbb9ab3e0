// The check kinds: each compares what the learner sent with what the exercise asks, and says
// what it checked, with which input, and, when something is wrong, which rule failed and why in
// words. A failed check never shows the expected value: `expected` holds the rule ("the token's
// subject", "BASE64URL(SHA-256(ASCII(code_verifier)))"), or a value the task itself states (a
// token's required aud), so one wrong try does not solve the exercise.

import { createHash } from 'node:crypto';
import { discoverIssuer } from '../jwt/remote-keys.js';
import { decodeToken } from '../jwt/decode.js';
import { secretKey } from '../jwt/keys.js';
import { assessSecret, MIN_SECRET_BITS, type SecretAssessment } from '../jwt/secret-strength.js';
import { verifyToken } from '../jwt/verify.js';
import { extractToken } from '../jwt/pasted-input.js';
import { s256Challenge } from '../provider/pkce.js';
import { fillTemplate, type Material } from './material.js';
import { CHECK_PATTERNS_TIME_BUDGET_MS, MAX_PATTERN_ANSWER_LENGTH, PATTERN_TIME_LIMIT_MS, checkInTwoRounds, matchPattern, type PatternBudget, type PatternOutcome } from './pattern-match.js';
import type { Check, Exercise } from './exercise-schema.js';
import { isCorrect } from './runner.js';

export interface CheckLine {
  label: string;
  /** The rule, in words or as the task states it; never a value the learner is to find. */
  expected: string;
  got: string;
  ok: boolean;
  /** Why what was got is wrong, in words: set on every failed line. */
  why?: string;
}

export interface CheckResult {
  passed: boolean;
  /** What the learner sent, as checked (tokens shortened by the caller if needed). */
  input: string[];
  lines: CheckLine[];
  /** The check itself is broken: its patterns ran out of time on this input. */
  checkTooSlow?: PatternStall;
}

/** A pattern that ran past its own time limit ('too-slow'), or the pattern at which the check's patterns together ran past their budget ('over-budget'). */
export interface PatternStall {
  field: string;
  outcome: 'too-slow' | 'over-budget';
}

export interface CheckContext {
  material: Material;
  /** The issuer of the provider `exercises start` runs, when there is one. */
  providerIssuer?: string;
  now: number;
}

export const LETTERS = 'abcdefghij';

function normalise(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** How a choice may be given, for messages: "a letter (a to c), its number (1 to 3), or the choice's text". */
export function choiceForms(choices: string[]): string {
  return `a letter (a to ${LETTERS[choices.length - 1]}), its number (1 to ${choices.length}), or the choice's text`;
}

/**
 * The choice a learner means, or undefined: a letter or number as the task lists them, bare or
 * marked (b, B, 2, (b), b), b.), the choice's text, or the whole line as shown ("(b) The text").
 */
export function choiceIndex(choices: string[], given: string): number | undefined {
  const text = normalise(given).replace(/^["'](.*)["']$/, '$1');
  const position = (marker: string) => {
    const index = /^\d+$/.test(marker) ? Number(marker) - 1 : LETTERS.indexOf(marker);
    return index >= 0 && index < choices.length ? index : undefined;
  };
  const marker = /^\(?([a-j]|\d{1,2})\)?\.?$/.exec(text);
  if (marker) return position(marker[1]!);
  const byText = choices.findIndex((choice) => normalise(choice) === text);
  if (byText >= 0) return byText;
  // "(b) An HttpOnly… cookie", copied from the task: the letter and the text must agree.
  const line = /^\(?([a-j]|\d{1,2})[).]\s*(.+)$/.exec(text);
  const index = line ? position(line[1]!) : undefined;
  return index !== undefined && normalise(choices[index]!) === line![2] ? index : undefined;
}

/** Why a code_challenge is not the verifier's, in words, from the usual slips; never the right value. */
function pkceMistake(verifier: string, sent: string): string {
  if (sent === '') return 'no code_challenge was given';
  const hash = createHash('sha256').update(verifier, 'ascii').digest();
  if (sent === verifier) return 'that is the verifier itself (the plain method); S256 sends the verifier\'s SHA-256 hash, base64url-encoded';
  if (sent.toLowerCase() === hash.toString('hex')) return 'that is the hash in hex: base64url-encode the 32 bytes of the hash instead (openssl dgst -sha256 -binary gives the bytes)';
  if (sent === hash.toString('base64')) return 'that is base64, not base64url: write - for +, _ for /, and drop the = padding (RFC 7636 Appendix A)';
  if (sent === s256Challenge(`${verifier}\n`)) return 'that is the hash of the verifier followed by a newline: hash only its characters (printf %s, or echo -n)';
  if (/[=+/]/.test(sent)) return 'a code_challenge is base64url without padding: no "=", and - and _ where base64 has + and / (RFC 7636 Appendix A)';
  if (sent.length !== 43) return `an S256 code_challenge is 43 characters (the 32 bytes of a SHA-256 hash in base64url); that is ${sent.length}`;
  return 'the challenge does not match the verifier: did you hash the ASCII bytes of the verifier exactly as shown, and base64url-encode the hash without padding?';
}

/** A word a shell split off a pasted "Authorization: Bearer <token>": it belongs to the next word. */
const TOKEN_PREFIX_WORD = /^(authorization:|bearer|dpop)$/i;

/**
 * The learner's words as the exercise's answers: for an exercise that takes one answer, every
 * word (a choice's text or "Bearer <token>" typed without quotes); else a split-off "Bearer" is
 * joined to the token. Returns the answers, or what is missing or too many, by name.
 */
export function gatherAnswers(exercise: Exercise, words: string[]): { answers: string[] } | { missing: string[] } | { tooMany: number } {
  const names = exercise.answerNames;
  const answers = names.length === 1 && words.length > 1 ? [words.join(' ')] : [...words];
  while (answers.length > names.length && TOKEN_PREFIX_WORD.test(answers[0]!)) answers.splice(0, 2, `${answers[0]} ${answers[1]}`);
  if (answers.length > names.length) return { tooMany: answers.length };
  // A blank answer is a missing one: "$SECRET" with SECRET unset is not a guess to grade.
  const missing = names.filter((_name, index) => (answers[index] ?? '').trim() === '');
  return missing.length ? { missing } : { answers };
}

/**
 * The token a learner sent, in any form the workbench takes (Bearer, an Authorization line, a URL,
 * a JSON token response, stray whitespace), decoded for the rule checks; a failure becomes the
 * one line the learner sees.
 */
function submittedToken(sent: string, now: number, label: string, prefer?: 'access_token'): { token: string; header: Record<string, unknown>; claims: Record<string, unknown> } | CheckLine {
  const line = { label, expected: 'a signed JWT: three base64url parts joined by dots', ok: false as const };
  if (sent === '') return { ...line, got: '(nothing)', why: 'no token was given' };
  try {
    const token = extractToken(sent, { prefer });
    const decoded = decodeToken(token, now);
    if (decoded.type === 'JWE') throw new Error('an encrypted JWE, not a signed JWT');
    return { token, header: decoded.header, claims: typeof decoded.payload === 'object' && decoded.payload ? decoded.payload : {} };
  } catch (error) {
    return { ...line, got: sent, why: `that is not a token the check can read: ${(error as Error).message}` };
  }
}

const MAKE_ONE = 'use 32 random bytes: openssl rand -base64 32';

/** Length is not enough (RFC 8725 §3.5): the secret must look random by assessSecret's estimate. */
function secretStrengthLine(assessment: SecretAssessment): CheckLine {
  const bits = `about ${assessment.estimatedBits} bits by our estimate`;
  // A phrase that scores above the bar is still one a person chose: the exercise asks for a random one.
  const acceptable = !assessment.weak && !assessment.humanMade;
  const line = { label: 'secret strength', expected: `random: at least ${MIN_SECRET_BITS} bits by our estimate (RFC 8725 §3.5)`, got: assessment.reason ?? bits, ok: acceptable };
  if (acceptable) return line;
  const why = assessment.famous
    ? `that secret is ${assessment.reason}: the first one an attacker tries; ${MAKE_ONE}`
    : assessment.humanMade
      ? `that secret looks human-made: ${bits}, and an attacker guesses such secrets offline from one token; ${MAKE_ONE}`
      : `that secret holds too little randomness: ${bits}, under ${MIN_SECRET_BITS}; ${MAKE_ONE}`;
  return { ...line, why };
}

const isTooSlow = (outcome: PatternOutcome): outcome is PatternStall['outcome'] => outcome === 'too-slow' || outcome === 'over-budget';
/** Which time bound a pattern ran past, for the learner's message. */
const overLimit = (outcome: PatternStall['outcome']) => (outcome === 'too-slow' ? `over ${PATTERN_TIME_LIMIT_MS} ms` : `over ${CHECK_PATTERNS_TIME_BUDGET_MS} ms for all its patterns`);

/** An answer check's line: its pattern (or expected value), then its known mistakes, all on one time budget. */
function answerCheck(exercise: Exercise, check: Extract<Check, { kind: 'answer' }>, first: string, values: Record<string, string>, budget: PatternBudget): { lines: CheckLine[]; stall?: PatternStall } {
  const inWords = check.expectedInWords ?? 'the value the task asks for';
  const stalled = (line: CheckLine, field: string, outcome: PatternStall['outcome']) => ({ lines: [line], stall: { field, outcome } });
  if (first.length > MAX_PATTERN_ANSWER_LENGTH) return { lines: [{ label: 'answer', expected: `${inWords}, in at most ${MAX_PATTERN_ANSWER_LENGTH} characters`, got: `${first.length} characters`, ok: false, why: 'that is far longer than the answer' }] };
  let ok: boolean;
  if (check.pattern) {
    const outcome = matchPattern(check.pattern, first, budget);
    if (isTooSlow(outcome)) return stalled({ label: 'answer', expected: inWords, got: `the check took too long (${overLimit(outcome)}): tell your teacher, the exercise's pattern needs fixing`, ok: false }, 'check.pattern', outcome);
    ok = outcome === 'match';
  } else {
    ok = isCorrect({ type: 'question', kind: 'value', prompt: '', answerFrom: '', explanation: '' }, first, fillTemplate(check.expected!, values));
  }
  const line: CheckLine = { label: 'answer', expected: inWords, got: first || '(nothing)', ok };
  if (ok) return { lines: [line] };
  if (first === '') return { lines: [{ ...line, why: 'no answer was given' }] };
  // A wrong answer the exercise knows: say why it is wrong, in words.
  for (const [index, mistake] of (check.mistakes ?? []).entries()) {
    const outcome = matchPattern(mistake.pattern, first, budget);
    if (isTooSlow(outcome)) {
      const fix = outcome === 'too-slow' ? 'a pattern in the exercise\'s check.mistakes needs fixing' : 'the patterns in the exercise\'s check.mistakes need fixing';
      return stalled({ ...line, why: `the check took too long (${overLimit(outcome)}) to say why: tell your teacher, ${fix}` }, `check.mistakes[${index}].pattern`, outcome);
    }
    if (outcome === 'match') return { lines: [{ ...line, why: fillTemplate(mistake.why, values) }] };
  }
  // A find-the-flaw answer outside the names the task lists is a different mistake from a wrong pick.
  const pool = exercise.material?.pool;
  if (pool && !pool.includes(normalise(first))) return { lines: [{ ...line, why: 'that is not one of the flaw names the task lists: send one of them, as written there' }] };
  return { lines: [{ ...line, why: `that is not ${inWords}` }] };
}

export async function runCheck(exercise: Exercise, answers: string[], context: CheckContext): Promise<CheckResult> {
  const check = exercise.check;
  const values: Record<string, string> = { ...context.material };
  answers.forEach((answer, index) => (values[`answer.${index + 1}`] = answer));
  const first = answers[0]?.trim() ?? '';
  const result = (lines: CheckLine[]): CheckResult => ({ passed: lines.length > 0 && lines.every((line) => line.ok), input: answers, lines });

  switch (check.kind) {
    case 'answer': {
      // All the check's patterns share one budget, so many patterns each under the limit cannot add up to seconds.
      const { lines, stall } = checkInTwoRounds((budget) => answerCheck(exercise, check, first, values, budget), (outcome) => outcome.stall !== undefined);
      return { ...result(lines), ...(stall && { checkTooSlow: stall }) };
    }
    case 'choice': {
      const choices = exercise.choices!;
      const index = choiceIndex(choices, first);
      const line = { label: 'choice', expected: 'the choice that fits the situation best', got: index === undefined ? first || '(nothing)' : `(${LETTERS[index]}) ${choices[index]}`, ok: index === check.answer };
      if (line.ok) return result([line]);
      return result([{ ...line, why: index === undefined ? `that is not one of the choices: answer with ${choiceForms(choices)}` : `(${LETTERS[index]}) does not fit this situation as well as another choice: reread the task and ask what each choice is for` }]);
    }
    case 'pkce-pair': {
      const verifier = fillTemplate(check.verifier, values);
      const ok = first === s256Challenge(verifier);
      const line = { label: `code_challenge for the verifier ${verifier}`, expected: 'BASE64URL(SHA-256(ASCII(code_verifier))): 43 characters, no padding (RFC 7636 §4.2)', got: first || '(nothing)', ok };
      return result([ok ? line : { ...line, why: pkceMistake(verifier, first) }]);
    }
    case 'token-rules': {
      const decoded = submittedToken(first, context.now, 'a token');
      if ('ok' in decoded) return result([decoded]);
      const { token, header, claims } = decoded;
      const secret = fillTemplate(check.secret, values);
      const yours = check.secret.startsWith('{{answer');
      const lines: CheckLine[] = [];
      const add = (line: CheckLine, why: string) => lines.push(line.ok ? line : { ...line, why });
      add({ label: 'alg', expected: check.alg, got: String(header.alg), ok: header.alg === check.alg }, 'the token\'s header names another algorithm than the one the task asks for');
      if (check.minSecretBytes !== undefined) {
        const bytes = Buffer.byteLength(secret);
        add({ label: 'secret length', expected: `at least ${check.minSecretBytes} bytes`, got: `${bytes} bytes`, ok: bytes >= check.minSecretBytes }, `the secret is shorter than ${check.minSecretBytes} bytes, the length of the hash (RFC 7518 §3.2)`);
      }
      if (check.requireRandomSecret) lines.push(secretStrengthLine(assessSecret(secret)));
      const verified = await verifyToken(token, { keys: [secretKey(secret)], algorithms: [check.alg], clockTolerance: 0, now: context.now });
      const signature = verified.checks.find((line) => line.name === 'signature');
      add({ label: 'signature', expected: `valid ${check.alg} with ${yours ? 'your secret' : 'the stated secret'}`, got: signature?.ok ? 'valid' : signature?.detail ?? 'not checked', ok: Boolean(signature?.ok) },
        yours ? 'the token does not verify with the secret you sent: sign it with exactly that secret, and send it unchanged' : 'the token does not verify with the secret the task states: sign it with exactly that secret (copy it whole), and send the token unchanged');
      if (check.iss !== undefined) add({ label: 'iss', expected: check.iss, got: String(claims.iss ?? '(missing)'), ok: claims.iss === check.iss }, claims.iss === undefined ? 'the token has no iss claim' : 'the token\'s iss is not the issuer the task names (compared exactly)');
      if (check.aud !== undefined) {
        const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
        add({ label: 'aud', expected: check.aud, got: JSON.stringify(claims.aud ?? '(missing)'), ok: audiences.includes(check.aud) }, claims.aud === undefined ? 'the token has no aud claim' : 'the token\'s aud does not name the audience the task asks for');
      }
      if (check.maxLifetime !== undefined) {
        const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
        const left = exp === undefined ? undefined : exp - context.now;
        add({ label: 'exp', expected: `present, in the future, at most ${check.maxLifetime / 60} minutes away`, got: left === undefined ? '(missing: the token never expires)' : left <= 0 ? 'already expired' : `${Math.round(left / 60)} minutes away`, ok: left !== undefined && left > 0 && left <= check.maxLifetime },
          left === undefined ? 'without exp a leaked token works for ever' : left <= 0 ? 'the token has expired: mint a fresh one' : 'the token lives longer than the task allows');
      }
      for (const [name, value] of Object.entries(check.claims ?? {})) {
        // Only the token's own claims: a rule for "constructor" must not find Object.prototype's.
        const got = Object.hasOwn(claims, name) ? claims[name] : undefined;
        add({ label: `claim ${name}`, expected: JSON.stringify(value), got: got === undefined ? '(missing)' : JSON.stringify(got), ok: got !== undefined && JSON.stringify(got) === JSON.stringify(value) }, got === undefined ? `the token has no ${name} claim` : `the token's ${name} is not the value the task asks for (compared exactly, as JSON)`);
      }
      return result(lines);
    }
    case 'provider-token': {
      if (!context.providerIssuer) {
        return result([{ label: 'the provider', expected: 'running (start it with: jwt-vs-oauth exercises start ' + exercise.id + ')', got: 'not started', ok: false, why: 'the check asks the provider for its keys, so Mock Google must be running: start it in another terminal' }]);
      }
      const decoded = submittedToken(first, context.now, 'an access token', 'access_token');
      if ('ok' in decoded) return result([decoded]);
      const { token, header, claims } = decoded;
      let keys;
      try {
        keys = (await discoverIssuer(context.providerIssuer, 3000)).keys;
      } catch (error) {
        return result([{ label: 'the provider', expected: `answering at ${context.providerIssuer}`, got: (error as Error).message, ok: false, why: 'Mock Google did not answer: is exercises start still running?' }]);
      }
      const verified = await verifyToken(token, { keys, issuer: context.providerIssuer, audience: [`${context.providerIssuer}/userinfo`], clockTolerance: 0, now: context.now });
      const passed = (name: string) => verified.checks.find((line) => line.name === name);
      const scopes = String(claims.scope ?? '').split(' ');
      const lines: CheckLine[] = [
        { label: 'signed by the provider', expected: `a valid signature from ${context.providerIssuer}/jwks`, got: passed('signature')?.ok ? 'valid' : verified.verdict, ok: Boolean(passed('signature')?.ok), why: 'the signature does not verify with the keys of the Mock Google running now: get a token from it, and send it unchanged' },
        { label: 'typ', expected: 'at+jwt (an access token, not an ID token)', got: String(header.typ ?? '(missing)'), ok: header.typ === 'at+jwt', why: 'that is not an access token: send the access_token of the token response, not the id_token' },
        { label: 'iss', expected: context.providerIssuer, got: String(claims.iss ?? '(missing)'), ok: claims.iss === context.providerIssuer, why: 'the token was not issued by the Mock Google running now' },
        { label: 'still valid', expected: 'not expired', got: passed('exp')?.detail ?? '', ok: Boolean(passed('exp')?.ok), why: 'the token has expired: get a fresh one' },
        { label: 'scope', expected: `includes ${check.scope}`, got: String(claims.scope ?? '(missing)'), ok: scopes.includes(check.scope), why: 'the token does not carry the scope the task asks for: ask for it in the authorization request' },
      ];
      return result(lines.map(({ why, ...line }) => (line.ok ? line : { ...line, why })));
    }
  }
}
