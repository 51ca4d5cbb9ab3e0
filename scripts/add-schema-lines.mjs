#!/usr/bin/env node
// Adds "$schema": "../schema/<kind>.schema.json" as the first key of every lesson and exercise
// file under lessons/, and of a pack's pack.json (pack.schema.json), so an editor offers completion
// and checks a file as it is typed. It only inserts that one line: the rest of each file stays byte
// for byte as it was (indentation, inline arrays, line endings), and a file that has the line
// already is left alone, so running it twice changes nothing.
//
//   node scripts/add-schema-lines.mjs                 add the line where it is missing
//   node scripts/add-schema-lines.mjs --check         change nothing; exit 1 if a file lacks it
//   node scripts/add-schema-lines.mjs --root <dir>    work on <dir>/lessons (a copy, for a try)

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

/** Each folder of lessons/ whose files are lessons or exercises, and the schema they follow. */
const FOLDERS = [
  ['tutorial', 'lesson.schema.json'],
  ['exercises', 'exercise.schema.json'],
  ['example-pack', 'exercise.schema.json'],
];
/** A pack's settings file, beside its exercises: it follows pack.schema.json. */
const PACK_SETTINGS_FILE = 'pack.json';

function parseArguments(argv) {
  const options = { root: join(dirname(fileURLToPath(import.meta.url)), '..'), check: false };
  for (let index = 0; index < argv.length; index++) {
    if (argv[index] === '--check') options.check = true;
    else if (argv[index] === '--root' && argv[index + 1] !== undefined) options.root = argv[++index];
    else throw new Error(`unknown argument ${argv[index]}: use [--check] [--root <dir>]`);
  }
  return options;
}

/**
 * The file's text with the "$schema" line inserted right after its opening brace, in the file's
 * own style: on a line of its own at the first key's indentation, or inline for a one-line file.
 */
export function withSchemaLine(text, schemaPath) {
  const open = /^(\uFEFF?\s*)\{/.exec(text);
  if (!open) throw new Error('does not start with a JSON object');
  const at = open[0].length;
  const entry = `"$schema": ${JSON.stringify(schemaPath)}`;
  const rest = text.slice(at);
  const empty = /^\s*\}/.test(rest);
  const multiLine = /^[ \t]*\r?\n([ \t]*)/.exec(rest);
  let inserted;
  if (multiLine && !empty) {
    const newline = rest.includes('\r\n') ? '\r\n' : '\n';
    inserted = `${newline}${multiLine[1]}${entry},`;
  } else {
    inserted = empty ? entry : rest.startsWith(' ') ? ` ${entry},` : `${entry}, `;
  }
  return text.slice(0, at) + inserted + rest;
}

const files = (count) => `${count} file${count === 1 ? '' : 's'}`;

function main() {
  const options = parseArguments(process.argv.slice(2));
  const lessons = join(options.root, 'lessons');
  const missing = [];
  const differing = [];
  let already = 0;
  for (const [folder, schemaFile] of FOLDERS) {
    for (const name of readdirSync(join(lessons, folder)).filter((each) => each.endsWith('.json')).sort()) {
      const schemaPath = `../schema/${name === PACK_SETTINGS_FILE ? 'pack.schema.json' : schemaFile}`;
      const file = join(lessons, folder, name);
      const shown = relative(options.root, file);
      const text = readFileSync(file, 'utf8');
      const json = JSON.parse(text.replace(/^\uFEFF/, ''));
      if (Object.hasOwn(json, '$schema')) {
        if (json.$schema === schemaPath) already++;
        else differing.push(`${shown}: its "$schema" is ${JSON.stringify(json.$schema)}, not ${JSON.stringify(schemaPath)}; left as it is`);
        continue;
      }
      missing.push(shown);
      if (options.check) continue;
      const changed = withSchemaLine(text, schemaPath);
      // The new text must be the same JSON with "$schema" first, or the file is not touched.
      const parsed = JSON.parse(changed.replace(/^\uFEFF/, ''));
      if (Object.keys(parsed)[0] !== '$schema' || !isDeepStrictEqual({ ...parsed, $schema: undefined }, { ...json, $schema: undefined })) {
        throw new Error(`${shown}: inserting the line would change the file's meaning; nothing written`);
      }
      writeFileSync(file, changed);
    }
  }
  for (const line of differing) console.error(line);
  if (options.check) {
    for (const file of missing) console.error(`${file}: no "$schema" line`);
    console.error(missing.length ? `${files(missing.length)} lack the "$schema" line: run node scripts/add-schema-lines.mjs` : `Every lesson, exercise and pack.json file has its "$schema" line (${already}).`);
    process.exitCode = missing.length || differing.length ? 1 : 0;
    return;
  }
  console.error(`Added the "$schema" line to ${files(missing.length)}; ${already} had it already.`);
  process.exitCode = differing.length ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
