// The lesson format: lessons are JSON data a teacher can edit without touching code. This file
// says what a lesson may contain and checks a file against it, naming the file and the field.

import { InputError } from '../errors.js';
import { ACTION_NAMES, COMMAND_ACTIONS } from './action-names.js';
import { commandLineWords, LESSON_COMMAND_HINT, lessonCommandProblem } from './solution-commands.js';

export interface TextScreen {
  type: 'text';
  title?: string;
  body: string[];
}

/** A hands-on step: runs real code in-process (see src/cli/hands-on.ts), optionally showing a command. */
export interface RunScreen {
  type: 'run';
  title?: string;
  body: string[];
  action: string;
  args?: Record<string, unknown>;
  /**
   * The command a learner can type, shown with the output. For mint, verify and decode steps (see
   * COMMAND_ACTIONS) it is what runs, each "$NAME" word filled with a token an earlier step saved,
   * so it must keep to the allowlist in solution-commands.ts (checked when the file loads).
   */
  command?: string;
}

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

function fail(file: string, where: string, problem: string, hint?: string): never {
  throw new InputError('ERR_LESSON_FILE', `${file}: ${where}: ${problem}`, hint);
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item.trim() !== '');
}

export function validateLesson(json: unknown, file: string): Lesson {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(file, 'the file', 'must hold one JSON object');
  const lesson = json as Record<string, unknown>;
  if (typeof lesson.id !== 'string' || !/^[a-z0-9-]+$/.test(lesson.id)) fail(file, '"id"', 'must be lower-case letters, digits and dashes');
  if (!Number.isInteger(lesson.number) || (lesson.number as number) < 1) fail(file, '"number"', 'must be a whole number from 1');
  for (const field of ['title', 'summary']) {
    if (typeof lesson[field] !== 'string' || (lesson[field] as string).trim() === '') fail(file, `"${field}"`, 'must be a non-empty string');
  }
  if (!Array.isArray(lesson.screens) || lesson.screens.length === 0) fail(file, '"screens"', 'must be a non-empty list');
  const screens = (lesson.screens as unknown[]).map((screen, index) => validateScreen(screen, file, `screens[${index}]`));
  return { id: lesson.id as string, number: lesson.number as number, title: lesson.title as string, summary: lesson.summary as string, screens, file };
}

/** The steps that start a Mock Google of their own and fill "$ISSUER" with its address (src/cli/hands-on.ts). */
const MOCK_GOOGLE_ACTIONS: ReadonlySet<string> = new Set(['verify-with-mock-google', 'id-token-to-api']);

/**
 * A step that runs the command it shows needs one, of the kind it runs, and a lesson file is data:
 * the command may use only the allowlisted options, so it can read no file, write none and reach
 * no network but the Mock Google its step runs. The other steps' commands are only shown.
 */
function checkRunCommand(action: string, command: string | undefined, file: string, where: string): void {
  const runs = COMMAND_ACTIONS.get(action);
  if (!runs) return;
  const give = `the ${action} step runs the command it shows: give a "jwt-vs-oauth ${runs.join(' or ')} …" command`;
  if (command === undefined) fail(file, `${where}.command`, give);
  const problem = lessonCommandProblem(command, { mockGoogle: MOCK_GOOGLE_ACTIONS.has(action) });
  if (problem !== undefined) fail(file, `${where}.command`, problem, LESSON_COMMAND_HINT);
  if (!runs.includes(commandLineWords(command)[1]!)) fail(file, `${where}.command`, give);
}

function validateScreen(value: unknown, file: string, where: string): Screen {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, where, 'must be an object');
  const screen = value as Record<string, unknown>;
  if (screen.title !== undefined && typeof screen.title !== 'string') fail(file, `${where}.title`, 'must be a string');
  switch (screen.type) {
    case 'text':
      if (!isStringList(screen.body)) fail(file, `${where}.body`, 'must be a non-empty list of paragraphs');
      return screen as unknown as TextScreen;
    case 'run':
      if (!isStringList(screen.body)) fail(file, `${where}.body`, 'must be a non-empty list of paragraphs');
      if (typeof screen.action !== 'string' || !ACTION_NAMES.includes(screen.action)) fail(file, `${where}.action`, `must be one of ${ACTION_NAMES.join(', ')}`);
      if (screen.args !== undefined && (typeof screen.args !== 'object' || screen.args === null || Array.isArray(screen.args))) fail(file, `${where}.args`, 'must be an object');
      if (screen.command !== undefined && (typeof screen.command !== 'string' || !screen.command.startsWith('jwt-vs-oauth '))) fail(file, `${where}.command`, 'must be a "jwt-vs-oauth …" command');
      checkRunCommand(screen.action, screen.command as string | undefined, file, where);
      return screen as unknown as RunScreen;
    case 'question':
      if (typeof screen.prompt !== 'string' || screen.prompt.trim() === '') fail(file, `${where}.prompt`, 'must be a non-empty string');
      if (typeof screen.explanation !== 'string' || screen.explanation.trim() === '') fail(file, `${where}.explanation`, 'must say why the answer is right');
      if (screen.kind === 'choice') {
        if (!isStringList(screen.choices) || screen.choices.length < 2) fail(file, `${where}.choices`, 'must list at least two choices');
        if (!Number.isInteger(screen.answer) || (screen.answer as number) < 0 || (screen.answer as number) >= screen.choices.length) fail(file, `${where}.answer`, 'must be the index of one of the choices (from 0)');
        return screen as unknown as ChoiceQuestion;
      }
      if (screen.kind === 'value') {
        if (typeof screen.answerFrom !== 'string' || !/^token:[A-Za-z]+\.(payload|header)\.[\w.]+$/.test(screen.answerFrom)) fail(file, `${where}.answerFrom`, 'must look like "token:<saved name>.payload.<claim>"');
        return screen as unknown as ValueQuestion;
      }
      return fail(file, `${where}.kind`, 'must be "choice" or "value"');
    default:
      return fail(file, `${where}.type`, 'must be "text", "run" or "question"');
  }
}
