// Parsers for flag values shared by the commands. Each throws InputError naming the flag.

import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { isPlainObject } from '../jwt/compact.js';
import { assertJsonDepth, setOwn } from '../jwt/untrusted-json.js';
import { describeInvalidJson } from '../text/json-error-position.js';
import { terminalSafe } from '../text/terminal-safe.js';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** "key=value" pairs; the value is parsed as JSON when it is JSON, else kept as text. Any key, even "__proto__", is an ordinary key. */
export function parseKeyValues(pairs: string[] | undefined, flag: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const pair of pairs ?? []) {
    const separator = pair.indexOf('=');
    if (separator <= 0) {
      throw new InputError('ERR_BAD_KEY_VALUE', `${flag} "${terminalSafe(pair)}" is not key=value.`, `Example: ${flag} role=admin or ${flag} 'tags=["a","b"]'`);
    }
    const text = pair.slice(separator + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Plain text, kept as a string.
    }
    const name = pair.slice(0, separator);
    assertJsonDepth(value, `${flag} ${terminalSafe(name)}`);
    setOwn(result, name, value);
  }
  return result;
}

/** A JSON object given inline or as @file. */
export function parseJsonObjectFlag(text: string, flag: string): Record<string, unknown> {
  let source = text;
  let where = `${flag}`;
  if (text.startsWith('@')) {
    where = `${flag} file ${text.slice(1)}`;
    try {
      source = readFileSync(text.slice(1), 'utf8');
    } catch (error) {
      throw new InputError('ERR_FILE', `Cannot read ${text.slice(1)} (${flag}): ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    // From a file, only where it breaks: JSON.parse's message quotes the text, which may be a file that is not ours to show.
    throw new InputError('ERR_BAD_JSON', text.startsWith('@') ? `${where} is ${describeInvalidJson(source)}.` : `${where} is not valid JSON: ${(error as Error).message}.`);
  }
  if (!isPlainObject(value)) throw new InputError('ERR_BAD_JSON', `${where} must be a JSON object ({…}).`);
  assertJsonDepth(value, where);
  return value;
}

/**
 * A --typ value must name a type: "application/" is implied (RFC 7515 §4.1.9), so "application/"
 * or "" names none (and as a pin would match a typ of ""). The /i folds A-Z only (no u flag).
 */
export function assertTypNamesAType(value: string): void {
  const typ = value.trim();
  if (typ.replace(/^application\//i, '') === '' || typ.endsWith('/')) {
    throw new InputError(
      'ERR_EMPTY_TYP',
      typ === '' ? '--typ needs a value; it was empty.' : `--typ ${JSON.stringify(value)} names no type: nothing follows the "/".`,
      'Example: --typ at+jwt (an OAuth access token, RFC 9068 §4).',
    );
  }
}
