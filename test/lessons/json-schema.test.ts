// The JSON Schemas in lessons/schema/ give a teacher's editor completion and checks as they type.
// They must say what the validators say: every real lesson and exercise file passes both; a file
// with one thing wrong is refused by both (each fixture names the field the validator names); and
// the schema never refuses a file the validator takes. Where the schema cannot follow a rule (a
// cross-field count, the command allowlist) it accepts, and that gap is listed here and in the
// schema's description.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { validateExercise } from '../../src/lessons/exercise-schema.js';
import { loadPackSettings } from '../../src/lessons/exercises.js';
import { exerciseJsonSchema, lessonJsonSchema, packJsonSchema } from '../../src/lessons/json-schemas.js';
import { readJsonFile } from '../../src/lessons/loader.js';
import { runCli } from '../helpers/cli.js';
import { validateLesson } from '../../src/lessons/schema.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCHEMAS = join(ROOT, 'lessons', 'schema');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'schema');

type Kind = 'lesson' | 'exercise' | 'pack';
type Json = Record<string, unknown>;

const schemaOf = (kind: Kind) => JSON.parse(readFileSync(join(SCHEMAS, `${kind}.schema.json`), 'utf8')) as Json;

// VS Code's own keywords (messages, snippets) are annotations here; strictTypes is off because the
// if/then branches refine properties whose type the main schema already sets.
const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
ajv.addVocabulary(['errorMessage', 'defaultSnippets', 'enumDescriptions', 'doNotSuggest']);
const compiled: Record<Kind, ValidateFunction> = { lesson: ajv.compile(schemaOf('lesson')), exercise: ajv.compile(schemaOf('exercise')), pack: ajv.compile(schemaOf('pack')) };

/** The schema's verdict, and its first complaint for a failure message. */
function bySchema(kind: Kind, json: unknown): { ok: boolean; why: string } {
  const ok = compiled[kind](json) as boolean;
  const first = compiled[kind].errors?.[0];
  return { ok, why: first ? `${first.instancePath || '(top)'} ${first.message}` : '' };
}

/** The validator's verdict, and its message when it refuses. */
function byValidator(kind: Kind, json: unknown, file = 'fixture.json'): { ok: boolean; message: string } {
  try {
    if (kind === 'lesson') validateLesson(json, file);
    else if (kind === 'exercise') validateExercise(json, file);
    else {
      const folder = mkdtempSync(join(tmpdir(), 'pack-schema-'));
      try {
        writeFileSync(join(folder, 'pack.json'), JSON.stringify(json));
        loadPackSettings(folder);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    }
    return { ok: true, message: '' };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

const FOLDERS: Array<[string, Kind]> = [['tutorial', 'lesson'], ['exercises', 'exercise'], ['example-pack', 'exercise']];
/** Every lesson and exercise file shipped in lessons/, parsed the way jwt-vs-oauth reads it. */
const realFiles = FOLDERS.flatMap(([folder, kind]) =>
  readdirSync(join(ROOT, 'lessons', folder))
    .filter((name) => name.endsWith('.json') && name !== 'pack.json')
    .map((name) => ({ file: `lessons/${folder}/${name}`, kind, json: readJsonFile(join(ROOT, 'lessons', folder, name), 'ERR_TEST') as Json })),
);
/** The example pack's settings file, which follows pack.schema.json. */
const PACK_SETTINGS = 'lessons/example-pack/pack.json';
const schemaPathFor = (kind: Kind) => `../schema/${kind}.schema.json`;
/** The file with "$schema" as its first key, as scripts/add-schema-lines.mjs writes it. */
const withSchemaKey = (kind: Kind, json: Json): Json => ({ $schema: schemaPathFor(kind), ...json });

describe('lessons/schema/ holds the schemas src/lessons/json-schemas.ts builds from the code\'s own lists', () => {
  // After a change to the formats or the builder: npx vitest run test/lessons/json-schema.test.ts -u
  it.each([['lesson', lessonJsonSchema], ['exercise', exerciseJsonSchema], ['pack', packJsonSchema]] as const)('%s.schema.json', async (kind, build) => {
    await expect(`${JSON.stringify(build(), null, 2)}\n`).toMatchFileSnapshot(join(SCHEMAS, `${kind}.schema.json`));
  });

  it('each list in a schema is the one the validator names when it refuses a value', () => {
    const lesson = schemaOf('lesson') as any;
    const exercise = schemaOf('exercise') as any;
    const named = (kind: Kind, name: string) => byValidator(kind, fixture(kind, 'bad', name)).message.replace(/.*must (be one of|list flaws from) /, '').split(', ');
    expect(lesson.$defs.runScreen.properties.demo.enum).toEqual(named('lesson', 'run-demo-unknown'));
    expect(exercise.properties.topic.enum).toEqual(named('exercise', 'topic-unknown'));
    expect(exercise.properties.material.properties.kind.enum).toEqual(named('exercise', 'material-kind-unknown'));
    expect(exercise.properties.material.properties.pool.items.enum).toEqual(named('exercise', 'material-pool-unknown-flaw'));
    expect(exercise.$defs.check.properties.kind.enum).toEqual(named('exercise', 'check-kind-unknown'));
    expect(lesson.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

describe('every shipped file passes its schema and its validator, with the "$schema" line', () => {
  it.each(realFiles.map((entry) => [entry.file, entry] as const))('%s', (_file, { kind, json }) => {
    const withLine = withSchemaKey(kind, json);
    expect(bySchema(kind, withLine)).toEqual({ ok: true, why: '' });
    expect(byValidator(kind, withLine)).toEqual({ ok: true, message: '' });
  });

  it('the example pack\'s pack.json passes its schema', () => {
    const settings = readJsonFile(join(ROOT, 'lessons', 'example-pack', 'pack.json'), 'ERR_TEST');
    expect(bySchema('pack', settings).ok).toBe(true);
    expect(byValidator('pack', settings).ok).toBe(true);
  });
});

/** Each bad fixture has one thing wrong, and the validator names that field (its message, after the file name). */
const BAD: Record<Kind, Record<string, string>> = {
  lesson: {
    'not-an-object': 'the file: must hold one JSON object',
    'missing-id': '"id": must be lower-case letters, digits and dashes',
    'id-upper-case': '"id": must be lower-case letters, digits and dashes',
    'number-zero': '"number": must be a whole number from 1',
    'number-string': '"number": must be a whole number from 1',
    'number-fraction': '"number": must be a whole number from 1',
    'number-too-large': '"number": must be a whole number from 1 to 99',
    'top-unknown-field': '"notes": is not a field of a lesson (it has $schema, id, number, title, summary, screens)',
    'text-unknown-field': 'screens[0].notes: is not a field of a text screen',
    'text-after': 'screens[0].after: is not a field of a text screen (it has type, title, body; "after" belongs to a run screen)',
    'choice-unknown-field': 'screens[4].hint: is not a field of a choice question (it has type, kind, prompt, choices, answer, explanation)',
    'value-with-choices': 'screens[5].choices: is not a field of a value question',
    'run-save-prototype-name': 'screens[1].save: "constructor" is a name every JavaScript object has',
    'run-save-engine-name': 'screens[1].save: "idToken" is a name jwt-vs-oauth makes itself (accessToken, api, idToken, issuer)',
    'run-save-decode-output': 'screens[2].save: a step saves a token, one line: only a mint (or sign) command without --json prints one',
    'run-save-mint-json': 'screens[1].save: a step saves a token, one line: only a mint (or sign) command without --json prints one',
    'run-demo-save-prototype-name': 'screens[3].args.save: "toString" is a name every JavaScript object has',
    'run-demo-save-engine-name': 'screens[3].args.save: "accessToken" is a name jwt-vs-oauth makes itself',
    'run-demo-claim-proto': 'screens[3].args.claim: must be a plain claim name such as "sub" or "role"',
    'run-demo-claim-prototype-name': 'screens[3].args.claim: "constructor" is a name every JavaScript object has, not a claim a lesson may name',
    'value-answer-from-prototype-claim': 'screens[5].answerFrom: "constructor" is a name every JavaScript object has, not a claim a lesson may name',
    'title-blank': '"title": must be a non-empty string',
    'missing-summary': '"summary": must be a non-empty string',
    'missing-screens': '"screens": must be a non-empty list',
    'screens-empty': '"screens": must be a non-empty list',
    'screen-not-object': 'screens[0]: must be an object',
    'screen-missing-type': 'screens[0].type: must be "text", "run" or "question"',
    'screen-type-unknown': 'screens[0].type: must be "text", "run" or "question"',
    'screen-title-number': 'screens[0].title: must be a string',
    'text-body-missing': 'screens[0].body: must be a non-empty list of paragraphs',
    'text-body-string': 'screens[0].body: must be a non-empty list of paragraphs',
    'text-body-blank-paragraph': 'screens[0].body: must be a non-empty list of paragraphs',
    'run-demo-unknown': 'screens[3].demo: must be one of practice-requests,',
    'run-neither-command-nor-demo': 'screens[1]: a run screen gives either "command" (a jwt-vs-oauth command it runs) or "demo" (a named demo), exactly one of the two',
    'run-both-command-and-demo': 'screens[3]: a run screen gives either "command" (a jwt-vs-oauth command it runs) or "demo" (a named demo), exactly one of the two',
    'run-command-not-ours': 'screens[2].command: must be a "jwt-vs-oauth …" command',
    'run-unknown-field': 'screens[2].action: is not a field of a command step (it has type, title, body, after, command, save, with)',
    'run-demo-with-save': 'screens[3].save: is not a field of a demo step (it has type, title, body, after, demo, args)',
    'run-demo-arg-unknown': 'screens[3].args.extra: is not an argument of the tamper demo (it takes token, claim, value, save)',
    'run-demo-arg-not-string': 'screens[3].args.value: must be a non-empty string',
    'run-demo-arg-missing': 'screens[3].args.save: the tamper demo needs it',
    'run-with-unknown': 'screens[2].with: must be "mock-google" or "sign-in"',
    'run-save-not-a-name': 'screens[1].save: must be a name such as "token" or "foodToken"',
    'run-args-array': 'screens[3].args: must be an object',
    'run-body-missing': 'screens[3].body: must be a non-empty list of paragraphs',
    'question-kind-unknown': 'screens[4].kind: must be "choice" or "value"',
    'question-missing-kind': 'screens[4].kind: must be "choice" or "value"',
    'question-prompt-blank': 'screens[4].prompt: must be a non-empty string',
    'question-missing-explanation': 'screens[4].explanation: must say why the answer is right',
    'choice-one-choice': 'screens[4].choices: must list at least two choices',
    'choice-eleven-choices': 'screens[4].choices: lists 11 choices; at most 10 (a to j), one letter each',
    'choice-answer-negative': 'screens[4].answer: must be the index of one of the choices (from 0)',
    'choice-answer-string': 'screens[4].answer: must be the index of one of the choices (from 0)',
    'value-answer-from-missing': 'screens[5].answerFrom: must look like "token:<saved name>.payload.<claim>"',
    'value-answer-from-bad': 'screens[5].answerFrom: must look like "token:<saved name>.payload.<claim>"',
  },
  exercise: {
    'not-an-object': 'the file: must hold one JSON object',
    'missing-id': '"id": must be lower-case letters, digits and dashes',
    'id-with-space': '"id": must be lower-case letters, digits and dashes',
    'title-blank': '"title": must be a non-empty string',
    'title-with-name': '"title": "{{sub}}" is not a name this exercise fills',
    'topic-unknown': '"topic": must be one of read-a-token,',
    'task-empty': '"task": must be a non-empty list of paragraphs',
    'task-unknown-name': '"task[0]": "{{tokne}}" is not a name this exercise fills',
    'task-prototype-name': '"task[0]": "{{constructor}}" is not a name this exercise fills',
    'hints-missing': '"hints": must list at least one hint',
    'hint-name-without-material': '"hints[0]": "{{token}}" is not a name this exercise fills; it has no material',
    'hint-number': '"hints": must list at least one hint',
    'choices-one': '"choices": must list at least two choices',
    'choices-with-name': '"choices[1]": "{{name}}" is not a name this exercise fills',
    'choice-why-without-choices': '"choiceWhy": explains the choices, so it needs "choices"',
    'choice-why-blank': '"choiceWhy": must give one non-empty explanation for each choice',
    'choice-check-without-choices': '"choices": a choice check needs the choices',
    'choice-answer-negative': '"check.answer": must be the index of one of the choices (from 0)',
    'choice-answer-missing': '"check.answer": must be the index of one of the choices (from 0)',
    'choice-check-with-mistakes': '"check.mistakes": only an answer check lists known mistakes; a choice check has none',
    'needs-browser': '"needs": can only be "provider"',
    'reveal-after-too-many': '"revealAfter": must be a whole number of failed attempts from 0',
    'reveal-after-fraction': '"revealAfter": must be a whole number of failed attempts from 0',
    'material-kind-unknown': '"material.kind": must be one of token,',
    'material-string': '"material.kind": must be one of token,',
    'material-pool-unknown-flaw': '"material.pool": must list flaws from alg-none,',
    'material-pool-empty': '"material.pool": must list flaws from alg-none,',
    'key-confusion-with-hmac-issuer': '"material.pool": key-confusion does not fit',
    'weak-secret-with-rsa-issuer': '"material.pool": weak-secret does not fit',
    'material-name-of-another-kind': '"task[1]": "{{flaw}}" is not a name this exercise fills',
    'solution-missing': '"solution": must be an object with "explain" and "answers"',
    'solution-explain-empty': '"solution.explain": must say how to solve it',
    'solution-answers-missing': '"solution.answers": must list the answers to submit (strings)',
    'solution-answers-number': '"solution.answers": must list the answers to submit (strings)',
    'solution-commands-empty': '"solution.commands": must list jwt-vs-oauth commands',
    'output-without-commands': '"solution.answers[0]": "{{output.1}}" is not a name this exercise fills',
    'check-missing': '"check": must be an object with a "kind"',
    'check-kind-unknown': '"check.kind": must be one of answer, choice, token-rules, provider-token, pkce-pair',
    'answer-without-expected-or-pattern': '"check": an answer check needs "expected" or "pattern"',
    'answer-expected-blank': '"check": an answer check needs "expected" or "pattern"',
    'answer-pattern-too-long': '"check.pattern": is 513 characters long; a pattern may have at most 512',
    'answer-pattern-number': '"check.pattern": must be a non-empty string',
    'expected-in-words-with-name': '"check.expectedInWords": "{{sub}}" is not a name this exercise fills',
    'expected-in-words-blank': '"check.expectedInWords": must say in words what the answer is',
    'expected-unknown-name': '"check.expected": "{{subject}}" is not a name this exercise fills',
    'mistakes-empty': '"check.mistakes": must list known wrong answers',
    'mistakes-too-many': '"check.mistakes": lists 51 known wrong answers; a check may list at most 50',
    'mistake-without-why': '"check.mistakes[0].why": must say in words why such an answer is wrong',
    'mistake-not-object': '"check.mistakes[0]": must be an object with "pattern" and "why"',
    'token-rules-without-secret': '"check.secret": must give the secret',
    'token-rules-alg-number': '"check.alg": must name the algorithm',
    'token-rules-max-lifetime-zero': '"check.maxLifetime": must be a whole number above 0',
    'token-rules-min-secret-bytes-string': '"check.minSecretBytes": must be a whole number above 0',
    'token-rules-require-random-secret-string': '"check.requireRandomSecret": must be true or false',
    'token-rules-claims-array': '"check.claims": must be an object of claim names and values',
    'token-rules-aud-blank': '"check.aud": must be a non-empty string',
    'provider-token-without-scope': '"check.scope": must name the scope the token must carry',
    'pkce-pair-without-verifier': '"check.verifier": must give the verifier',
  },
  pack: {
    'not-an-object': 'the file: must hold one JSON object',
    'unknown-setting': '"reveal": is not a pack setting',
    'schema-not-a-string': '"$schema": must be a string',
    'reveal-after-negative': '"revealAfter": must be a whole number of failed attempts from 0',
    'reveal-after-string': '"revealAfter": must be a whole number of failed attempts from 0',
    'teacher-key-garbage': '"teacherKey": is not a teacher key',
    'teacher-key-number': '"teacherKey": is not a teacher key',
  },
};

const fixtureNames = (kind: Kind, verdict: 'good' | 'bad' | 'gap') => readdirSync(join(FIXTURES, kind, verdict)).filter((name) => name.endsWith('.json')).map((name) => name.slice(0, -'.json'.length)).sort();
const fixture = (kind: Kind, verdict: 'good' | 'bad' | 'gap', name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, kind, verdict, `${name}.json`), 'utf8'));

describe.each(['lesson', 'exercise', 'pack'] as const)('%s fixtures: the schema and the validator agree', (kind) => {
  it('every bad fixture has its row in the table, and every row its fixture', () => {
    expect(fixtureNames(kind, 'bad')).toEqual(Object.keys(BAD[kind]).sort());
  });

  it.each(fixtureNames(kind, 'good'))('good/%s: both accept', (name) => {
    const json = fixture(kind, 'good', name);
    expect(byValidator(kind, json)).toEqual({ ok: true, message: '' });
    expect(bySchema(kind, json)).toEqual({ ok: true, why: '' });
  });

  it.each(Object.entries(BAD[kind]))('bad/%s: both refuse; the validator says %s', (name, says) => {
    const json = fixture(kind, 'bad', name);
    const validator = byValidator(kind, json);
    expect(validator.ok).toBe(false);
    expect(validator.message).toContain(says);
    expect(bySchema(kind, json).ok).toBe(false);
  });
});

/**
 * The rules a JSON Schema cannot state (a count across fields, the command allowlist, what a
 * regular expression is, the scrypt costs), listed in each schema's description: the schema
 * accepts what the validator refuses for them, and only for them. Each has a fixture in gap/.
 */
const GAP: Record<Kind, Record<string, string>> = {
  lesson: {
    'choice-answer-past-the-choices': 'screens[4].answer: must be the index of one of the choices (from 0)',
    'command-option-not-allowed': 'screens[2].command: uses --verbose, which is not an option a lesson command may use with decode',
    'command-subcommand-not-allowed': 'screens[2].command: is not a jwt-vs-oauth decode, mint or verify command',
    'command-unknown-name': 'screens[2].command: {{tokn}} is made by no earlier screen of this lesson (made so far: token)',
    'command-name-made-later': 'screens[1].command: {{token}} is made by no earlier screen of this lesson (made so far: nothing)',
    'command-name-inside-a-word': 'screens[2].command: puts a {{name}} inside a longer word ("x{{token}}"); a {{name}} must be a word of its own',
    'run-demo-token-not-saved': 'screens[3].args.token: reads "decoded", which no earlier screen of this lesson saves (saved so far: token)',
    'value-answer-from-not-saved': 'screens[5].answerFrom: reads "tampered2", which no earlier screen of this lesson saves (saved so far: token, tampered)',
    'command-discover-without-mock-google': 'screens[2].command: uses --discover, which reaches the network; only a step that runs Mock Google ("with": "mock-google") may use it, as --discover {{issuer}}',
  },
  exercise: {
    'choice-answer-past-the-choices': '"check.answer": must be the index of one of the choices (from 0)',
    'choice-why-count': '"choiceWhy": must give one non-empty explanation for each choice, in their order (2)',
    'solution-command-option-not-allowed': 'uses --jwks, which reaches the network',
    'output-of-a-later-command': '"solution.answers[0]": "{{output.2}}" is not a name this exercise fills',
    'pattern-not-a-regular-expression': '"check.pattern": is not a valid regular expression',
    'pattern-too-long-in-utf16': '"check.pattern": is 600 characters long; a pattern may have at most 512',
  },
  pack: {
    'teacher-key-too-cheap': '"teacherKey": asks for scrypt costs ln=10, r=8, p=1, outside what is accepted',
  },
};
/** The validator's messages for those rules, the only ones where the schema may be more lenient. */
const GAP_MESSAGES: RegExp[] = [
  /must be the index of one of the choices \(from 0\)/,
  /: reads "[a-z][A-Za-z0-9]*", which no earlier screen of this lesson saves/,
  /must give one non-empty explanation for each choice/,
  /\.command: (?!must be a "jwt-vs-oauth …" command)/,
  /solution command \d+ \(/,
  /"\{\{output\.\d+\}\}" is not a name this exercise fills/,
  /is not a valid regular expression/,
  /is \d+ characters long; a pattern may have at most/,
  /"teacherKey": asks for scrypt costs/,
];

describe.each(['lesson', 'exercise', 'pack'] as const)('%s: what the schema cannot see', (kind) => {
  it('every gap fixture has its row in the table', () => {
    expect(fixtureNames(kind, 'gap')).toEqual(Object.keys(GAP[kind]).sort());
  });

  it.each(Object.entries(GAP[kind]))('gap/%s: the schema accepts; the validator says %s', (name, says) => {
    const json = fixture(kind, 'gap', name);
    expect(bySchema(kind, json)).toEqual({ ok: true, why: '' });
    const validator = byValidator(kind, json);
    expect(validator.ok).toBe(false);
    expect(validator.message).toContain(says);
    expect(GAP_MESSAGES.some((gap) => gap.test(validator.message))).toBe(true);
  });
});

it('every message the schema may be more lenient about has a gap fixture', () => {
  const messages = (['lesson', 'exercise', 'pack'] as const).flatMap((kind) => Object.keys(GAP[kind]).map((name) => byValidator(kind, fixture(kind, 'gap', name)).message));
  for (const gap of GAP_MESSAGES) expect(messages.some((message) => gap.test(message)), String(gap)).toBe(true);
});

/** The path to every object key in a JSON tree (array items are walked into, never removed: that would shift indexes). */
function objectKeys(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, index) => objectKeys(item, [...path, index]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => [[...path, key], ...objectKeys(item, [...path, key])]);
}
function changed(json: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(json) as any;
  let at = copy;
  for (const step of path.slice(0, -1)) at = at[step];
  if (value === undefined) delete at[path.at(-1)!];
  else at[path.at(-1)!] = value;
  return copy;
}

describe('the schema is never stricter than the validator: every shipped file with one key removed or retyped', () => {
  const REPLACEMENTS: unknown[] = [undefined, null, true, 0, -1, 1.5, '', ' ', 'x', [], ['x'], {}];
  it.each(realFiles.map((entry) => [entry.file, entry] as const))('%s', (_file, { kind, json }) => {
    const disagreements: string[] = [];
    let cases = 0;
    for (const path of objectKeys(json)) {
      for (const replacement of REPLACEMENTS) {
        const mutant = changed(json, path, replacement);
        const schema = bySchema(kind, mutant);
        const validator = byValidator(kind, mutant);
        cases++;
        if (schema.ok === validator.ok) continue;
        const what = `${path.join('.')} = ${JSON.stringify(replacement) ?? '(removed)'}`;
        if (!schema.ok) disagreements.push(`${what}: the schema refuses (${schema.why}) what the validator accepts`);
        else if (!GAP_MESSAGES.some((gap) => gap.test(validator.message))) disagreements.push(`${what}: the schema accepts what the validator refuses: ${validator.message}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(cases).toBeGreaterThan(50);
  });
});

describe('scripts/add-schema-lines.mjs', () => {
  const script = join(ROOT, 'scripts', 'add-schema-lines.mjs');
  const run = (args: string[]) => {
    const result = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
    return { status: result.status, stderr: result.stderr };
  };

  it('adds "$schema" as the first key of every lesson, exercise and pack.json file of a copy, one line each, and a second run changes nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'schema-lines-'));
    cpSync(join(ROOT, 'lessons'), join(root, 'lessons'), { recursive: true });
    // The copy as it was before the script ran, whether or not lessons/ has the lines by now.
    for (const file of [...realFiles.map((entry) => entry.file), PACK_SETTINGS]) writeFileSync(join(root, file), readFileSync(join(root, file), 'utf8').replace(/^\{\n {2}"\$schema": "[^"]*",\n/, '{\n'));
    // A one-line file and an empty object keep their style too.
    writeFileSync(join(root, 'lessons', 'example-pack', '03-one-line.json'), '{"id": "one-line", "title": "T"}\n');
    const before = new Map(realFiles.map(({ file }) => [file, readFileSync(join(root, file), 'utf8')]));
    const packSettings = readFileSync(join(root, PACK_SETTINGS), 'utf8');
    // Every lesson and exercise file of lessons/, pack.json and the one-line file: the count follows the lessons added.
    const files = realFiles.length + 2;

    const check = run(['--root', root, '--check']);
    expect(check.status).toBe(1);
    expect(check.stderr).toContain(`${files} files lack the "$schema" line: run node scripts/add-schema-lines.mjs`);
    expect(run(['--root', root])).toEqual({ status: 0, stderr: `Added the "$schema" line to ${files} files; 0 had it already.\n` });

    for (const { file, kind } of realFiles) {
      const after = readFileSync(join(root, file), 'utf8');
      const lines = after.split('\n');
      expect(lines[1], file).toBe(`  "$schema": "${schemaPathFor(kind)}",`);
      expect([lines[0], ...lines.slice(2)].join('\n'), file).toBe(before.get(file));
      const json = JSON.parse(after) as Json;
      expect(Object.keys(json)[0]).toBe('$schema');
      expect(byValidator(kind, json, file)).toEqual({ ok: true, message: '' });
      expect(bySchema(kind, json).ok).toBe(true);
    }
    expect(readFileSync(join(root, 'lessons', 'example-pack', '03-one-line.json'), 'utf8')).toBe('{"$schema": "../schema/exercise.schema.json", "id": "one-line", "title": "T"}\n');
    // pack.json gets the pack's schema, one line, and still loads.
    const packLines = readFileSync(join(root, PACK_SETTINGS), 'utf8').split('\n');
    expect(packLines[1]).toBe('  "$schema": "../schema/pack.schema.json",');
    expect([packLines[0], ...packLines.slice(2)].join('\n')).toBe(packSettings);
    expect(loadPackSettings(join(root, 'lessons', 'example-pack'))).toEqual({ $schema: '../schema/pack.schema.json', revealAfter: 2 });
    expect(bySchema('pack', JSON.parse(packLines.join('\n'))).ok).toBe(true);

    const once = new Map(readdirSync(join(root, 'lessons', 'tutorial')).map((name) => [name, readFileSync(join(root, 'lessons', 'tutorial', name), 'utf8')]));
    expect(run(['--root', root])).toEqual({ status: 0, stderr: `Added the "$schema" line to 0 files; ${files} had it already.\n` });
    for (const [name, text] of once) expect(readFileSync(join(root, 'lessons', 'tutorial', name), 'utf8')).toBe(text);
    expect(run(['--root', root, '--check']).status).toBe(0);
  });
});

it('a pack.json with its "$schema" line loads, and teacher-key --write keeps the line first', async () => {
  const pack = mkdtempSync(join(tmpdir(), 'pack-schema-line-'));
  cpSync(join(ROOT, 'lessons', 'example-pack'), pack, { recursive: true });
  writeFileSync(join(pack, 'pack.json'), '{\n  "$schema": "../schema/pack.schema.json",\n  "revealAfter": 2\n}\n');
  const listed = await runCli(['ex', '--pack', pack, 'list', '--json'], { env: { JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'pack-schema-home-')) } });
  expect(listed.stderr).toBe('');
  expect(listed.code).toBe(0);
  const written = await runCli(['ex', '--pack', pack, 'teacher-key', '--write'], { stdin: 'correct horse battery staple' });
  expect(written.code).toBe(0);
  expect(written.stdout).toBe(`Wrote ${join(pack, 'pack.json')}: teacherKey added; kept $schema, revealAfter.\n`);
  const settings = JSON.parse(readFileSync(join(pack, 'pack.json'), 'utf8')) as Json;
  expect(Object.keys(settings)).toEqual(['$schema', 'revealAfter', 'teacherKey']);
  expect(settings.$schema).toBe('../schema/pack.schema.json');
}, 20_000);

it('the package ships the schemas, where a teacher\'s "$schema" line or editor setting points', () => {
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
  expect(packed.status).toBe(0);
  const [{ files }] = JSON.parse(packed.stdout) as [{ files: Array<{ path: string }> }];
  expect(files.map((file) => file.path).filter((path) => path.startsWith('lessons/schema/')).sort()).toEqual(['lessons/schema/exercise.schema.json', 'lessons/schema/lesson.schema.json', 'lessons/schema/pack.schema.json']);
});

// Fails until `node scripts/add-schema-lines.mjs` has been run on lessons/ (issue #14, Authoring).
it('every shipped lesson, exercise and pack.json file starts with its "$schema" line', () => {
  const packSettings = { file: PACK_SETTINGS, kind: 'pack' as const, json: readJsonFile(join(ROOT, PACK_SETTINGS), 'ERR_TEST') as Json };
  const lacking = [...realFiles, packSettings].filter(({ kind, json }) => Object.keys(json)[0] !== '$schema' || json.$schema !== schemaPathFor(kind)).map(({ file }) => file);
  expect(lacking, 'run: node scripts/add-schema-lines.mjs').toEqual([]);
});
