// The lesson format: lessons are JSON data a teacher can edit without touching code. This file
// says what a lesson may contain and checks a file against it, naming the file and the field.

import { LETTERS, MAX_CHOICES } from './choices.js';
import { demoSpec, DEMO_NAMES, isDemoName, SIGN_IN_NAMES, type DemoName } from './demo-names.js';
import { LESSON_COMMAND_HINT, lessonCommandProblem, lessonCommandReferences } from './solution-commands.js';
import { failFor, isObject, isText, isTextList, unknownKey, type Fail } from './validation.js';

export interface TextScreen {
  type: 'text';
  title?: string;
  body: string[];
}

/** What a command step needs running around it: Mock Google for this step, or a sign-in's tokens. */
export type StepNeeds = 'mock-google' | 'sign-in';

/**
 * The names a step's `with` provides for its command: "mock-google" starts Mock Google for this
 * step and signs Asha in there ({{issuer}}, {{api}}: the audience its userinfo API answers to, and
 * that sign-in's tokens); "sign-in" makes sure a sign-in's tokens exist (signing in quietly if not).
 */
export const NAMES_PROVIDED: Readonly<Record<StepNeeds, readonly string[]>> = {
  'mock-google': ['issuer', 'api', ...SIGN_IN_NAMES],
  'sign-in': SIGN_IN_NAMES,
};

/** A hands-on step that runs the jwt-vs-oauth command it shows (lesson-steps.ts), its {{names}} filled from earlier steps. */
export interface CommandScreen {
  type: 'run';
  title?: string;
  body: string[];
  /** The command, run in-process and shown with its output; allowlisted (solution-commands.ts). */
  command: string;
  /** Keep the command's trimmed output under this name, for {{name}} in later commands. */
  save?: string;
  with?: StepNeeds;
  /** Paragraphs shown after the step's output. */
  after?: string[];
}

/** A hands-on step that is not a CLI command: a named demo (demo-names.ts) that returns what to show. */
export interface DemoScreen {
  type: 'run';
  title?: string;
  body: string[];
  demo: DemoName;
  args?: Record<string, string>;
  after?: string[];
}

/** A hands-on step: a command step or a demo, exactly one of the two. */
export type RunScreen = CommandScreen | DemoScreen;

/** Whether a run screen runs a command (else it runs a demo). */
export const isCommandScreen = (screen: RunScreen): screen is CommandScreen => 'command' in screen;

export interface ChoiceQuestion {
  type: 'question';
  kind: 'choice';
  prompt: string;
  choices: string[];
  /** Index of the right choice. */
  answer: number;
  explanation: string;
}

/** Type a value read off something the lesson showed; the answer is a reference like "token:oauthAccess.payload.scope". */
export interface ValueQuestion {
  type: 'question';
  kind: 'value';
  prompt: string;
  answerFrom: string;
  explanation: string;
}

export type Screen = TextScreen | RunScreen | ChoiceQuestion | ValueQuestion;

export interface Lesson {
  id: string;
  number: number;
  title: string;
  summary: string;
  screens: Screen[];
  /** The file it came from, for messages. */
  file: string;
}

/** A saved name: a camel-cased word, as {{name}} in a command and "$NAME" on screen. */
export const SAVED_NAME = /^[a-z][A-Za-z0-9]*$/;

/** A claim a lesson names (tamper's claim, a value question's): a letter, then letters, digits and _. */
export const CLAIM_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A value question's answerFrom: "token:<saved name>.<payload|header>.<claim>". */
export const ANSWER_FROM = /^token:([a-z][A-Za-z0-9]*)\.(payload|header)\.([A-Za-z][A-Za-z0-9_]*)$/;

/** Names every JavaScript object has ("constructor", "toString", "__proto__"): never a saved name or a claim a lesson names. */
export const OBJECT_NAMES: readonly string[] = Object.getOwnPropertyNames(Object.prototype).sort();

/** The names the engine makes itself (a sign-in's tokens, Mock Google's issuer and API): no step saves over them. */
export const ENGINE_NAMES: readonly string[] = [...new Set(Object.values(NAMES_PROVIDED).flat())].sort();

/** The highest lesson number: two digits, as the file names have them. */
export const MAX_LESSON_NUMBER = 99;

const SAVE_NAME_RULE = 'must be a name such as "token" or "foodToken" (a letter, then letters and digits)';

/** Why `name` may not be a name a step saves under, or undefined when it may. */
function saveNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !SAVED_NAME.test(name)) return SAVE_NAME_RULE;
  if (OBJECT_NAMES.includes(name)) return `"${name}" is a name every JavaScript object has; choose another, such as "token" or "foodToken"`;
  if (ENGINE_NAMES.includes(name)) return `"${name}" is a name jwt-vs-oauth makes itself (${ENGINE_NAMES.join(', ')}); a step may not save over it: choose another, such as "myToken"`;
  return undefined;
}

/** Why `name` may not be a claim a lesson names, or undefined when it may. */
function claimNameProblem(name: string): string | undefined {
  if (!CLAIM_NAME.test(name)) return 'must be a plain claim name such as "sub" or "role" (a letter, then letters, digits and _)';
  if (OBJECT_NAMES.includes(name)) return `"${name}" is a name every JavaScript object has, not a claim a lesson may name`;
  return undefined;
}

/** A saved name read before any earlier screen of this lesson made it, said with what was made so far. */
const notMadeYet = (name: string, made: readonly string[]) => `reads "${name}", which no earlier screen of this lesson saves (saved so far: ${made.length ? [...new Set(made)].join(', ') : 'nothing'})`;

/** Only a token, one line, can be saved: what mint (or sign) prints without --json. */
export const SAVES_A_TOKEN = /^jwt-vs-oauth (mint|sign)\b(?!.*\s--json\b)/;

const TOP_FIELDS = ['$schema', 'id', 'number', 'title', 'summary', 'screens'];
const TEXT_FIELDS = ['type', 'title', 'body'];
const QUESTION_FIELDS = { choice: ['type', 'kind', 'prompt', 'choices', 'answer', 'explanation'], value: ['type', 'kind', 'prompt', 'answerFrom', 'explanation'] } as const;
const RUN_FIELDS = ['type', 'title', 'body', 'after'];
const COMMAND_FIELDS = [...RUN_FIELDS, 'command', 'save', 'with'];
const DEMO_FIELDS = [...RUN_FIELDS, 'demo', 'args'];

export function validateLesson(json: unknown, file: string): Lesson {
  const fail: Fail = failFor('ERR_LESSON_FILE', file);
  if (!isObject(json)) fail('the file', 'must hold one JSON object');
  const lesson = json;
  const extra = unknownKey(lesson, TOP_FIELDS);
  if (extra !== undefined) fail(`"${extra}"`, `is not a field of a lesson (it has ${TOP_FIELDS.join(', ')})`);
  if (typeof lesson.id !== 'string' || !/^[a-z0-9-]+$/.test(lesson.id)) fail('"id"', 'must be lower-case letters, digits and dashes');
  if (!Number.isInteger(lesson.number) || (lesson.number as number) < 1 || (lesson.number as number) > MAX_LESSON_NUMBER) fail('"number"', `must be a whole number from 1 to ${MAX_LESSON_NUMBER}`);
  for (const field of ['title', 'summary']) {
    if (!isText(lesson[field])) fail(`"${field}"`, 'must be a non-empty string');
  }
  if (!Array.isArray(lesson.screens) || lesson.screens.length === 0) fail('"screens"', 'must be a non-empty list');
  // The names earlier screens of this lesson make, in order: a command may use only these (and what its `with` provides).
  const made: string[] = [];
  const screens = (lesson.screens as unknown[]).map((screen, index) => validateScreen(screen, fail, `screens[${index}]`, made));
  return { id: lesson.id as string, number: lesson.number as number, title: lesson.title as string, summary: lesson.summary as string, screens, file };
}

/**
 * A command step: its command keeps to the lesson allowlist (a lesson file is data: it can read
 * no file, write none and reach no network but the Mock Google its step runs), and each {{name}}
 * is one an earlier screen of this lesson made or its `with` provides.
 */
function validateCommandScreen(screen: Record<string, unknown>, fail: Fail, where: string, made: string[]): CommandScreen {
  const extra = unknownKey(screen, COMMAND_FIELDS);
  if (extra !== undefined) fail(`${where}.${extra}`, `is not a field of a command step (it has ${COMMAND_FIELDS.join(', ')})`);
  if (typeof screen.command !== 'string' || !screen.command.startsWith('jwt-vs-oauth ')) fail(`${where}.command`, 'must be a "jwt-vs-oauth …" command');
  if (screen.with !== undefined && !Object.hasOwn(NAMES_PROVIDED, screen.with as string)) fail(`${where}.with`, 'must be "mock-google" or "sign-in"');
  const saveProblem = screen.save === undefined ? undefined : saveNameProblem(screen.save);
  if (saveProblem !== undefined) fail(`${where}.save`, saveProblem);
  if (screen.save !== undefined && !SAVES_A_TOKEN.test(screen.command)) fail(`${where}.save`, 'a step saves a token, one line: only a mint (or sign) command without --json prints one (decode and verify print many lines)');
  const needs = screen.with as StepNeeds | undefined;
  const problem = lessonCommandProblem(screen.command, { mockGoogle: needs === 'mock-google' });
  if (problem !== undefined) fail(`${where}.command`, problem, LESSON_COMMAND_HINT);
  const known = [...made, ...(needs ? NAMES_PROVIDED[needs] : [])];
  for (const name of lessonCommandReferences(screen.command)) {
    if (!known.includes(name)) fail(`${where}.command`, `{{${name}}} is made by no earlier screen of this lesson (made so far: ${known.length ? [...new Set(known)].join(', ') : 'nothing'})`);
  }
  if (typeof screen.save === 'string') made.push(screen.save);
  // A sign-in's tokens stay saved after a "sign-in" step (step-tokens.ts: tokensMadeBy).
  if (needs === 'sign-in') made.push(...NAMES_PROVIDED['sign-in']);
  return screen as unknown as CommandScreen;
}

/** A demo step: a demo demo-names.ts lists, with only the args it takes, each a string, the required ones given. */
function validateDemoScreen(screen: Record<string, unknown>, fail: Fail, where: string, made: string[]): DemoScreen {
  const extra = unknownKey(screen, DEMO_FIELDS);
  if (extra !== undefined) fail(`${where}.${extra}`, `is not a field of a demo step (it has ${DEMO_FIELDS.join(', ')})`);
  if (!isDemoName(screen.demo)) fail(`${where}.demo`, `must be one of ${DEMO_NAMES.join(', ')}`);
  const spec = demoSpec(screen.demo);
  if (screen.args !== undefined && !isObject(screen.args)) fail(`${where}.args`, 'must be an object');
  const args = (screen.args ?? {}) as Record<string, unknown>;
  const takes = Object.keys(spec.args);
  const unknown = unknownKey(args, takes);
  if (unknown !== undefined) fail(`${where}.args.${unknown}`, `is not an argument of the ${screen.demo} demo (${takes.length ? `it takes ${takes.join(', ')}` : 'it takes none'})`);
  for (const [name, arg] of Object.entries(spec.args)) {
    if (args[name] === undefined) {
      if (arg.required) fail(`${where}.args.${name}`, `the ${screen.demo} demo needs it: ${arg.description}`);
      continue;
    }
    if (!isText(args[name])) fail(`${where}.args.${name}`, 'must be a non-empty string');
  }
  if (typeof args.save === 'string') {
    const problem = saveNameProblem(args.save);
    if (problem !== undefined) fail(`${where}.args.save`, problem);
  }
  if (typeof args.token === 'string') {
    if (!SAVED_NAME.test(args.token)) fail(`${where}.args.token`, SAVE_NAME_RULE);
    if (!made.includes(args.token)) fail(`${where}.args.token`, notMadeYet(args.token, made));
  }
  if (typeof args.claim === 'string') {
    const problem = claimNameProblem(args.claim);
    if (problem !== undefined) fail(`${where}.args.claim`, problem);
  }
  made.push(...spec.makes(args as Record<string, string>));
  return screen as unknown as DemoScreen;
}

function validateRunScreen(screen: Record<string, unknown>, fail: Fail, where: string, made: string[]): RunScreen {
  if (!isTextList(screen.body)) fail(`${where}.body`, 'must be a non-empty list of paragraphs');
  if (screen.after !== undefined && !isTextList(screen.after)) fail(`${where}.after`, 'must be a non-empty list of paragraphs');
  const hasCommand = screen.command !== undefined;
  if (hasCommand === (screen.demo !== undefined)) fail(where, 'a run screen gives either "command" (a jwt-vs-oauth command it runs) or "demo" (a named demo), exactly one of the two');
  return hasCommand ? validateCommandScreen(screen, fail, where, made) : validateDemoScreen(screen, fail, where, made);
}

function validateScreen(value: unknown, fail: Fail, where: string, made: string[]): Screen {
  if (!isObject(value)) fail(where, 'must be an object');
  const screen = value;
  if (screen.title !== undefined && typeof screen.title !== 'string') fail(`${where}.title`, 'must be a string');
  switch (screen.type) {
    case 'text': {
      const extra = unknownKey(screen, TEXT_FIELDS);
      if (extra !== undefined) fail(`${where}.${extra}`, `is not a field of a text screen (it has ${TEXT_FIELDS.join(', ')}; "after" belongs to a run screen)`);
      if (!isTextList(screen.body)) fail(`${where}.body`, 'must be a non-empty list of paragraphs');
      return screen as unknown as TextScreen;
    }
    case 'run':
      return validateRunScreen(screen, fail, where, made);
    case 'question': {
      if (screen.kind === 'choice' || screen.kind === 'value') {
        const fields = QUESTION_FIELDS[screen.kind];
        const extra = unknownKey(screen, fields);
        if (extra !== undefined) fail(`${where}.${extra}`, `is not a field of a ${screen.kind} question (it has ${fields.join(', ')})`);
      }
      if (!isText(screen.prompt)) fail(`${where}.prompt`, 'must be a non-empty string');
      if (!isText(screen.explanation)) fail(`${where}.explanation`, 'must say why the answer is right');
      if (screen.kind === 'choice') {
        if (!isTextList(screen.choices, 2)) fail(`${where}.choices`, 'must list at least two choices');
        if (screen.choices.length > MAX_CHOICES) fail(`${where}.choices`, `lists ${screen.choices.length} choices; at most ${MAX_CHOICES} (a to ${LETTERS[MAX_CHOICES - 1]}), one letter each`);
        if (!Number.isInteger(screen.answer) || (screen.answer as number) < 0 || (screen.answer as number) >= screen.choices.length) fail(`${where}.answer`, 'must be the index of one of the choices (from 0)');
        return screen as unknown as ChoiceQuestion;
      }
      if (screen.kind === 'value') {
        const match = typeof screen.answerFrom === 'string' ? ANSWER_FROM.exec(screen.answerFrom) : null;
        if (!match) return fail(`${where}.answerFrom`, 'must look like "token:<saved name>.payload.<claim>" (a saved name, then payload or header, then one plain claim name)');
        const claimProblem = claimNameProblem(match[3]!);
        if (claimProblem !== undefined) fail(`${where}.answerFrom`, claimProblem);
        if (!made.includes(match[1]!)) fail(`${where}.answerFrom`, notMadeYet(match[1]!, made));
        return screen as unknown as ValueQuestion;
      }
      return fail(`${where}.kind`, 'must be "choice" or "value"');
    }
    default:
      return fail(`${where}.type`, 'must be "text", "run" or "question"');
  }
}
