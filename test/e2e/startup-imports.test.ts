// Start-up pays for every module the bin loads before it runs a command, so the bin's static
// imports must hold only the command definitions and what every command needs. Heavier parts
// (the provider, the OAuth demo, the lessons, prompts, colours, jose's signing and verifying)
// load lazily, when a command asks for them. The start-up benchmark measures the time; this
// test says which import broke it. It reads the built bundle's `// <source path>` markers.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { BIN } from '../helpers/cli.js';

/** The files the bundle loads through static imports, starting at one file. */
function staticallyLoaded(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(/^(?:import|export)\s[^;]*?from\s*"(\.[^"]+)"/gms)) {
    staticallyLoaded(resolve(dirname(entry), match[1]!), seen);
  }
  return seen;
}

function sourcesOf(files: Set<string>): string[] {
  return [...files].flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((match) => match[1]!));
}

test('the bin loads at start-up only the command definitions and what every command needs', () => {
  const sources = sourcesOf(staticallyLoaded(BIN));
  expect(sources).toContain('src/cli/main.ts');
  expect(sources).toContain('src/cli/commands/provider.ts');
  const heavy = sources.filter((source) =>
    /^src\/(provider|oauth|lessons|library)\//.test(source)
    || /^node_modules\/(chalk|@inquirer|open)\//.test(source)
    || (source.startsWith('node_modules/jose/') && !/\/(util\/base64url|lib\/buffer_utils)\.js$/.test(source)));
  expect(heavy).toEqual([]);
});
