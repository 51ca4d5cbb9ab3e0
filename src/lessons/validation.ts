// The helpers every validator of teaching files shares (lessons, exercises, pack settings): what
// counts as text, and one way to say what is wrong, naming the file and the field.

import { InputError } from '../errors.js';

/** The error codes of the files a teacher writes, one per kind of file. */
export type FileErrorCode = 'ERR_LESSON_FILE' | 'ERR_EXERCISE_FILE' | 'ERR_PACK_SETTINGS';

/** A validator's way to refuse: `fail('"screens[2].command"', 'must be …')` throws "<file>: <field>: <problem>". */
export type Fail = (field: string, problem: string, hint?: string) => never;

/** The refusal for one file: every problem names the file and the field. */
export function failFor(code: FileErrorCode, file: string): Fail {
  return (field, problem, hint) => {
    throw new InputError(code, `${file}: ${field}: ${problem}`, hint);
  };
}

/** A non-empty string (not only spaces). */
export const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** A list of at least `minimum` non-empty strings. */
export const isTextList = (value: unknown, minimum = 1): value is string[] => Array.isArray(value) && value.length >= minimum && value.every(isText);

/** A JSON object (not null, not a list). */
export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first key of `value` not in `known`, for "is not a … field" refusals (own keys only). */
export function unknownKey(value: Record<string, unknown>, known: readonly string[]): string | undefined {
  return Object.keys(value).find((key) => !known.includes(key));
}
