// What every `exercises` subcommand shares: the pack folder, the learner's progress and seed,
// and the task as shown. Split out so each group of subcommands lives in its own file.

import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { MARK, warnAll, type Output } from '../output.js';
import { InputError } from '../../errors.js';
import type { Exercise } from '../../lessons/exercise-schema.js';
import type { Progress } from '../../lessons/progress.js';
import type { PackSettings } from '../../lessons/exercises.js';
import { displayWidth, layoutCommand } from '../../text/layout.js';
import { layoutProse, viewWidths, wrapProse } from './exercises-layout.js';

export interface ParentFlags {
  pack?: string;
  seed?: string;
}

import { LETTERS } from '../../lessons/choices.js';

/** The pack folder from --pack, else JWT_VS_OAUTH_PACK (empty there means unset); an empty --pack is a mistake, not "no pack". */
export function packFolder(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag === '') throw new InputError('ERR_EMPTY_PATH', '--pack needs a folder; it was empty.', 'Example: --pack lessons/example-pack');
  return flag ?? (env.JWT_VS_OAUTH_PACK || undefined);
}

/**
 * The longest --seed: as long as a progress file's seed may be (progress.ts), so any learner's
 * seed, as the class report lists it, can be given back with --seed.
 */
export const MAX_SEED_LENGTH = 256;
const SEED_RULE = `A seed is 1 to ${MAX_SEED_LENGTH} characters, not only spaces and not starting or ending with one, with no control or invisible formatting characters (it is printed on terminals and in worksheets). Example: --seed asha-rao`;

/**
 * --seed as given, or refused (exit 2, ERR_BAD_SEED) naming the rule it breaks: the seed is
 * printed on the terminal and into a worksheet's Markdown, where a control character could move
 * the cursor or end a code span, and an invisible one would make two seeds that look the same.
 */
export function checkedSeed(seed: string | undefined): string | undefined {
  if (seed === undefined) return undefined;
  const refuse = (problem: string): never => {
    throw new InputError('ERR_BAD_SEED', `--seed ${problem}.`, SEED_RULE);
  };
  if (seed === '') refuse('was empty');
  const characters = [...seed];
  const unsafe = characters.findIndex((character) => /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u.test(character));
  if (unsafe !== -1) {
    const character = characters[unsafe]!;
    const what = /\p{Cc}/u.test(character) ? 'a control character' : 'an invisible formatting character';
    refuse(`holds ${what}, U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, at character ${unsafe + 1}`);
  }
  if (seed.trim() === '') refuse('was only spaces');
  if (seed.trim() !== seed) refuse(`${/^\s/u.test(seed) ? 'starts' : 'ends'} with a space, which makes another seed than the same text without it`);
  if (characters.length > MAX_SEED_LENGTH) refuse(`has ${characters.length} characters, more than ${MAX_SEED_LENGTH}`);
  return seed;
}

export async function setUp(context: CommandContext, command: Command) {
  const flags = command.optsWithGlobals() as ParentFlags;
  // Before anything is read or written: a seed that is refused leaves no trace.
  const seedFlag = checkedSeed(flags.seed);
  const [{ loadExercises, loadPackSettings, findExercise, materialFor }, paths, { openProgressSayingNotices }, { join }, { languageFrom }] = await Promise.all([
    import('../../lessons/exercises.js'),
    import('../../lessons/paths.js'),
    import('../progress-open.js'),
    import('node:path'),
    import('../../lessons/loader.js'),
  ]);
  const pack = packFolder(flags.pack, context.streams.env);
  // The learner's language from this run's environment (LANG, JWT_VS_OAUTH_LANG), not the process's.
  const exercises = loadExercises(join(paths.lessonsFolder(), 'exercises'), pack, languageFrom(context.streams.env));
  const settings = loadPackSettings(pack);
  const store = await openProgressSayingNotices(context);
  const output = context.output();
  const warn = (messages: string[]) => warnAll(output, messages);
  /** Applies one change to the progress on disk now, under its lock: never writes back an old copy. */
  const change = (apply: (progress: Progress) => void) => warn(store.update(apply));
  // The learner's seed must survive between commands: a new one is saved at once (or the one
  // another process saved meanwhile is read back).
  const { existsSync } = await import('node:fs');
  if (!existsSync(store.file)) change(() => undefined);
  const seed = seedFlag ?? store.progress.seed;
  const touch = (progress: Progress) => {
    const now = new Date(context.now() * 1000).toISOString();
    progress.exercises.firstActivity ??= now;
    progress.exercises.lastActivity = now;
  };
  /** An exercise by id (exit 2 when unknown) and the material made for this learner's seed. */
  const pick = (id: string) => {
    const exercise = findExercise(exercises, id);
    return { exercise, material: materialFor(exercise, seed) };
  };
  /** The folders everyone can read: the lessons folder (tutorial, exercises, example pack) and the pack in use. */
  const publishedIn = [paths.lessonsFolder(), ...(pack ? [pack] : [])];
  return { exercises, settings, store, seed, output, change, touch, pick, pack, publishedIn };
}

/**
 * The task as `show` and `start` print it, laid out to `width` (Infinity: each paragraph on one
 * line). In the exercises menu (`inMenu`) it ends without the commands to answer or get a hint:
 * the menu's own items for them are right below.
 */
export function renderTask(exercise: Exercise, task: string[], output: Output, done: boolean, width: number, inMenu = false): string {
  const c = output.colour;
  const tag = `[${exercise.id} · ${exercise.topic}]${done ? ` ${MARK.ok} done` : ''}`;
  const lines = [...wrapProse(`${c.bold(exercise.title)}  ${c.dim(tag)}`, width), ''];
  for (const paragraph of task) lines.push(...layoutProse(paragraph, width));
  lines.push('');
  exercise.choices?.forEach((choice, index) => lines.push(...wrapProse(choice, width, { lead: `  (${LETTERS[index]}) ` })));
  if (exercise.choices) lines.push('');
  if (inMenu) return lines.slice(0, -1).join('\n');
  const answerCommand = `jwt-vs-oauth exercises check ${exercise.id} ${exercise.answerNames.map((name) => `<${name.replace(' ', '-')}>`).join(' ')}`;
  const hintCommand = `jwt-vs-oauth exercises hint ${exercise.id}`;
  const together = `Answer with: ${answerCommand}   ·   a hint: ${hintCommand}`;
  // Too wide for one line: the two commands on lines of their own, each broken only between arguments.
  const footer = displayWidth(together) <= width ? [together] : [...layoutCommand(answerCommand, width, { lead: 'Answer with: ', hang: '    ' }), ...layoutCommand(hintCommand, width, { lead: 'a hint: ', hang: '    ' })];
  lines.push(...footer.map((line) => c.dim(line)));
  return lines.join('\n');
}

/** The environment variable a teacher may set to the passphrase instead of typing it. */
export const TEACHER_KEY_VARIABLE = 'JWT_VS_OAUTH_TEACHER_KEY';

/**
 * Lets --teacher through: with no teacherKey in the pack, at once, saying on stderr that it is
 * open; else only with the passphrase, from JWT_VS_OAUTH_TEACHER_KEY or asked on a terminal.
 * A wrong or missing passphrase is refused (exit 2).
 */
export async function confirmTeacher(context: CommandContext, output: Output, settings: PackSettings): Promise<void> {
  if (settings.teacherKey === undefined) {
    for (const line of wrapProse('No teacher key is set (no pack with a teacherKey in its pack.json), so --teacher is open to anyone.', viewWidths(context).talkWidth)) output.talk(line);
    return;
  }
  let passphrase = context.streams.env[TEACHER_KEY_VARIABLE] || undefined;
  if (passphrase === undefined) {
    if (!(output.stdinIsTerminal && output.stderrIsTerminal)) {
      throw new InputError('ERR_TEACHER_KEY', 'This pack sets a teacher key: --teacher needs its passphrase.', `Set ${TEACHER_KEY_VARIABLE}, or run the command on a terminal to be asked.`);
    }
    const [{ password }, { promptTheme }] = await Promise.all([import('@inquirer/prompts'), import('../prompt-theme.js')]);
    passphrase = await password({ message: 'Teacher passphrase', mask: true, theme: promptTheme }, { input: context.streams.stdin, output: context.streams.stderr });
  }
  const { passphraseMatches } = await import('../../lessons/teacher-key.js');
  if (!(await passphraseMatches(passphrase, settings.teacherKey))) {
    throw new InputError('ERR_TEACHER_KEY', 'That is not the teacher passphrase of this pack (the teacherKey in its pack.json).', `Check ${TEACHER_KEY_VARIABLE} or what you typed; a new key is made with: jwt-vs-oauth exercises teacher-key`);
  }
}
