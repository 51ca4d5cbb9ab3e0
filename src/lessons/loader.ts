// Reads the lessons of one kind from lessons/<kind>/, choosing lesson.<lang>.json where a
// translation exists and falling back to English (lesson.json).

import { closeSync, constants, fstatSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { MAX_JSON_DEPTH, jsonDepth } from '../jwt/untrusted-json.js';
import { pathOfControlCharacter, terminalSafe } from '../text/terminal-safe.js';
import { describeInvalidJson } from '../text/json-error-position.js';
import { readAtMost } from './safe-files.js';
import { validateLesson, type Lesson } from './schema.js';
import { validateLessonTranslation } from './lesson-translation.js';
import { localeFrom, translatedFile as fileInLanguage } from './language-tags.js';

/** The learner's language tag ("hi-IN", "hi" or "en"): one home for lessons and exercises (language-tags.ts). */
export const languageFrom = localeFrom;
export { fileInLanguage };

/** A translation's file name: NN-name.<lang>.json (or <lang>-<REGION>), beside its English NN-name.json. */
export const TRANSLATION = /\.[a-z]{2}(-[A-Z]{2})?\.json$/;

/** The English file a translation's name translates ("05-x.hi.json" → "05-x.json"). */
export function originalOf(translation: string): string {
  return translation.replace(TRANSLATION, '.json');
}

function lessonFileNames(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => name.endsWith('.json'));
  } catch {
    throw new InputError('ERR_LESSONS_MISSING', `No lessons folder at ${folder}.`);
  }
}

/** One lesson file read and checked: its translation into `lang` where there is one, which must keep all but the words of the English file. */
function loadLessonFile(folder: string, names: string[], name: string, lang: string): Lesson {
  const chosen = fileInLanguage(names, name, lang);
  const file = join(folder, chosen);
  const lesson = validateLesson(readJsonFile(file, 'ERR_LESSON_FILE'), file);
  if (chosen !== name) {
    const englishFile = join(folder, name);
    validateLessonTranslation(lesson, validateLesson(readJsonFile(englishFile, 'ERR_LESSON_FILE'), englishFile));
  }
  return lesson;
}

/**
 * Lesson `number` alone, read from the one file named for it ("05-….json") when that file holds
 * it; undefined otherwise (no such file, two, or another number inside), and loadLessons decides.
 * The first screen of a lesson need not wait for every other lesson to be read and checked.
 */
export function loadLessonNumbered(folder: string, number: number, lang = 'en'): Lesson | undefined {
  const names = lessonFileNames(folder);
  const prefix = /^0*(\d+)-/;
  const candidates = names.filter((name) => !TRANSLATION.test(name) && Number(prefix.exec(name)?.[1]) === number);
  if (candidates.length !== 1) return undefined;
  const lesson = loadLessonFile(folder, names, candidates[0]!, lang);
  return lesson.number === number ? lesson : undefined;
}

export function loadLessons(folder: string, lang = 'en'): Lesson[] {
  const names = lessonFileNames(folder);
  const english = names.filter((name) => !TRANSLATION.test(name));
  const lessons = english.map((name) => loadLessonFile(folder, names, name, lang));
  lessons.sort((a, b) => a.number - b.number);
  const seen = new Map<string, string>();
  for (const lesson of lessons) {
    for (const key of [`id ${lesson.id}`, `number ${lesson.number}`]) {
      if (seen.has(key)) throw new InputError('ERR_LESSON_FILE', `${lesson.file}: the ${key} is also used by ${seen.get(key)}.`);
      seen.set(key, lesson.file);
    }
  }
  return lessons;
}


/** The largest lesson or exercise file read; the longest built-in one is a few KiB. */
const MAX_CONTENT_FILE_BYTES = 256 * 1024;

/**
 * Reads one lesson or exercise file. A teacher's pack is untrusted data, so a file that is a
 * symbolic link (it could lead anywhere: ~/.ssh, /proc/self/environ), not a plain file, not JSON,
 * larger than 256 KiB, nested more than 64 levels deep, or holding a control character (which
 * could rewrite a learner's terminal) is refused, naming it. Nothing of a refused file's content
 * is quoted: a bad JSON text is told by line and column only.
 */
export function readJsonFile(file: string, code: string): unknown {
  const shown = terminalSafe(file);
  let text: string;
  let descriptor: number | undefined;
  try {
    // O_NOFOLLOW: a link is refused even if swapped in after the folder was listed; O_NONBLOCK: a FIFO never hangs the open.
    descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stats = fstatSync(descriptor);
    if (!stats.isFile()) throw new InputError(code, `${shown}: not a plain file.`);
    // Read up to the cap whatever fstat says: a /proc file claims 0 bytes and may hold gigabytes.
    const read = readAtMost(descriptor, MAX_CONTENT_FILE_BYTES);
    if (read === undefined) throw new InputError(code, `${shown}: larger than ${MAX_CONTENT_FILE_BYTES / 1024} KiB; a lesson or exercise file is a few KiB.`);
    text = read;
  } catch (error) {
    if (error instanceof InputError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new InputError(code, `${shown}: a symbolic link, which is not followed (it could lead to any file); a lesson or exercise file must be a plain file in its folder.`, 'Copy the file into the folder instead of linking to it.');
    throw new InputError(code, `${shown}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text; only the position is told.
    throw new InputError(code, `${shown}: ${describeInvalidJson(text)}.`);
  }
  if (jsonDepth(json) > MAX_JSON_DEPTH) throw new InputError(code, `${shown}: nests more than ${MAX_JSON_DEPTH} levels deep.`);
  const unsafe = pathOfControlCharacter(json);
  if (unsafe !== undefined) throw new InputError(code, `${shown}: ${unsafe}: holds a control or invisible character (such as an escape, a carriage return or a zero-width space), which could rewrite or hide text on the learner's terminal; write plain text.`);
  return json;
}
