// The check kinds: each compares what the learner sent with what the exercise asks, and says
// what it checked, with which input, and, when something is wrong, which rule failed and why in
// words. A failed check never shows the expected value: `expected` holds the rule ("the token's
// subject", "BASE64URL(SHA-256(ASCII(code_verifier)))"), or a value the task itself states (a
// token's required aud), so one wrong try does not solve the exercise.

import { createHmac, verify as verifySignature } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { InputError } from '../errors.js';
import { discoverIssuer } from '../jwt/remote-keys.js';
import { decodeToken } from '../jwt/decode.js';
import { secretKey } from '../jwt/keys.js';
import { assessSecret, MIN_SECRET_BITS, type SecretAssessment } from '../jwt/secret-strength.js';
import { verifyToken } from '../jwt/verify.js';
import { extractToken } from '../jwt/pasted-input.js';
import { isoFromSeconds } from '../jwt/time.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../jwt/untrusted-json.js';
import { codeVerifierHash, s256Challenge } from '../protocol/pkce.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { readPlainFileAtMost } from './safe-files.js';
import { CLASSROOM_SECRETS, type Material } from './material.js';
import { fillTemplate, wholeReference } from './template.js';
import { LETTERS, choiceForms, choiceIndex } from './choices.js';
import { PRACTICE_API } from './practice-api.js';
import { CHECK_PATTERNS_TIME_BUDGET_MS, MAX_PATTERN_ANSWER_LENGTH, PATTERN_TIME_LIMIT_MS, checkInTwoRounds, matchPattern, type PatternBudget, type PatternOutcome } from './pattern-match.js';
import { CHECK_KINDS, isHttpMethod, providerFlowOf, type Check, type Exercise } from './exercise-schema.js';
import { compareValue, normaliseAnswer, typedSeconds, typedValue } from './answers.js';
import { isObject } from './validation.js';

export interface CheckLine {
  label: string;
  /** The rule, in words or as the task states it; never a value the learner is to find. */
  expected: string;
  got: string;
  ok: boolean;
  /** Why what was got is wrong, in words: set on every failed line. */
  why?: string;
  /** On a passed line, what was accepted beside the exact value (a time typed for a NumericDate), as the tutorial says it. */
  note?: string;
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
  /**
   * Folders whose files everyone can read (the lessons folder, the pack in use): a secret printed
   * in one of them is no secret. Unset (as in selftest, whose reference secret is published by
   * nature), only the code's demo secrets count as printed.
   */
  publishedIn?: string[];
}

/** Why a code_challenge is not the verifier's, in words, from the usual slips; never the right value. */
function pkceMistake(verifier: string, sent: string): string {
  if (sent === '') return 'no code_challenge was given';
  const hash = codeVerifierHash(verifier);
  if (sent === verifier) return 'that is the verifier itself (the plain method); S256 sends the verifier\'s SHA-256 hash, base64url-encoded';
  if (sent.toLowerCase() === hash.toString('hex')) return 'that is the hash in hex: base64url-encode the 32 bytes of the hash instead (openssl dgst -sha256 -binary gives the bytes)';
  if (sent === hash.toString('base64')) return 'that is base64, not base64url: write - for +, _ for /, and drop the = padding (RFC 7636 Appendix A)';
  if (sent === s256Challenge(`${verifier}\n`)) return 'that is the hash of the verifier followed by a newline: hash only its characters (printf %s, or echo -n)';
  if (/[=+/]/.test(sent)) return 'a code_challenge is base64url without padding: no "=", and - and _ where base64 has + and / (RFC 7636 Appendix A)';
  if (sent.length !== 43) return `an S256 code_challenge is 43 characters (the 32 bytes of a SHA-256 hash in base64url); that is ${sent.length}`;
  return 'the challenge does not match the verifier: did you hash the ASCII bytes of the verifier exactly as shown, and base64url-encode the hash without padding?';
}

/** Words a shell split off a pasted "Authorization: Bearer <token>" or "DPoP: <proof>": they belong to the token after them. */
const TOKEN_PREFIX_WORDS = /^(?:(?:authorization:\s*)?(?:bearer|dpop)?|dpop:)$/i;

/**
 * The learner's words as the exercise's answers: for a choice, every word (its text typed
 * without quotes); for a token, a split-off "Bearer" or "Authorization: Bearer" joined to it.
 * Any other answer is one word: "a b" for a value is two answers, not one with a space. Returns
 * the answers, or what is missing or too many, by name.
 */
export function gatherAnswers(exercise: Exercise, words: string[]): { answers: string[] } | { missing: string[] } | { tooMany: number } {
  const names = exercise.answerNames;
  const mode = CHECK_KINDS[exercise.check.kind].words;
  const answers = mode === 'joined' && names.length === 1 && words.length > 1 ? [words.join(' ')] : [...words];
  if (mode === 'token') {
    while (answers.length > names.length && answers[0]!.trim() !== '' && TOKEN_PREFIX_WORDS.test(answers[0]!.trim())) answers.splice(0, 2, `${answers[0]} ${answers[1]}`);
  }
  if (answers.length > names.length) return { tooMany: answers.length };
  // A blank answer is a missing one: "$SECRET" with SECRET unset is not a guess to grade.
  const missing = names.filter((_name, index) => (answers[index] ?? '').trim() === '');
  return missing.length ? { missing } : { answers };
}

/**
 * The flaw name a learner means on a find-the-flaw exercise, as the task lists it (any case,
 * decode-style quotes dropped), or undefined when it is not one of them: then it is not a wrong
 * pick but not an answer at all.
 */
export function flawName(exercise: Exercise, given: string): string | undefined {
  const text = normaliseAnswer(given);
  return exercise.material?.pool?.find((flaw) => flaw === text);
}

/** Whether the exercise is a find-the-flaw one: its answer is one of the flaw names the task lists. */
export function takesFlawName(exercise: Exercise): boolean {
  return exercise.check.kind === 'answer' && exercise.material?.pool !== undefined;
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
    return { ...line, got: sent, why: `that is not a token the check can read: ${lowerFirst((error as Error).message)}` };
  }
}

/** A message's first letter in lower case, to follow a colon, unless it starts a name in capitals (JWE, JSON). */
const lowerFirst = (text: string) => (/^[A-Z][a-z ]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text);

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

/** The API a find-the-flaw token arrives at: material.ts makes every such token for it, and the tasks name it. */
const FLAW_TASK_API = 'food-api';

type TokenParts = { header: Record<string, unknown>; payload: Record<string, unknown>; parts: string[] };

/**
 * A token's header and payload as JSON, unverified, or why they cannot be read: not a three-part
 * JWS with JSON objects, or nested too deeply to handle (as decode refuses, src/jwt/untrusted-json.ts).
 */
function readPartsOrWhy(token: string | undefined): TokenParts | { unreadable: string; tooDeep?: true } {
  const parts = token?.split('.');
  const notAJwt = { unreadable: 'it is not three base64url parts holding JSON objects' };
  if (!parts || parts.length !== 3) return notAJwt;
  try {
    const [header, payload] = [0, 1].map((index) => JSON.parse(Buffer.from(parts[index]!, 'base64url').toString('utf8')) as unknown);
    if (!isObject(header) || !isObject(payload)) return notAJwt;
    const tooDeep = ([['header', header], ['payload', payload]] as const).find(([, part]) => jsonDepth(part) > MAX_JSON_DEPTH);
    if (tooDeep) return { unreadable: `its ${tooDeep[0]} nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep, which no real token does`, tooDeep: true };
    return { header, payload, parts };
  } catch {
    return notAJwt;
  }
}

/** A token's header and payload as JSON, unverified; undefined when readPartsOrWhy cannot read them. */
function readParts(token: string | undefined): TokenParts | undefined {
  const read = readPartsOrWhy(token);
  return 'unreadable' in read ? undefined : read;
}

/**
 * Why a flaw the learner named is not this token's flaw: what the token shows about that flaw,
 * true of this token and never naming the flaw it has. Undefined when the token does not say.
 */
function notThatFlaw(pick: string, material: Material, materialKind: string): string | undefined {
  const token = readParts(material.token);
  if (!token) return undefined;
  const { header, payload, parts } = token;
  const alg = String(header.alg);
  const issuerAlg = materialKind === 'flawed-token-rs256' ? 'RS256' : 'HS256';
  const input = Buffer.from(`${parts[0]}.${parts[1]}`);
  const hmacMatches = (secret: string) => createHmac('sha256', secret).update(input).digest('base64url') === parts[2];
  const signedByIssuer = alg === issuerAlg && (issuerAlg === 'RS256'
    ? material.issuerKey !== undefined && verifySignature('sha256', input, material.issuerKey, Buffer.from(parts[2]!, 'base64url'))
    : material.secret !== undefined && hmacMatches(material.secret));
  const exp = typeof payload.exp === 'number' ? payload.exp : undefined;
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  switch (pick) {
    case 'alg-none':
      return alg === 'none' ? undefined : `its header alg is ${alg}, not none: it is a signed token`;
    case 'expired':
      if (exp === undefined) return 'it has no exp, so there is no time for it to have passed';
      return exp > Number(material.now) ? `its exp (${isoFromSeconds(exp)}) is after the time the task gives, so it has not expired then` : undefined;
    case 'wrong-audience':
      return audiences.includes(FLAW_TASK_API) ? `its aud is ${FLAW_TASK_API}, the API named in the task` : undefined;
    case 'no-exp':
      return exp === undefined ? undefined : `it has an exp (${isoFromSeconds(exp)})`;
    case 'tampered':
      if (alg === 'none') return 'it carries no signature at all, so there is none that a change could have broken';
      if (signedByIssuer) return 'its signature matches its header and payload with the issuer\'s key: nothing was changed after signing';
      // Said without naming the algorithms: with two flaws to pick from, "HS256, not RS256" would give the other away.
      if (alg !== issuerAlg) return material.issuerKey !== undefined && hmacMatches(material.issuerKey) ? 'its header and payload are exactly what was signed: nothing in them was changed after signing' : undefined;
      if (alg === 'HS256' && hmacMatches('secret')) return 'its signature matches its header and payload as they stand, so they were not changed after signing: ask instead who could have signed them';
      return undefined;
    case 'key-confusion':
      if (alg !== 'HS256') return `its header alg is ${alg}: key confusion needs a token that asks for HS256, signed with the issuer's public key as the HMAC secret`;
      return material.issuerKey !== undefined && !hmacMatches(material.issuerKey) ? 'its HMAC signature does not match the issuer\'s public key used as the secret' : undefined;
    case 'weak-secret':
      if (alg === 'none') return 'it carries no signature, so no secret signed it';
      if (issuerAlg === 'HS256' && signedByIssuer) return 'its signature matches the issuer\'s classroom secret, 32 random bytes: not one an attacker guesses';
      if (alg === 'HS256' && !hmacMatches('secret')) return 'its signature does not match a guessable secret such as "secret"';
      return undefined;
    default:
      return undefined;
  }
}

/** Which claim a read-a-token exercise asks for, by the material name its expected value is. */
const CLAIM_OF_MATERIAL: Record<string, { part: 'header' | 'payload'; name: string }> = {
  sub: { part: 'payload', name: 'sub' },
  aud: { part: 'payload', name: 'aud' },
  iss: { part: 'payload', name: 'iss' },
  exp: { part: 'payload', name: 'exp' },
  expIso: { part: 'payload', name: 'exp' },
  alg: { part: 'header', name: 'alg' },
};

/**
 * Why an answer is not the claim a read-a-token exercise asks for, adding what the learner can
 * use: the claim it is instead ("that is the token's aud, not its sub"), or where to read the
 * right one. Undefined when the exercise does not ask for one of the token's claims.
 */
function notThatClaim(given: string, expectedTemplate: string | undefined, material: Material): string | undefined {
  const name = wholeReference(expectedTemplate ?? '');
  const target = name !== undefined && Object.hasOwn(CLAIM_OF_MATERIAL, name) ? CLAIM_OF_MATERIAL[name]! : undefined;
  const token = readParts(material.token);
  if (!target || !token) return undefined;
  const read = target.part === 'header' ? `read ${target.name} in its header` : `read its ${target.name} claim`;
  const value = typedValue(given);
  if (value === material.token) return `that is the whole token: decode it and send only its ${target.name}`;
  const seconds = typedSeconds(value);
  const fields = [...Object.entries(token.header).map(([field, content]) => ({ field, content, part: 'header' })), ...Object.entries(token.payload).map(([field, content]) => ({ field, content, part: 'payload' }))];
  const found = fields.find(({ field, content, part }) => {
    if (field === target.name && part === target.part) return false;
    if (typeof content === 'number') return content === seconds;
    return (Array.isArray(content) ? content : [content]).some((each) => typeof each === 'string' && normaliseAnswer(each) === normaliseAnswer(value));
  });
  const meaning: Record<string, string> = { iat: ' (when it was issued)', nbf: ' (when it starts to be valid)', exp: ' (when it expires)' };
  if (found) return `that is the token's ${found.field}${meaning[found.field] ?? ''}, not its ${target.name}: ${read}`;
  return `that is not the token's ${target.name}: decode the token and ${read}`;
}

/** An answer check's line: its pattern (or expected value), then its known mistakes, all on one time budget. */
function answerCheck(exercise: Exercise, check: Extract<Check, { kind: 'answer' }>, first: string, values: Record<string, string>, budget: PatternBudget): { lines: CheckLine[]; stall?: PatternStall } {
  const inWords = check.expectedInWords ?? 'the value the task asks for';
  const stalled = (line: CheckLine, field: string, outcome: PatternStall['outcome']) => ({ lines: [line], stall: { field, outcome } });
  if (first.length > MAX_PATTERN_ANSWER_LENGTH) return { lines: [{ label: 'answer', expected: `${inWords}, in at most ${MAX_PATTERN_ANSWER_LENGTH} characters`, got: `${first.length} characters`, ok: false, why: 'that is far longer than the answer' }] };
  // A flaw name is a name from the task's list, not a JWT value: any case of it is that name.
  const pool = exercise.material?.pool;
  const answer = (pool && flawName(exercise, first)) || first;
  // Patterns see the value as the tutorial and compareValue read it: decode's JSON quotes dropped.
  const value = typedValue(answer);
  let ok: boolean;
  let slip: string | undefined;
  let note: string | undefined;
  if (check.pattern) {
    const outcome = matchPattern(check.pattern, value, budget);
    if (isTooSlow(outcome)) return stalled({ label: 'answer', expected: inWords, got: `the check took too long (${overLimit(outcome)}): tell your teacher, the exercise's pattern needs fixing`, ok: false }, 'check.pattern', outcome);
    ok = outcome === 'match';
  } else {
    const verdict = compareValue(answer, fillTemplate(check.expected!, values));
    ok = verdict.ok;
    if (verdict.ok) note = verdict.note;
    else slip = verdict.why;
  }
  const line: CheckLine = { label: 'answer', expected: inWords, got: first || '(nothing)', ok };
  // A time typed for a NumericDate passes with the tutorial's note on what a verifier compares.
  if (ok) return { lines: [note ? { ...line, note } : line] };
  if (first === '') return { lines: [{ ...line, why: 'no answer was given' }] };
  // The case, the spacing, a time without a zone: right but for one known slip.
  if (slip) return { lines: [{ ...line, why: slip }] };
  // A wrong answer the exercise knows: say why it is wrong, in words.
  for (const [index, mistake] of (check.mistakes ?? []).entries()) {
    const outcome = matchPattern(mistake.pattern, value, budget);
    if (isTooSlow(outcome)) {
      const fix = outcome === 'too-slow' ? 'a pattern in the exercise\'s check.mistakes needs fixing' : 'the patterns in the exercise\'s check.mistakes need fixing';
      return stalled({ ...line, why: `the check took too long (${overLimit(outcome)}) to say why: tell your teacher, ${fix}` }, `check.mistakes[${index}].pattern`, outcome);
    }
    if (outcome === 'match') return { lines: [{ ...line, why: fillTemplate(mistake.why, values) }] };
  }
  if (pool) {
    // The CLI refuses a name outside the list before it gets here (exit 2, not an attempt).
    if (!pool.includes(answer)) return { lines: [{ ...line, why: 'that is not one of the flaw names the task lists: send one of them, as written there' }] };
    const why = notThatFlaw(answer, values, exercise.material!.kind);
    if (why) return { lines: [{ ...line, why }] };
  }
  return { lines: [{ ...line, why: notThatClaim(answer, check.expected, values) ?? `that is not ${inWords}` }] };
}

/** Where a secret is printed for everyone: one of the code's demo secrets, or a file of the published folders. */
function printedWhere(secret: string, folders: string[]): string | undefined {
  if (secret === PRACTICE_API.secret) return 'the practice API\'s demo secret, printed in the lessons';
  if ((Object.values(CLASSROOM_SECRETS) as string[]).includes(secret)) return 'a classroom demo secret, printed in the tasks';
  // As written in a JSON file too: a secret with a quote or backslash appears escaped there.
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  const MAX_FILES = 2000;
  const MAX_FILE_BYTES = 1024 * 1024;
  for (const folder of folders) {
    let seen = 0;
    const walk = (path: string, depth: number): string | undefined => {
      let entries;
      try {
        entries = readdirSync(path, { withFileTypes: true });
      } catch {
        return undefined;
      }
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = join(path, entry.name);
        if (entry.isDirectory() && depth < 4) {
          const found = walk(full, depth + 1);
          if (found) return found;
        } else if (entry.isFile() && seen++ < MAX_FILES) {
          try {
            // No link followed, no FIFO waited on, no more than the cap read whatever the size claims.
            const text = readPlainFileAtMost(full, MAX_FILE_BYTES);
            if (text === undefined) continue;
            if (forms.some((form) => text.includes(form))) return join(basename(folder), relative(folder, full));
          } catch {
            // A file that cannot be read prints nothing.
          }
        }
      }
      return undefined;
    };
    const found = walk(folder, 0);
    if (found) return `printed in ${found}`;
  }
  return undefined;
}

/** What every check kind reads: the exercise, the first answer (trimmed), the {{names}} its check fills (material, answer.N), and the context. */
interface CheckInput {
  exercise: Exercise;
  first: string;
  values: Record<string, string>;
  context: CheckContext;
}

/** A check kind's lines, and the pattern that ran out of time when one did. */
interface KindOutcome {
  lines: CheckLine[];
  stall?: PatternStall;
}

/** The function that checks one kind of check, given that kind's fields. */
type KindRunner<Kind extends Check['kind']> = (check: Extract<Check, { kind: Kind }>, input: CheckInput) => Promise<KindOutcome>;

/** A choice: the pick the learner means, and why it does not fit, as the exercise explains it. */
async function choiceCheck(check: Extract<Check, { kind: 'choice' }>, { exercise, first }: CheckInput): Promise<KindOutcome> {
  const choices = exercise.choices!;
  const index = choiceIndex(choices, first);
  const line = { label: 'choice', expected: 'the choice that fits the situation best', got: index === undefined ? first || '(nothing)' : `(${LETTERS[index]}) ${choices[index]}`, ok: index === check.answer };
  if (line.ok) return { lines: [line] };
  if (index === undefined) return { lines: [{ ...line, why: `that is not one of the choices: answer with ${choiceForms(choices)}` }] };
  // Why this pick does not fit, as the exercise explains it; never which one does.
  const because = exercise.choiceWhy?.[index];
  return { lines: [{ ...line, why: because ? `(${LETTERS[index]}) does not fit: ${because}` : `(${LETTERS[index]}) does not fit this situation as well as another choice: reread the task and ask what each choice is for` }] };
}

/** A code_challenge for the task's verifier, with the usual slips named. */
async function pkceCheck(check: Extract<Check, { kind: 'pkce-pair' }>, { first, values }: CheckInput): Promise<KindOutcome> {
  const verifier = fillTemplate(check.verifier, values);
  const ok = first === s256Challenge(verifier);
  const line = { label: `code_challenge for the verifier ${verifier}`, expected: 'BASE64URL(SHA-256(ASCII(code_verifier))): 43 characters, no padding (RFC 7636 §4.2)', got: first || '(nothing)', ok };
  return { lines: [ok ? line : { ...line, why: pkceMistake(verifier, first) }] };
}

/** Why `verify` refuses a token for a rule the exercise has no line of its own for, in words a learner acts on. */
const VERIFIER_RULE_WHY: Record<string, string> = {
  nbf: 'the token is not valid yet: its nbf (not before) is later than now, so a verifier rejects it; leave nbf out or set it to the time of minting',
  iat: 'the token says it was issued in the future: a verifier rejects an iat later than now; mint it with the clock as it is',
  crit: 'the token\'s header lists critical extensions (crit) that a verifier must understand, and it understands none, so it must reject the token (RFC 7515 §4.1.11): leave crit out',
  exp: 'the token has expired, or its exp is not a number of seconds: a verifier rejects it; mint a fresh one',
  typ: 'a verifier rejects the token\'s typ',
  jose: 'the jose library rejects the token as well: mint it with jwt-vs-oauth encode',
};

/**
 * The rules `verify` checked and the token broke, beyond those the exercise has lines for (the
 * algorithm, the key, the signature; exp when the exercise sets a lifetime): a token that verify
 * refuses never passes. Each line says what verify found and why in words.
 */
function verifierRefusals(checks: Array<{ name: string; ok: boolean; skipped?: boolean; detail: string }>, expHasItsLine: boolean): CheckLine[] {
  const covered = new Set(['algorithm', 'key', 'signature', ...(expHasItsLine ? ['exp'] : [])]);
  return checks.filter((line) => !line.ok && !line.skipped && !covered.has(line.name)).map((line) => ({
    label: line.name,
    expected: 'a token jwt-vs-oauth verify accepts',
    got: line.detail,
    ok: false,
    why: Object.hasOwn(VERIFIER_RULE_WHY, line.name) ? VERIFIER_RULE_WHY[line.name]! : `a verifier rejects the token: ${line.detail}`,
  }));
}

/** A token the learner made: its alg, secret, signature and the claims the task asks for. */
async function tokenRulesCheck(check: Extract<Check, { kind: 'token-rules' }>, { first, values, context }: CheckInput): Promise<KindOutcome> {
  const decoded = submittedToken(first, context.now, 'a token');
  if ('ok' in decoded) return { lines: [decoded] };
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
  if (check.requireRandomSecret) {
    const strength = secretStrengthLine(assessSecret(secret));
    lines.push(strength);
    // A random secret copied from a page everyone reads is no secret: only a random-looking one is looked up, so a short word is not "found" in the prose.
    if (strength.ok) {
      const where = printedWhere(secret, context.publishedIn ?? []);
      add({ label: 'secret is your own', expected: 'a secret printed nowhere', got: where ?? 'not printed in these lessons', ok: where === undefined }, 'that secret is printed in these lessons for everyone to read: make your own with openssl rand -base64 32');
    }
  }
  const verified = await verifyToken(token, { keys: [secretKey(secret)], algorithms: [check.alg], clockTolerance: 0, now: context.now });
  const signature = verified.checks.find((line) => line.name === 'signature');
  add({ label: 'signature', expected: `valid ${check.alg} with ${yours ? 'your secret' : 'the stated secret'}`, got: signature?.ok ? 'valid' : signature?.detail ?? 'not checked', ok: Boolean(signature?.ok) },
    yours ? 'the token does not verify with the secret you sent: sign it with exactly that secret, and send it unchanged' : 'the token does not verify with the secret the task states: sign it with exactly that secret (copy it whole), and send the token unchanged');
  lines.push(...verifierRefusals(verified.checks, check.maxLifetime !== undefined));
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
  return { lines };
}

/** Where a missing scope is asked for: the request that starts the flow the task names. */
function missingScopeWhy(check: Extract<Check, { kind: 'provider-token' }>): string {
  const where = { 'client-credentials': 'with scope in the client_credentials request to the token endpoint', device: 'with scope in the device authorization request (the POST to /device_authorization)', 'authorization-code': 'in the authorization request' }[providerFlowOf(check)];
  return `the token does not carry the scope the task asks for: ask for it ${where}`;
}

/**
 * The scope line: the scope the task asks for, and with onlyScope nothing beyond it (least
 * privilege, RFC 9700 §2.3): leaving scope out gets the provider's default (RFC 6749 §3.3), for
 * demo-app every scope registered to it.
 */
function scopeLine(check: Extract<Check, { kind: 'provider-token' }>, typ: unknown, scope: unknown): CheckLine {
  const scopes = String(scope ?? '').split(' ');
  const extra = scopes.filter((name) => name !== '' && name !== check.scope);
  const carried = scopes.includes(check.scope);
  const ok = carried && !(check.onlyScope && extra.length > 0);
  const why = !carried
    ? typ === 'at+jwt' ? missingScopeWhy(check) : typ === 'JWT' || typ === undefined ? 'an ID token carries no scope: send the access_token of the token response' : 'only an access token carries the scope the API checks: send the access_token of the token response'
    : `the token also carries ${extra.join(' and ')}, which the task does not need: ask only for what the service needs (scope=${check.scope}), so a leaked token can do less; a request that leaves scope out gets the provider's default, which may be more (RFC 9700 §2.3, RFC 6749 §3.3)`;
  return { label: 'scope', expected: check.onlyScope ? `${check.scope} and nothing more` : `includes ${check.scope}`, got: String(scope ?? '(missing)'), ok, why };
}

/**
 * The lines for who the token is for: the client it was issued to (its client_id claim, RFC 9068
 * §2.2), and, for the app's own token from client_credentials, a sub that is that client, no user.
 */
function clientLines(check: Extract<Check, { kind: 'provider-token' }>, claims: Record<string, unknown>): CheckLine[] {
  const lines: CheckLine[] = [];
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
  if (check.clientId !== undefined) {
    const why = clientId === undefined
      ? 'the token carries no client_id claim, which every access token from Mock Google has: get one from its token endpoint'
      : `this token was issued to ${clientId}, not to ${check.clientId}: get it as ${check.clientId}, the client the task names (client_id ${check.clientId} in every request to Mock Google)`;
    lines.push({ label: 'client_id', expected: `${check.clientId} (the client the task names)`, got: clientId ?? '(missing)', ok: clientId === check.clientId, why });
  }
  if (check.withoutUser) {
    const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
    const why = sub === undefined
      ? 'the token has no sub claim'
      : 'that token is for a user: its sub is a user\'s id, not the app\'s client_id; get one with grant_type=client_credentials, where the app asks for itself and no user signs in (RFC 6749 §4.4)';
    lines.push({ label: 'sub', expected: 'the client_id: the app acts for itself, with no user', got: sub ?? '(missing)', ok: sub !== undefined && sub === clientId, why });
  }
  return lines;
}

/** An access token from the Mock Google running now, with the scope the task asks for. */
async function providerTokenCheck(check: Extract<Check, { kind: 'provider-token' }>, { exercise, first, context }: CheckInput): Promise<KindOutcome> {
  // No provider to ask for its keys is not a wrong answer: exit 2, and the try is not counted.
  const start = `jwt-vs-oauth exercises start ${exercise.id}`;
  if (!context.providerIssuer) {
    throw new InputError('ERR_PROVIDER_NOT_RUNNING', `Mock Google is not running, so ${exercise.id} cannot be checked: the check asks it for its keys. This try was not counted.`, `Start it in another terminal and keep it running: ${start}`);
  }
  const decoded = submittedToken(first, context.now, 'an access token', 'access_token');
  if ('ok' in decoded) return { lines: [decoded] };
  const { token, header, claims } = decoded;
  let keys;
  try {
    keys = (await discoverIssuer(context.providerIssuer, 3000)).keys;
  } catch (error) {
    throw new InputError('ERR_PROVIDER_NOT_RUNNING', `Mock Google did not answer at ${context.providerIssuer} (${lowerFirst((error as Error).message)}), so ${exercise.id} cannot be checked. This try was not counted.`, `Is it still running? Start it again if not: ${start}`);
  }
  const verified = await verifyToken(token, { keys, issuer: context.providerIssuer, audience: [`${context.providerIssuer}/userinfo`], clockTolerance: 0, now: context.now });
  const passed = (name: string) => verified.checks.find((line) => line.name === name);
  const lines: CheckLine[] = [
    { label: 'signed by the provider', expected: `a valid signature from ${context.providerIssuer}/jwks`, got: passed('signature')?.ok ? 'valid' : verified.verdict, ok: Boolean(passed('signature')?.ok), why: 'the signature does not verify with the keys of the Mock Google running now: get a token from it, and send it unchanged' },
    { label: 'typ', expected: 'at+jwt (an access token, not an ID token)', got: String(header.typ ?? '(missing)'), ok: header.typ === 'at+jwt', why: 'that is not an access token: send the access_token of the token response, not the id_token' },
    { label: 'iss', expected: context.providerIssuer, got: String(claims.iss ?? '(missing)'), ok: claims.iss === context.providerIssuer, why: 'the token was not issued by the Mock Google running now' },
    ...clientLines(check, claims),
    { label: 'still valid', expected: 'not expired', got: passed('exp')?.detail ?? '', ok: Boolean(passed('exp')?.ok), why: 'the token has expired: get a fresh one' },
    scopeLine(check, header.typ, claims.scope),
  ];
  return { lines: lines.map(({ why, ...line }) => (line.ok ? line : { ...line, why })) };
}

/** Members only a private or symmetric JWK has: a proof's jwk must have none (RFC 9449 §4.3 point 7). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAKE_A_PROOF = 'make it with jwt-vs-oauth dpop --key <your key file> --htm <method> --htu <url>';

/**
 * Why an htu is not an http(s) URI as RFC 3986 writes one, or holds user information (RFC 9110
 * §4.2.4), in the learner's words: what a browser
 * forgives (a backslash, a tab, "https:host") a server refuses (RFC 9449 §4.3 point 9).
 */
function notAUriWhy(htu: string, hasUserinfo: (value: string) => boolean): string {
  if (hasUserinfo(htu)) return 'the proof\'s htu has an "@" before its host, a user name or password (even an empty one), which an http(s) URL must not hold (RFC 9110 §4.2.4): a server refuses the proof; copy the task\'s URL exactly into --htu';
  const what = /\\/.test(htu) ? 'it has a backslash (\\), and a URL is written with forward slashes (/)'
    : /[\x00-\x20\x7f]/.test(htu) ? 'it holds a space, a tab or another control character'
    : !/^https?:\/\//i.test(htu) ? 'it does not start with http:// or https:// and then the host'
    : /[^\x00-\x7f]/.test(htu) ? 'it holds a letter outside ASCII, which a URI writes %-escaped'
    : 'it holds a character a URI may not have, or a % not followed by two hex digits';
  return `the proof's htu is not written as a URL (RFC 3986): ${what}; a browser may read it anyway, but a server refuses the proof (§4.3 point 9); copy the task's URL exactly into --htu`;
}

/** A header value as the learner can read it: a string as it is, anything else as JSON. */
const shownValue = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** The curves a proof's key may be on, by kty (RFC 7518 §3.4 for EC, RFC 8037 §3.1 for OKP); RSA has none. */
const PROOF_KEY_CURVES: Readonly<Record<string, readonly string[] | undefined>> = { EC: ['P-256', 'P-384', 'P-521'], RSA: undefined, OKP: ['Ed25519'] };
/** The key each algorithm a proof may use signs with (RFC 7518 §3.1, RFC 8037 §3.1). */
const KEY_OF_ALG: Readonly<Record<string, string>> = { ES256: 'EC P-256', ES384: 'EC P-384', ES512: 'EC P-521', RS256: 'RSA', RS384: 'RSA', RS512: 'RSA', PS256: 'RSA', PS384: 'RSA', PS512: 'RSA', EdDSA: 'OKP Ed25519', Ed25519: 'OKP Ed25519' };
/** RFC 7518 §3.3: an RSA signing key has 2048 bits or more. */
const MIN_RSA_BITS = 2048;
const MAKE_A_KEY = 'make a key with jwt-vs-oauth mint --alg ES256 --save-key';

/**
 * What a public jwk is ("EC P-256", "RSA"), and why a proof cannot use it when it cannot: a kty
 * or curve no accepted algorithm signs with, an RSA key under 2048 bits, a key another than the
 * one the proof's (accepted) alg signs with. Said here, not as a signature that "does not verify".
 */
function publicKeyProblem(jwk: Record<string, unknown>, alg: string | undefined): { got: string; why?: string } {
  const kty = jwk.kty;
  if (typeof kty !== 'string' || !Object.hasOwn(PROOF_KEY_CURVES, kty)) {
    return { got: kty === undefined ? 'a key with no kty' : `a key of kty ${shownValue(kty)}`, why: `a proof's key is an EC, RSA or OKP public key, what the algorithms a server accepts sign with (RFC 7518 §6.1, RFC 8037 §2)${kty === undefined ? ', and this jwk names no kty' : `: ${shownValue(kty)} is none of them`}; ${MAKE_A_KEY}` };
  }
  const curves = PROOF_KEY_CURVES[kty];
  if (curves && !(typeof jwk.crv === 'string' && curves.includes(jwk.crv))) {
    const crv = jwk.crv === undefined ? 'no curve' : `curve ${shownValue(jwk.crv)}`;
    return { got: `a public ${kty} key on ${crv}`, why: `a proof with an ${kty} key is signed on ${curves.join(', ').replace(/, ([^,]+)$/, ' or $1')} (the curves the algorithms a server accepts use); this key is on ${crv}; ${MAKE_A_KEY}` };
  }
  const name = curves ? `${kty} ${jwk.crv as string}` : 'RSA';
  if (kty === 'RSA') {
    const bits = typeof jwk.n === 'string' ? Buffer.from(jwk.n, 'base64url').length * 8 : 0;
    const got = `a public RSA key of ${bits} bits`;
    if (bits < MIN_RSA_BITS) return { got, why: `an RSA key that signs has at least ${MIN_RSA_BITS} bits (RFC 7518 §3.3), and this one has ${bits}: a server refuses it however well it is signed; make a key of ${MIN_RSA_BITS} bits or more, or ${MAKE_A_KEY}` };
    return keyForAlg(got, name, alg);
  }
  return keyForAlg(`a public ${name} key`, name, alg);
}

/** The key line when the key is one a proof may use: it must be the key the alg signs with. */
function keyForAlg(got: string, name: string, alg: string | undefined): { got: string; why?: string } {
  const wanted = alg !== undefined && Object.hasOwn(KEY_OF_ALG, alg) ? KEY_OF_ALG[alg]! : undefined;
  if (wanted === undefined || wanted === name) return { got };
  return { got, why: `the header says alg ${alg}, which signs with an ${wanted} key, and the jwk is an ${name} key: the two must go together, or the signature cannot verify; ${MAKE_A_PROOF}` };
}

/** The proof's header lines: typ, an asymmetric alg, a public jwk; each failing one says why in words. */
function proofHeaderLines(header: Record<string, unknown>, algorithms: readonly string[], dpopType: string): CheckLine[] {
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  const jwk = isObject(header.jwk) ? header.jwk : undefined;
  const privateMember = jwk && PRIVATE_JWK_MEMBERS.find((member) => Object.hasOwn(jwk, member));
  const publicKey = jwk && jwk.kty !== 'oct' && privateMember === undefined ? publicKeyProblem(jwk, alg) : undefined;
  const typWhy = header.typ === 'JWT' || header.typ === 'at+jwt'
    ? `that is an ordinary ${header.typ} token, not a proof: a DPoP proof's header says typ dpop+jwt, so no other JWT can pass for one; ${MAKE_A_PROOF}`
    : `a DPoP proof's header says typ dpop+jwt (RFC 9449 §4.2), so no other JWT can pass for one; ${MAKE_A_PROOF}`;
  const algWhy = alg === 'none'
    ? 'an unsigned proof proves nothing: a proof is signed with your private key, ES256 for a key made with mint --alg ES256 --save-key'
    : alg?.startsWith('HS')
      ? `${alg} is an HMAC, signed with a secret the server would have to know too; a proof shows that you hold a private key, so it is signed with an asymmetric algorithm such as ES256`
      : `a proof is signed with an asymmetric algorithm a server accepts (${algorithms.join(', ')}): sign with ES256 and a key from mint --alg ES256 --save-key`;
  const jwkWhy = jwk === undefined
    ? 'the proof carries no jwk in its header: the server checks the signature with that public key, and binds the token to its thumbprint'
    : jwk.kty === 'oct'
      ? 'the jwk is a symmetric key (kty oct): a proof carries the public half of a key pair'
      : privateMember
        ? `the jwk holds "${privateMember}", a member of the private key: anyone who sees the proof can now sign as you. Put only the public key in it (jwt-vs-oauth dpop does), and make a new key: this one is no longer secret`
        : publicKey?.why;
  const jwkGot = jwk === undefined ? '(missing)' : jwk.kty === 'oct' ? 'a symmetric key (kty oct)' : privateMember ? `a private key (it has "${privateMember}")` : publicKey!.got;
  return [
    { label: 'typ', expected: `${dpopType} (RFC 9449 §4.2)`, got: header.typ === undefined ? '(missing)' : shownValue(header.typ), ok: header.typ === dpopType, why: typWhy },
    { label: 'alg', expected: 'an asymmetric algorithm, such as ES256 (§4.3 point 5)', got: header.alg === undefined ? '(missing)' : shownValue(header.alg), ok: alg !== undefined && algorithms.includes(alg), why: algWhy },
    { label: 'jwk', expected: 'your public key, and only the public key (§4.3 point 7)', got: jwkGot, ok: publicKey !== undefined && publicKey.why === undefined, why: jwkWhy },
  ];
}

/**
 * How old a proof is, in words exact enough not to contradict the 5 minutes it may be: a proof
 * 321 s old is "5 minutes 21 seconds", not "5 minutes". Seconds are rounded up, so an age just
 * over the limit never reads as the limit itself.
 */
function ageInWords(ageSeconds: number): string {
  const seconds = Math.ceil(ageSeconds);
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? '' : 's'}`;
  if (seconds >= 3600) return `more than ${unit(Math.floor(seconds / 3600), 'hour')}`;
  const [minutes, rest] = [Math.floor(seconds / 60), seconds % 60];
  if (minutes === 0) return unit(rest, 'second');
  return rest === 0 ? unit(minutes, 'minute') : `${unit(minutes, 'minute')} ${unit(rest, 'second')}`;
}

/** Whether the proof's signature verifies with the jwk in its own header (§4.3 point 6). */
async function proofSignatureVerifies(proof: string, jwk: Record<string, unknown>, alg: string): Promise<boolean> {
  const { compactVerify, importJWK } = await import('jose');
  try {
    await compactVerify(proof, await importJWK(jwk, alg), { algorithms: [alg] });
    return true;
  } catch {
    return false;
  }
}

/**
 * The request a dpop-proof check compares a proof with, filled from the material. The validator
 * lets through only {{method}}, {{url}} and literal values, so a value that is no method or no
 * http(s) URL is a broken pack: said as such (exit 2, the try not counted), never a crash.
 */
function proofRequestOf(exercise: Exercise, check: Extract<Check, { kind: 'dpop-proof' }>, values: Record<string, string>, htuOf: (url: string) => string): { htm: string; htu: string } {
  const htm = fillTemplate(check.htm, values);
  const url = fillTemplate(check.htu, values);
  const broken = (field: string, value: string, what: string) => new InputError('ERR_EXERCISE_FILE', `${exercise.id} cannot be checked: its check.${field} is "${shortened(value)}", which is not ${what}. This try was not counted.`, `Tell whoever made the exercise: ${exercise.file} needs a check.${field} such as ${field === 'htm' ? 'POST or "{{method}}"' : 'https://api.swaad.example/orders or "{{url}}"'}.`);
  if (!isHttpMethod(htm)) throw broken('htm', htm, 'an HTTP method');
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !/^https?:$/.test(parsed.protocol)) throw broken('htu', url, 'an absolute http(s) URL');
  return { htm, htu: htuOf(url) };
}

/** A value from a pack, cut for a one-line message. */
const shortened = (text: string) => terminalSafe(text.length > 60 ? `${text.slice(0, 40)}…${text.slice(-12)}` : text);

/**
 * A DPoP proof the learner made for the request the task names, checked rule by rule as a server
 * does (RFC 9449 §4.3): each rule that fails has its own line, in words. Then the server's own
 * check (src/protocol/dpop.ts) as a last line, so nothing it refuses passes here.
 */
async function dpopProofCheck(check: Extract<Check, { kind: 'dpop-proof' }>, { exercise, first, values, context }: CheckInput): Promise<KindOutcome> {
  const { checkDpopProof, hasUserinfo, htuOf, isRfc3986HttpUri, DPOP_ALGORITHMS, DPOP_MAX_AGE_SECONDS, DPOP_MAX_FUTURE_SECONDS, DPOP_TYPE } = await import('../protocol/dpop.js');
  const { htm, htu } = proofRequestOf(exercise, check, values, htuOf);
  // As sent in a header ("DPoP: eyJ…") or alone.
  const proof = first.replace(/^dpop\s*:?\s*/i, '').trim();
  const parts = readPartsOrWhy(proof);
  if ('unreadable' in parts) {
    const line = { label: 'a DPoP proof', expected: 'a signed JWT: three base64url parts joined by dots', ok: false };
    return { lines: [{ ...line, got: proof || '(nothing)', why: proof === '' ? 'no proof was given' : `that is not a JWT the check can read: ${parts.tooDeep ? `${parts.unreadable}; ` : ''}${MAKE_A_PROOF}, and send what it prints` }] };
  }
  const { header, payload: claims } = parts;
  const lines = proofHeaderLines(header, DPOP_ALGORITHMS, DPOP_TYPE);
  if (lines.every((line) => line.ok)) {
    const valid = await proofSignatureVerifies(proof, header.jwk as Record<string, unknown>, header.alg as string);
    lines.push({ label: 'signature', expected: 'valid with the jwk in the proof\'s header (§4.3 point 6)', got: valid ? 'valid' : 'does not verify', ok: valid, why: 'the signature does not verify with the public key in the proof: it was changed after signing, or signed with another key; send the proof exactly as jwt-vs-oauth dpop printed it' });
  }
  const text = (name: string) => (typeof claims[name] === 'string' && claims[name] !== '' ? (claims[name] as string) : undefined);
  const jti = text('jti');
  lines.push({ label: 'jti', expected: 'present: a unique id for this one proof (§4.2)', got: jti ?? '(missing)', ok: jti !== undefined, why: 'without a jti the server cannot tell a proof replayed by someone who copied it from a new one (§11.1): give each proof a fresh unique id (jwt-vs-oauth dpop makes a random one)' });
  const sentHtm = text('htm');
  lines.push({ label: 'htm', expected: `${htm}, the method of the request the task names`, got: sentHtm ?? '(missing)', ok: sentHtm === htm,
    why: sentHtm === undefined ? `the proof has no htm: name the request's method with --htm ${htm}` : sentHtm.toUpperCase() === htm ? `htm is compared exactly, and methods are written in capitals: --htm ${htm}` : `this proof is for a ${sentHtm} request, and the task's request is ${htm}: a server refuses a proof made for another method (§4.3 point 8)` });
  const sentHtu = text('htu');
  let sentHtuCompared: string | undefined;
  try {
    sentHtuCompared = sentHtu === undefined ? undefined : htuOf(sentHtu);
  } catch {
    sentHtuCompared = undefined;
  }
  // A server refuses an htu that is not written as RFC 3986 says, even one a browser would read as the task's URL.
  const htuWritten = sentHtu === undefined || isRfc3986HttpUri(sentHtu);
  lines.push({ label: 'htu', expected: `${htu}, the URL of the request the task names (without query or fragment)`, got: sentHtu ?? '(missing)', ok: htuWritten && sentHtuCompared === htu,
    why: sentHtu === undefined ? 'the proof has no htu: give the request\'s URL with --htu' : !htuWritten ? notAUriWhy(sentHtu, hasUserinfo) : sentHtuCompared === undefined ? 'the proof\'s htu is not a URL: give the request\'s full URL with --htu' : 'this proof is for another URL: a server refuses a proof made for any other address than the one it is sent to (§4.3 point 9); copy the task\'s URL exactly into --htu' });
  const iat = typeof claims.iat === 'number' && Number.isFinite(claims.iat) ? claims.iat : undefined;
  const age = iat === undefined ? undefined : context.now - iat;
  const window = `made in the last ${DPOP_MAX_AGE_SECONDS / 60} minutes, at most ${DPOP_MAX_FUTURE_SECONDS} s ahead of the server's clock (§4.3 point 11)`;
  lines.push({ label: 'iat', expected: window, got: age === undefined ? '(missing)' : age >= 0 ? `${Math.ceil(age)} s ago` : `${Math.ceil(-age)} s in the future`, ok: age !== undefined && age <= DPOP_MAX_AGE_SECONDS && -age <= DPOP_MAX_FUTURE_SECONDS,
    why: age === undefined ? 'the proof has no iat, so the server cannot tell how old it is: jwt-vs-oauth dpop sets it to the time you make the proof' : age > 0 ? `the proof is ${ageInWords(age)} old: a server takes a proof only for a few minutes after it is made, so a copied proof soon stops working; make a new one just before you send it` : 'the proof says it was made in the future: check your computer\'s clock, and make the proof with the clock as it is' });
  if (lines.every((line) => line.ok)) {
    const server = await checkDpopProof(proof, { htm, htu, now: context.now, isReplay: () => false });
    if (!server.ok) lines.push({ label: 'a server\'s check', expected: 'accepts the proof (RFC 9449 §4.3)', got: server.reason, ok: false, why: `a server refuses it: ${server.reason}` });
  }
  return { lines: lines.map(({ why, ...line }) => (line.ok ? line : { ...line, why })) };
}

/** Every check kind and the function that checks it: a kind without one does not compile. */
export const CHECK_RUNNERS: { readonly [Kind in Check['kind']]: KindRunner<Kind> } = {
  // All the check's patterns share one budget, so many patterns each under the limit cannot add up to seconds.
  answer: async (check, { exercise, first, values }) => checkInTwoRounds((budget) => answerCheck(exercise, check, first, values, budget), (outcome) => outcome.stall !== undefined),
  choice: choiceCheck,
  'pkce-pair': pkceCheck,
  'token-rules': tokenRulesCheck,
  'provider-token': providerTokenCheck,
  'dpop-proof': dpopProofCheck,
};

/** Checks the learner's answers against the exercise's check, by its kind; passed when every line is. */
export async function runCheck(exercise: Exercise, answers: string[], context: CheckContext): Promise<CheckResult> {
  const values: Record<string, string> = { ...context.material };
  answers.forEach((answer, index) => (values[`answer.${index + 1}`] = answer));
  const first = answers[0]?.trim() ?? '';
  // The table's type ties each kind to its runner; indexing by a union loses that tie, hence the cast.
  const run = CHECK_RUNNERS[exercise.check.kind] as KindRunner<Check['kind']>;
  const { lines, stall } = await run(exercise.check, { exercise, first, values, context });
  return { passed: lines.length > 0 && lines.every((line) => line.ok), input: answers, lines, ...(stall && { checkTooSlow: stall }) };
}
