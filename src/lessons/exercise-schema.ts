// The exercise format: exercises are JSON data, in the tutorial's conventions, each with a
// checker chosen from a small set of typed check kinds. This file validates one, naming the file
// and the field.

import { isDeepStrictEqual } from 'node:util';
import { terminalSafe } from '../text/terminal-safe.js';
import { MAX_MISTAKES, MAX_PATTERN_LENGTH } from './pattern-match.js';
import { solutionCommandError, solutionCommandProblem } from './solution-commands.js';
import { LETTERS, looksLikeMarker, MAX_CHOICES } from './choices.js';
import { failFor, isObject, isText, isTextList, type Fail } from './validation.js';

export const TOPICS = ['read-a-token', 'make-a-token', 'find-the-flaw', 'oauth-by-hand', 'choose', 'fix-a-mistake'] as const;
export const MATERIAL_KINDS = ['token', 'token-any-alg', 'flawed-token', 'flawed-token-rs256', 'pkce-verifier', 'oauth-state', 'random-secret', 'dpop-request', 'dpop-bound-token'] as const;
/** The {{names}} each kind of material fills (material.ts makes them; a test keeps the two in step). */
export const MATERIAL_NAMES: ReadonlyMap<string, readonly string[]> = new Map([
  ['token', ['token', 'sub', 'aud', 'alg', 'iss', 'exp', 'expIso', 'secret']],
  ['token-any-alg', ['token', 'sub', 'aud', 'alg', 'iss', 'exp', 'expIso', 'key']],
  ['flawed-token', ['token', 'flaw', 'now', 'nowIso', 'secret']],
  ['flawed-token-rs256', ['token', 'flaw', 'now', 'nowIso', 'issuerKey']],
  ['pkce-verifier', ['verifier', 'challenge']],
  ['oauth-state', ['state']],
  ['random-secret', ['secret']],
  ['dpop-request', ['method', 'url']],
  ['dpop-bound-token', ['token', 'keyA', 'keyB', 'keyC', 'kid', 'jkt']],
]);
export const FLAWS = ['alg-none', 'expired', 'wrong-audience', 'tampered', 'key-confusion', 'weak-secret', 'no-exp'] as const;
/**
 * Flaws that cannot happen to an issuer of this kind, and why: key confusion needs a public key
 * to use as an HMAC secret; a weak HMAC secret needs an issuer that signs with one.
 */
const FLAWS_THAT_DO_NOT_FIT: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['flawed-token', new Map([['key-confusion', 'key confusion needs an issuer with a public key (RFC 8725 §2.1), and a flawed-token issuer signs with an HMAC secret: use "kind": "flawed-token-rs256"']])],
  ['flawed-token-rs256', new Map([['weak-secret', 'a flawed-token-rs256 issuer signs with its RSA private key, not a secret: use "kind": "flawed-token" for weak-secret']])],
]);

/** Failed attempts after which a learner may see the answer, unless an exercise or its pack says otherwise. */
export const DEFAULT_REVEAL_AFTER = 3;
/** The most a pack or exercise may ask for: past this, "never" (0) is what is meant. */
export const MAX_REVEAL_AFTER = 100;

/** Whether a value is a revealAfter: a whole number from 0 (never) to MAX_REVEAL_AFTER. */
export function isRevealAfter(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_REVEAL_AFTER;
}

export type Check =
  | { kind: 'answer'; expected?: string; pattern?: string; mistakes?: Mistake[]; expectedInWords?: string }
  | { kind: 'choice'; answer: number }
  | { kind: 'token-rules'; alg: string; secret: string; iss?: string; aud?: string; maxLifetime?: number; claims?: Record<string, unknown>; minSecretBytes?: number; requireRandomSecret?: boolean }
  | { kind: 'provider-token'; scope: string; clientId?: string; withoutUser?: boolean; onlyScope?: boolean }
  | { kind: 'pkce-pair'; verifier: string }
  | { kind: 'dpop-proof'; htm: string; htu: string };

/**
 * The flow a provider-token check's token comes from: client_credentials for the app's own token
 * (withoutUser), the device flow for another client than demo-app (the only one with a redirect
 * URI and a secret the tasks give), else the authorization code flow as demo-app.
 */
export function providerFlowOf(check: Extract<Check, { kind: 'provider-token' }>): 'authorization-code' | 'device' | 'client-credentials' {
  if (check.withoutUser) return 'client-credentials';
  return check.clientId !== undefined && check.clientId !== 'demo-app' ? 'device' : 'authorization-code';
}

/** A known wrong answer (matched by a pattern) and why it is wrong, shown when an answer matches it. */
export interface Mistake {
  pattern: string;
  why: string;
}

export interface Exercise {
  id: string;
  title: string;
  topic: (typeof TOPICS)[number];
  /** Paragraphs; {{name}} is replaced with generated material. */
  task: string[];
  /** For choice checks: the options, shown as (a), (b), … */
  choices?: string[];
  /** For choice checks: why each choice fits or not, in the order of `choices`; a wrong pick is told its own, never which choice fits. */
  choiceWhy?: string[];
  material?: { kind: (typeof MATERIAL_KINDS)[number]; pool?: string[] };
  /** What `start` sets up besides printing the task. */
  needs?: 'provider';
  check: Check;
  hints: string[];
  /** Failed attempts after which `hint --reveal` shows the answer; 0 = never. Unset: the pack's, else DEFAULT_REVEAL_AFTER. */
  revealAfter?: number;
  solution: { explain: string[]; answers: string[]; commands?: string[] };
  file: string;
  /** The answers `check` takes, by name and in order (from the check: see answerNamesOf). */
  answerNames: string[];
}

/**
 * The answers a check takes, by name and in order: one, or as many as its {{answer.N}} ask for
 * ("token", then "secret" for a token-rules check whose secret is {{answer.2}}).
 */
function answerNamesOf(check: Check): string[] {
  const names = [CHECK_KINDS[check.kind].firstAnswer];
  for (const [field, text] of Object.entries(check)) {
    if (typeof text !== 'string') continue;
    for (const [, number] of text.matchAll(/\{\{answer\.(\d)\}\}/g)) {
      const index = Number(number) - 1;
      if (index > 0) names[index] ??= field === 'secret' ? 'secret' : `answer ${index + 1}`;
    }
  }
  return Array.from({ length: names.length }, (_unused, index) => names[index] ?? `answer ${index + 1}`);
}

/** At most one choice per letter, and none whose text reads as a marker: "2" typed by a learner means the second choice. */
function validateChoiceTexts(choices: string[], fail: Fail): void {
  if (choices.length > MAX_CHOICES) fail('"choices"', `lists ${choices.length} choices; at most ${MAX_CHOICES} (a to ${LETTERS[MAX_CHOICES - 1]}), one letter each`);
  choices.forEach((choice, index) => {
    if (looksLikeMarker(choice)) fail(`"choices[${index}]"`, `"${terminalSafe(choice)}" reads as a choice's letter or number, so a learner typing it picks by position, not this text: write the choice out in words`);
  });
}

export function validateExercise(json: unknown, file: string): Exercise {
  const fail: Fail = failFor('ERR_EXERCISE_FILE', file);
  if (!isObject(json)) fail('the file', 'must hold one JSON object');
  const entry = json as Record<string, unknown>;
  if (typeof entry.id !== 'string' || !/^[a-z0-9-]+$/.test(entry.id)) fail('"id"', 'must be lower-case letters, digits and dashes');
  if (!isText(entry.title)) fail('"title"', 'must be a non-empty string');
  if (!TOPICS.includes(entry.topic as never)) fail('"topic"', `must be one of ${TOPICS.join(', ')}`);
  if (!isTextList(entry.task)) fail('"task"', 'must be a non-empty list of paragraphs');
  if (!isTextList(entry.hints)) fail('"hints"', 'must list at least one hint');
  if (entry.choices !== undefined && !isTextList(entry.choices, 2)) fail('"choices"', 'must list at least two choices');
  if (entry.choices !== undefined) validateChoiceTexts(entry.choices as string[], fail);
  if (entry.choiceWhy !== undefined) {
    if (entry.choices === undefined) fail('"choiceWhy"', 'explains the choices, so it needs "choices"');
    if (!isTextList(entry.choiceWhy) || entry.choiceWhy.length !== (entry.choices as string[]).length) fail('"choiceWhy"', `must give one non-empty explanation for each choice, in their order (${(entry.choices as string[]).length})`);
  }
  if (entry.needs !== undefined && entry.needs !== 'provider') fail('"needs"', 'can only be "provider"');
  if (entry.revealAfter !== undefined && !isRevealAfter(entry.revealAfter)) fail('"revealAfter"', `must be a whole number of failed attempts from 0 (never reveal the answer) to ${MAX_REVEAL_AFTER}`);
  if (entry.material !== undefined) {
    const material = entry.material as Record<string, unknown>;
    if (!MATERIAL_KINDS.includes(material?.kind as never)) fail('"material.kind"', `must be one of ${MATERIAL_KINDS.join(', ')}`);
    if (material.pool !== undefined && (!isTextList(material.pool) || !(material.pool as string[]).every((flaw) => FLAWS.includes(flaw as never)))) fail('"material.pool"', `must list flaws from ${FLAWS.join(', ')}`);
    for (const flaw of (material.pool as string[] | undefined) ?? []) {
      const why = FLAWS_THAT_DO_NOT_FIT.get(material.kind as string)?.get(flaw);
      if (why) fail('"material.pool"', `${flaw} does not fit: ${why}`);
    }
  }
  const solution = entry.solution as Record<string, unknown> | undefined;
  if (typeof solution !== 'object' || solution === null) fail('"solution"', 'must be an object with "explain" and "answers"');
  if (!isTextList(solution.explain)) fail('"solution.explain"', 'must say how to solve it');
  if (!Array.isArray(solution.answers) || !solution.answers.every((answer) => typeof answer === 'string')) fail('"solution.answers"', 'must list the answers to submit (strings)');
  if (solution.commands !== undefined) {
    // Solution commands are run by `exercises selftest`: each must keep to the allowlist (solution-commands.ts).
    if (!isTextList(solution.commands)) fail('"solution.commands"', 'must list jwt-vs-oauth commands');
    solution.commands.forEach((command, index) => {
      const problem = solutionCommandProblem(command);
      if (problem !== undefined) throw solutionCommandError(file, entry.id as string, index + 1, command, problem);
    });
  }
  validateCheck(entry.check, fail, entry.choices as string[] | undefined);
  validateTemplates(entry as unknown as Exercise, file);
  return { ...(entry as unknown as Exercise), file, answerNames: answerNamesOf(entry.check as Check) };
}

/** The words a learner reads, which a translation may change; everything else stays as in the original. */
export const TRANSLATED_FIELDS = ['title', 'task', 'hints', 'choices', 'choiceWhy', 'check.expectedInWords', 'check.mistakes[].why', 'solution.explain', 'solution.answers'] as const;
/** The check's fields that decide what passes: a translation keeps them. */
const CHECK_VALUES = ['kind', 'expected', 'pattern', 'answer', 'alg', 'secret', 'iss', 'aud', 'maxLifetime', 'claims', 'minSecretBytes', 'requireRandomSecret', 'scope', 'clientId', 'withoutUser', 'onlyScope', 'verifier', 'htm', 'htu'] as const;

/**
 * What a translation must keep as its original has it, by field: the id (progress is kept by it),
 * the topic, the material a seed makes, what passes (the check, the solution's commands), the
 * reveal policy, and how many choices and answers there are. Only the words may differ.
 */
function fixedParts(exercise: Exercise): Array<[string, unknown]> {
  const check = exercise.check as Record<string, unknown>;
  return [
    ['"id"', exercise.id],
    ['"topic"', exercise.topic],
    ['"material.kind"', exercise.material?.kind],
    ['"material.pool"', exercise.material?.pool],
    ['"needs"', exercise.needs],
    ['"revealAfter"', exercise.revealAfter],
    ['the number of "choices"', exercise.choices?.length],
    ...CHECK_VALUES.map((name): [string, unknown] => [`"check.${name}"`, check[name]]),
    ['"check.mistakes[…].pattern"', (check.mistakes as Mistake[] | undefined)?.map((mistake) => mistake.pattern)],
    ['"solution.commands"', exercise.solution.commands],
    ['the number of "solution.answers"', exercise.solution.answers.length],
  ];
}

/**
 * Refuses a translation (already validated as an exercise) that differs from its original in
 * anything but the words, naming the field: a learner in any language gets the same exercise.
 */
export function validateTranslation(translation: Exercise, original: Exercise): void {
  const expected = new Map(fixedParts(original));
  for (const [field, value] of fixedParts(translation)) {
    if (isDeepStrictEqual(value, expected.get(field))) continue;
    failFor('ERR_EXERCISE_FILE', translation.file)(field, `differs from ${original.file}, which it translates; a translation changes only the words (${TRANSLATED_FIELDS.join(', ')}) and keeps everything else as the original has it`);
  }
}

/** The check's fields compared with what the learner sends exactly as written: no {{names}} are filled in them. */
const COMPARED_AS_WRITTEN = ['pattern', 'iss', 'aud', 'scope', 'clientId'] as const;
const isComparedAsWritten = (field: string) => /^"check\.(?:pattern|iss|aud|scope|clientId|mistakes\[\d+\]\.pattern|claims\b.*)"$/.test(field);

/** Every string in a token-rules check's claims (names and values, however deep), with its path: ".role", ".roles[1]". */
function claimTexts(claims: unknown): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const pending: Array<[unknown, string]> = [[claims, '']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') found.push([path, value]);
    else if (Array.isArray(value)) value.forEach((item, index) => pending.push([item, `${path}[${index}]`]));
    else if (isObject(value)) {
      for (const [key, item] of Object.entries(value)) {
        found.push([`${path}.${key} (the name)`, key]);
        pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return found;
}

/**
 * Every {{name}} must be one this exercise fills: its material's names everywhere; {{answer.N}}
 * in the check; {{output.N}} in the solution, for a command that runs before. So a typo, or a
 * name like {{constructor}}, is refused when the file loads instead of showing or expanding oddly.
 */
function validateTemplates(exercise: Exercise, file: string): void {
  const fail: Fail = failFor('ERR_EXERCISE_FILE', file);
  const material = exercise.material ? MATERIAL_NAMES.get(exercise.material.kind) ?? [] : [];
  const commands = exercise.solution.commands ?? [];
  const outputsBefore = (count: number) => Array.from({ length: count }, (_unused, index) => `output.${index + 1}`);
  const answers = Array.from({ length: 9 }, (_unused, index) => `answer.${index + 1}`);
  const check = exercise.check as Record<string, unknown>;
  const fields: Array<[string, unknown, readonly string[]]> = [
    // The title and the choices are shown as written (lists, menus): no {{names}} there.
    ['"title"', exercise.title, []],
    ...(exercise.choices ?? []).map((text, index): [string, unknown, readonly string[]] => [`"choices[${index}]"`, text, []]),
    ...(exercise.choiceWhy ?? []).map((text, index): [string, unknown, readonly string[]] => [`"choiceWhy[${index}]"`, text, []]),
    ...exercise.task.map((text, index): [string, unknown, readonly string[]] => [`"task[${index}]"`, text, material]),
    ...exercise.hints.map((text, index): [string, unknown, readonly string[]] => [`"hints[${index}]"`, text, material]),
    ...exercise.solution.explain.map((text, index): [string, unknown, readonly string[]] => [`"solution.explain[${index}]"`, text, material]),
    ...commands.map((text, index): [string, unknown, readonly string[]] => [`"solution.commands[${index}]"`, text, [...material, ...outputsBefore(index)]]),
    ...exercise.solution.answers.map((text, index): [string, unknown, readonly string[]] => [`"solution.answers[${index}]"`, text, [...material, ...outputsBefore(commands.length)]]),
    ...['expected', 'secret', 'verifier'].map((name): [string, unknown, readonly string[]] => [`"check.${name}"`, check[name], [...material, ...answers]]),
    // The request a proof is for is the task's, never something the learner sends.
    ...['htm', 'htu'].map((name): [string, unknown, readonly string[]] => [`"check.${name}"`, check[name], material]),
    ...((check.mistakes as Mistake[] | undefined) ?? []).map((mistake, index): [string, unknown, readonly string[]] => [`"check.mistakes[${index}].why"`, mistake.why, material]),
    // Shown on a failed check in place of the expected value: a {{name}} there would give the answer away.
    ['"check.expectedInWords"', check.expectedInWords, []],
    // Compared as written: nothing fills a {{name}} there, so "{{iss}}" would be looked for literally.
    ...COMPARED_AS_WRITTEN.map((name): [string, unknown, readonly string[]] => [`"check.${name}"`, check[name], []]),
    ...((check.mistakes as Mistake[] | undefined) ?? []).map((mistake, index): [string, unknown, readonly string[]] => [`"check.mistakes[${index}].pattern"`, mistake.pattern, []]),
    ...claimTexts(check.claims).map(([path, text]): [string, unknown, readonly string[]] => [`"check.claims${path}"`, text, []]),
  ];
  for (const [field, text, known] of fields) {
    if (typeof text !== 'string') continue;
    for (const [template, name] of text.matchAll(/\{\{([^}]*)\}\}/g)) {
      if (known.includes(name!)) continue;
      const shownAsWritten = field === '"title"' || field.startsWith('"choices[') || field.startsWith('"choiceWhy[');
      const offer = isComparedAsWritten(field) ? 'it is compared as written and nothing fills {{names}} there: write the value itself' : field === '"check.expectedInWords"' ? 'it says in words what is expected, without the value, so it takes no {{names}}' : field.startsWith('"choiceWhy[') ? 'choiceWhy is shown as written, like the choices, without {{names}}' : shownAsWritten ? 'the title and the choices are shown as written, without {{names}}' : known.length ? `it can use ${known.map((each) => `{{${each}}}`).join(', ')}` : 'it has no material, so no {{names}} at all';
      fail(field, `"${terminalSafe(template)}" is not a name this exercise fills; ${offer}`);
    }
  }
}

function validatePattern(pattern: string, fail: Fail, field: string): void {
  if (pattern.length > MAX_PATTERN_LENGTH) fail(field, `is ${pattern.length} characters long; a pattern may have at most ${MAX_PATTERN_LENGTH}`);
  try {
    new RegExp(pattern);
  } catch {
    fail(field, 'is not a valid regular expression');
  }
}

/** An answer check: "expected" or "pattern", its words for what is expected, its known mistakes. */
function validateAnswerCheck(check: Record<string, unknown>, fail: Fail): void {
  if (!isText(check.expected) && !isText(check.pattern)) fail('"check"', 'an answer check needs "expected" or "pattern"');
  if (check.pattern !== undefined && !isText(check.pattern)) fail('"check.pattern"', 'must be a non-empty string');
  // 5 is not "5": the answer is compared as text, so a number here is a mistake to name, not to convert.
  if (check.expected !== undefined && !isText(check.expected)) fail('"check.expected"', `must be a non-empty string (the value as the learner types it, such as "5"); it is ${check.expected === null ? 'null' : Array.isArray(check.expected) ? 'a list' : `a ${typeof check.expected}`}`);
  if (isText(check.pattern)) validatePattern(check.pattern, fail, '"check.pattern"');
  if (check.expectedInWords !== undefined && !isText(check.expectedInWords)) fail('"check.expectedInWords"', 'must say in words what the answer is, such as "the token\'s subject (its sub claim)"');
  if (check.mistakes === undefined) return;
  if (!Array.isArray(check.mistakes) || check.mistakes.length === 0) fail('"check.mistakes"', 'must list known wrong answers: [{"pattern": …, "why": …}]');
  // Each pattern may take up to its time limit: a bound on their number keeps a check's patterns few.
  if (check.mistakes.length > MAX_MISTAKES) fail('"check.mistakes"', `lists ${check.mistakes.length} known wrong answers; a check may list at most ${MAX_MISTAKES}`);
  check.mistakes.forEach((entry: unknown, index) => {
    const field = (name = '') => `"check.mistakes[${index}]${name}"`;
    if (!isObject(entry)) fail(field(), 'must be an object with "pattern" and "why"');
    if (!isText(entry.pattern)) fail(field('.pattern'), 'must be a non-empty string');
    validatePattern(entry.pattern, fail, field('.pattern'));
    if (!isText(entry.why)) fail(field('.why'), 'must say in words why such an answer is wrong');
  });
}

/** A token-rules check: the algorithm and secret, and the claims rules it may add. */
function validateTokenRulesCheck(check: Record<string, unknown>, fail: Fail): void {
  if (!isText(check.alg)) fail('"check.alg"', 'must name the algorithm');
  if (!isText(check.secret)) fail('"check.secret"', 'must give the secret (or "{{answer.2}}" for one the learner sends)');
  for (const name of ['iss', 'aud'] as const) if (check[name] !== undefined && !isText(check[name])) fail(`"check.${name}"`, 'must be a non-empty string');
  for (const name of ['maxLifetime', 'minSecretBytes'] as const) if (check[name] !== undefined && !(Number.isInteger(check[name]) && (check[name] as number) > 0)) fail(`"check.${name}"`, 'must be a whole number above 0');
  if (check.requireRandomSecret !== undefined && typeof check.requireRandomSecret !== 'boolean') fail('"check.requireRandomSecret"', 'must be true or false');
  if (check.claims !== undefined && !isObject(check.claims)) fail('"check.claims"', 'must be an object of claim names and values');
}

const ALL_MATERIAL_NAMES: ReadonlySet<string> = new Set([...MATERIAL_NAMES.values()].flat());

/** An HTTP method as RFC 9110 §9.1 writes one: a token (§5.6.2), such as POST; or the material's {{method}}. */
export const HTTP_METHOD_PATTERN = /^(?:\{\{method\}\}|[!#$%&'*+.^_`|~0-9A-Za-z-]+)$/;
/** Whether a filled htm is an HTTP method token (RFC 9110 §5.6.2). */
export const isHttpMethod = (text: string) => HTTP_METHOD_PATTERN.test(text) && !text.startsWith('{{');
/** An absolute http(s) URL, or the material's {{url}} (dpop-request material fills it with one); never a learner's answer. */
export const HTTP_URL_PATTERN = /^(?:\{\{url\}\}|[hH][tT][tT][pP][sS]?:\/\/\S+)$/;

/** Whether a pack's htu is one a proof can be checked against: {{url}}, or an absolute http(s) URL that parses. */
function isHttpUrlOrUrlMaterial(text: string): boolean {
  if (!HTTP_URL_PATTERN.test(text)) return false;
  if (text === '{{url}}') return true;
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** A dpop-proof check: the request the proof is for, filled only from the material, so every check can compare a proof with it. */
function validateDpopProofCheck(check: Record<string, unknown>, fail: Fail): void {
  // A {{name}} no material fills ({{answer.1}}, a typo) is left to validateTemplates, which names it and the names that fit.
  const namesNoMaterialFills = (text: unknown) => typeof text === 'string' && [...text.matchAll(/\{\{([^}]*)\}\}/g)].some(([, name]) => !ALL_MATERIAL_NAMES.has(name!));
  if (namesNoMaterialFills(check.htm) || namesNoMaterialFills(check.htu)) return;
  if (!isText(check.htm) || !HTTP_METHOD_PATTERN.test(check.htm)) fail('"check.htm"', 'must give the request\'s HTTP method the proof is for, such as POST or "{{method}}"');
  if (!isText(check.htu) || !isHttpUrlOrUrlMaterial(check.htu)) fail('"check.htu"', 'must give the request\'s URL the proof is for: an absolute http(s) URL such as https://api.swaad.example/orders, or "{{url}}"');
}

/** One check kind of the format: what the learner sends first, how their words make answers, and the validator of its fields. */
interface CheckKindFormat {
  firstAnswer: string;
  /**
   * How the words on the command line make the answers: 'each' word one answer; 'joined', all the
   * words one answer (a choice's text typed without quotes); 'token', each word one answer but a
   * split-off "Bearer" or "Authorization: Bearer" joined to the token after it.
   */
  words: 'each' | 'joined' | 'token';
  validate: (check: Record<string, unknown>, fail: Fail, choices: string[] | undefined) => void;
}

/**
 * Every check kind an exercise may use, in the order messages list them: a kind missing here does
 * not compile (checks.ts's CHECK_RUNNERS is typed the same way, so the two tables hold the same kinds).
 */
export const CHECK_KINDS: { readonly [Kind in Check['kind']]: CheckKindFormat } = {
  answer: { firstAnswer: 'answer', words: 'each', validate: validateAnswerCheck },
  choice: {
    firstAnswer: 'choice',
    words: 'joined',
    validate: (check, fail, choices) => {
      if (!choices) return fail('"choices"', 'a choice check needs the choices');
      if (!Number.isInteger(check.answer) || (check.answer as number) < 0 || (check.answer as number) >= choices.length) fail('"check.answer"', 'must be the index of one of the choices (from 0)');
    },
  },
  'token-rules': { firstAnswer: 'token', words: 'token', validate: validateTokenRulesCheck },
  'provider-token': {
    firstAnswer: 'access token',
    words: 'token',
    validate: (check, fail) => {
      if (!isText(check.scope)) fail('"check.scope"', 'must name the scope the token must carry');
      if (check.clientId !== undefined && !isText(check.clientId)) fail('"check.clientId"', 'must name the client the token must be issued to, such as swaad-tv');
      if (check.withoutUser !== undefined && typeof check.withoutUser !== 'boolean') fail('"check.withoutUser"', 'must be true (the token is the app\'s own, from client_credentials: its sub is its client_id) or false');
      if (check.onlyScope !== undefined && typeof check.onlyScope !== 'boolean') fail('"check.onlyScope"', 'must be true (the token may carry no scope beyond "scope": least privilege) or false');
    },
  },
  'pkce-pair': {
    firstAnswer: 'code_challenge',
    words: 'each',
    validate: (check, fail) => {
      if (!isText(check.verifier)) fail('"check.verifier"', 'must give the verifier');
    },
  },
  'dpop-proof': { firstAnswer: 'DPoP proof', words: 'token', validate: validateDpopProofCheck },
};

/** The check kinds' names, in CHECK_KINDS's order. */
export const CHECK_KIND_NAMES = Object.keys(CHECK_KINDS) as Array<Check['kind']>;

/** Whether a value names a check kind (an own key of CHECK_KINDS: "constructor" is not one). */
const isCheckKind = (kind: unknown): kind is Check['kind'] => typeof kind === 'string' && Object.hasOwn(CHECK_KINDS, kind);

function validateCheck(value: unknown, fail: Fail, choices: string[] | undefined): void {
  const check = value as Record<string, unknown> | undefined;
  if (typeof check !== 'object' || check === null) fail('"check"', 'must be an object with a "kind"');
  if (!isCheckKind(check.kind)) return fail('"check.kind"', `must be one of ${CHECK_KIND_NAMES.join(', ')}`);
  // Known mistakes are wrong answers matched by pattern: only an answer check has such an answer.
  if (check.kind !== 'answer' && Object.hasOwn(check, 'mistakes')) fail('"check.mistakes"', `only an answer check lists known mistakes; a ${check.kind} check has none (remove the field)`);
  CHECK_KINDS[check.kind].validate(check, fail, choices);
}
