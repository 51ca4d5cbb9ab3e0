// The check kinds: each compares what the learner sent with what the exercise asks, and says
// what it checked, with which input, what it expected and what it got.

import { discoverIssuer } from '../jwt/remote-keys.js';
import { decodeToken } from '../jwt/decode.js';
import { secretKey } from '../jwt/keys.js';
import { assessSecret, MIN_SECRET_BITS, type SecretAssessment } from '../jwt/secret-strength.js';
import { verifyToken } from '../jwt/verify.js';
import { extractToken } from '../jwt/pasted-input.js';
import { s256Challenge } from '../provider/pkce.js';
import { fillTemplate, type Material } from './material.js';
import { MAX_PATTERN_ANSWER_LENGTH, PATTERN_TIME_LIMIT_MS, matchPattern } from './pattern-match.js';
import type { Exercise } from './exercise-schema.js';
import { isCorrect } from './runner.js';

export interface CheckLine {
  label: string;
  expected: string;
  got: string;
  ok: boolean;
  /** Why what was got is wrong, in words, when the check knows (a known mistake, a weak secret). */
  why?: string;
}

export interface CheckResult {
  passed: boolean;
  /** What the learner sent, as checked (tokens shortened by the caller if needed). */
  input: string[];
  lines: CheckLine[];
  /** The check itself is broken: its pattern ran past the time limit on this input. */
  checkTooSlow?: true;
}

export interface CheckContext {
  material: Material;
  /** The issuer of the provider `exercises start` runs, when there is one. */
  providerIssuer?: string;
  now: number;
}

const LETTERS = 'abcdefghij';

function normalise(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Decodes a submitted token for the rule checks; a failure becomes the one line the learner sees. */
function decodeSubmitted(token: string, now: number, label: string): { header: Record<string, unknown>; claims: Record<string, unknown> } | CheckLine {
  try {
    const decoded = decodeToken(token, now);
    if (decoded.type === 'JWE') throw new Error('an encrypted JWE, not a signed JWT');
    return { header: decoded.header, claims: typeof decoded.payload === 'object' && decoded.payload ? decoded.payload : {} };
  } catch (error) {
    return { label, expected: 'a compact JWT', got: (error as Error).message, ok: false };
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

export async function runCheck(exercise: Exercise, answers: string[], context: CheckContext): Promise<CheckResult> {
  const check = exercise.check;
  const values: Record<string, string> = { ...context.material };
  answers.forEach((answer, index) => (values[`answer.${index + 1}`] = answer));
  const first = answers[0]?.trim() ?? '';
  const result = (lines: CheckLine[]): CheckResult => ({ passed: lines.length > 0 && lines.every((line) => line.ok), input: answers, lines });

  switch (check.kind) {
    case 'answer': {
      const tooSlow = (line: CheckLine): CheckResult => ({ ...result([line]), checkTooSlow: true });
      let line: CheckLine;
      if (check.pattern) {
        const expected = `matches ${check.pattern}`;
        if (first.length > MAX_PATTERN_ANSWER_LENGTH) return result([{ label: 'answer', expected: `${expected}, in at most ${MAX_PATTERN_ANSWER_LENGTH} characters`, got: `${first.length} characters`, ok: false }]);
        const outcome = matchPattern(check.pattern, first);
        if (outcome === 'too-slow') return tooSlow({ label: 'answer', expected, got: `the check took too long (over ${PATTERN_TIME_LIMIT_MS} ms): tell your teacher, the exercise's pattern needs fixing`, ok: false });
        line = { label: 'answer', expected, got: first || '(nothing)', ok: outcome === 'match' };
      } else {
        const expected = fillTemplate(check.expected!, values);
        line = { label: 'answer', expected, got: first || '(nothing)', ok: isCorrect({ type: 'question', kind: 'value', prompt: '', answerFrom: '', explanation: '' }, first, expected) };
      }
      if (line.ok || !check.mistakes || first === '' || first.length > MAX_PATTERN_ANSWER_LENGTH) return result([line]);
      // A wrong answer the exercise knows: say why it is wrong, in words.
      for (const mistake of check.mistakes) {
        const outcome = matchPattern(mistake.pattern, first);
        if (outcome === 'too-slow') return tooSlow({ ...line, why: `the check took too long (over ${PATTERN_TIME_LIMIT_MS} ms) to say why: tell your teacher, a pattern in the exercise's check.mistakes needs fixing` });
        if (outcome === 'match') return result([{ ...line, why: fillTemplate(mistake.why, values) }]);
      }
      return result([line]);
    }
    case 'choice': {
      const choices = exercise.choices!;
      const index = /^[a-j]$/i.test(first) ? LETTERS.indexOf(first.toLowerCase()) : /^\d+$/.test(first) ? Number(first) - 1 : choices.findIndex((choice) => normalise(choice) === normalise(first));
      const gotText = index >= 0 && index < choices.length ? `(${LETTERS[index]}) ${choices[index]}` : first || '(nothing)';
      return result([{ label: 'choice', expected: `(${LETTERS[check.answer]}) ${choices[check.answer]}`, got: gotText, ok: index === check.answer }]);
    }
    case 'pkce-pair': {
      const verifier = fillTemplate(check.verifier, values);
      const expected = s256Challenge(verifier);
      return result([{ label: `code_challenge for the verifier ${verifier}`, expected, got: first || '(nothing)', ok: first === expected }]);
    }
    case 'token-rules': {
      let token: string;
      try {
        token = extractToken(first);
      } catch {
        return result([{ label: 'a token', expected: 'a compact JWT', got: first || '(nothing)', ok: false }]);
      }
      const secret = fillTemplate(check.secret, values);
      const lines: CheckLine[] = [];
      const decoded = decodeSubmitted(token, context.now, 'a token');
      if ('ok' in decoded) return result([decoded]);
      const { header, claims } = decoded;
      lines.push({ label: 'alg', expected: check.alg, got: String(header.alg), ok: header.alg === check.alg });
      if (check.minSecretBytes !== undefined) {
        const bytes = Buffer.byteLength(secret);
        lines.push({ label: 'secret length', expected: `at least ${check.minSecretBytes} bytes`, got: `${bytes} bytes`, ok: bytes >= check.minSecretBytes });
      }
      if (check.requireRandomSecret) lines.push(secretStrengthLine(assessSecret(secret)));
      const verified = await verifyToken(token, { keys: [secretKey(secret)], algorithms: [check.alg], clockTolerance: 0, now: context.now });
      const signature = verified.checks.find((line) => line.name === 'signature');
      lines.push({ label: 'signature', expected: `valid ${check.alg} with ${check.secret.startsWith('{{answer') ? 'your secret' : 'the stated secret'}`, got: signature?.ok ? 'valid' : signature?.detail ?? 'not checked', ok: Boolean(signature?.ok) });
      if (check.iss !== undefined) lines.push({ label: 'iss', expected: check.iss, got: String(claims.iss ?? '(missing)'), ok: claims.iss === check.iss });
      if (check.aud !== undefined) {
        const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
        lines.push({ label: 'aud', expected: check.aud, got: JSON.stringify(claims.aud ?? '(missing)'), ok: audiences.includes(check.aud) });
      }
      if (check.maxLifetime !== undefined) {
        const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
        const left = exp === undefined ? undefined : exp - context.now;
        lines.push({ label: 'exp', expected: `present, in the future, at most ${check.maxLifetime / 60} minutes away`, got: left === undefined ? '(missing: the token never expires)' : left <= 0 ? 'already expired' : `${Math.round(left / 60)} minutes away`, ok: left !== undefined && left > 0 && left <= check.maxLifetime });
      }
      for (const [name, value] of Object.entries(check.claims ?? {})) {
        // Only the token's own claims: a rule for "constructor" must not find Object.prototype's.
        const got = Object.hasOwn(claims, name) ? claims[name] : undefined;
        lines.push({ label: `claim ${name}`, expected: JSON.stringify(value), got: got === undefined ? '(missing)' : JSON.stringify(got), ok: got !== undefined && JSON.stringify(got) === JSON.stringify(value) });
      }
      return result(lines);
    }
    case 'provider-token': {
      if (!context.providerIssuer) {
        return result([{ label: 'the provider', expected: 'running (start it with: jwt-vs-oauth exercises start ' + exercise.id + ')', got: 'not started', ok: false }]);
      }
      let token: string;
      try {
        token = extractToken(first);
      } catch {
        return result([{ label: 'an access token', expected: 'a compact JWT', got: first || '(nothing)', ok: false }]);
      }
      let keys;
      try {
        keys = (await discoverIssuer(context.providerIssuer, 3000)).keys;
      } catch (error) {
        return result([{ label: 'the provider', expected: `answering at ${context.providerIssuer}`, got: (error as Error).message, ok: false }]);
      }
      const decoded = decodeSubmitted(token, context.now, 'an access token');
      if ('ok' in decoded) return result([decoded]);
      const { header, claims } = decoded;
      const verified = await verifyToken(token, { keys, issuer: context.providerIssuer, audience: [`${context.providerIssuer}/userinfo`], clockTolerance: 0, now: context.now });
      const scopes = String(claims.scope ?? '').split(' ');
      return result([
        { label: 'signed by the provider', expected: `a valid signature from ${context.providerIssuer}/jwks`, got: verified.checks.find((line) => line.name === 'signature')?.ok ? 'valid' : verified.verdict, ok: Boolean(verified.checks.find((line) => line.name === 'signature')?.ok) },
        { label: 'typ', expected: 'at+jwt (an access token, not an ID token)', got: String(header.typ ?? '(missing)'), ok: header.typ === 'at+jwt' },
        { label: 'iss', expected: context.providerIssuer, got: String(claims.iss ?? '(missing)'), ok: claims.iss === context.providerIssuer },
        { label: 'still valid', expected: 'not expired', got: verified.checks.find((line) => line.name === 'exp')?.detail ?? '', ok: Boolean(verified.checks.find((line) => line.name === 'exp')?.ok) },
        { label: 'scope', expected: `includes ${check.scope}`, got: String(claims.scope ?? '(missing)'), ok: scopes.includes(check.scope) },
      ]);
    }
  }
}
