// Reads the lessons of one kind from lessons/<kind>/, choosing lesson.<lang>.json where a
// translation exists and falling back to English (lesson.json).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { validateLesson, type Lesson } from './schema.js';

export function loadLessons(folder: string, lang = 'en'): Lesson[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((name) => name.endsWith('.json'));
  } catch {
    throw new InputError('ERR_LESSONS_MISSING', `No lessons folder at ${folder}.`);
  }
  const english = names.filter((name) => !/\.[a-z]{2}(-[A-Z]{2})?\.json$/.test(name));
  const lessons = english.map((name) => {
    const translated = name.replace(/\.json$/, `.${lang}.json`);
    const chosen = lang !== 'en' && names.includes(translated) ? translated : name;
    const file = join(folder, chosen);
    return validateLesson(readJsonFile(file, 'ERR_LESSON_FILE'), file);
  });
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

/** The learner's language from LANG / LC_ALL ("hi_IN.UTF-8" → "hi"); English by default. */
export function languageFrom(env: NodeJS.ProcessEnv): string {
  const raw = env.JWT_VS_OAUTH_LANG ?? env.LC_ALL ?? env.LANG ?? 'en';
  return /^[a-z]{2}/.exec(raw)?.[0] ?? 'en';
}

/** Reads one lesson or exercise file; a file that is not JSON is refused, naming it. */
export function readJsonFile(file: string, code: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(code, `${file}: not valid JSON (${(error as Error).message}).`);
  }
}
