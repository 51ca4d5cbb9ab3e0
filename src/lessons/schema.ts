// The lesson format: lessons are JSON data a teacher can edit without touching code. This file
// says what a lesson may contain and checks a file against it, naming the file and the field.

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

const RUN_FIELDS = ['type', 'title', 'body', 'after'];
const COMMAND_FIELDS = [...RUN_FIELDS, 'command', 'save', 'with'];
const DEMO_FIELDS = [...RUN_FIELDS, 'demo', 'args'];

export function validateLesson(json: unknown, file: string): Lesson {
  const fail: Fail = failFor('ERR_LESSON_FILE', file);
  if (!isObject(json)) fail('the file', 'must hold one JSON object');
  const lesson = json;
  if (typeof lesson.id !== 'string' || !/^[a-z0-9-]+$/.test(lesson.id)) fail('"id"', 'must be lower-case letters, digits and dashes');
  if (!Number.isInteger(lesson.number) || (lesson.number as number) < 1) fail('"number"', 'must be a whole number from 1');
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
  if (screen.save !== undefined && (typeof screen.save !== 'string' || !SAVED_NAME.test(screen.save))) fail(`${where}.save`, 'must be a name such as "token" or "foodToken" (a letter, then letters and digits)');
  const needs = screen.with as StepNeeds | undefined;
  const problem = lessonCommandProblem(screen.command, { mockGoogle: needs === 'mock-google' });
  if (problem !== undefined) fail(`${where}.command`, problem, LESSON_COMMAND_HINT);
  const known = [...made, ...(needs ? NAMES_PROVIDED[needs] : [])];
  for (const name of lessonCommandReferences(screen.command)) {
    if (!known.includes(name)) fail(`${where}.command`, `{{${name}}} is made by no earlier screen of this lesson (made so far: ${known.length ? [...new Set(known)].join(', ') : 'nothing'})`);
  }
  if (typeof screen.save === 'string') made.push(screen.save);
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
  for (const name of ['save', 'token']) {
    if (typeof args[name] === 'string' && !SAVED_NAME.test(args[name] as string)) fail(`${where}.args.${name}`, 'must be a name such as "token" or "foodToken" (a letter, then letters and digits)');
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
    case 'text':
      if (!isTextList(screen.body)) fail(`${where}.body`, 'must be a non-empty list of paragraphs');
      return screen as unknown as TextScreen;
    case 'run':
      return validateRunScreen(screen, fail, where, made);
    case 'question':
      if (!isText(screen.prompt)) fail(`${where}.prompt`, 'must be a non-empty string');
      if (!isText(screen.explanation)) fail(`${where}.explanation`, 'must say why the answer is right');
      if (screen.kind === 'choice') {
        if (!isTextList(screen.choices, 2)) fail(`${where}.choices`, 'must list at least two choices');
        if (!Number.isInteger(screen.answer) || (screen.answer as number) < 0 || (screen.answer as number) >= screen.choices.length) fail(`${where}.answer`, 'must be the index of one of the choices (from 0)');
        return screen as unknown as ChoiceQuestion;
      }
      if (screen.kind === 'value') {
        if (typeof screen.answerFrom !== 'string' || !/^token:[A-Za-z]+\.(payload|header)\.[\w.]+$/.test(screen.answerFrom)) fail(`${where}.answerFrom`, 'must look like "token:<saved name>.payload.<claim>"');
        return screen as unknown as ValueQuestion;
      }
      return fail(`${where}.kind`, 'must be "choice" or "value"');
    default:
      return fail(`${where}.type`, 'must be "text", "run" or "question"');
  }
}
