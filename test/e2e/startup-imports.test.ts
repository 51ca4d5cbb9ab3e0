// Start-up pays for every module the bin loads before it runs a command, so the bin's static
// imports hold only what every command needs: the command line's parser and the entry. Each
// top-level command's module loads only when the command line names it (src/cli/main.ts
// COMMANDS), and what it loads statically stays its own: decode never loads the exercises, the
// tutorial or the OAuth demo. Heavier parts (the provider, the lessons, prompts, colours, jose's
// signing and verifying) load lazily, when a command asks for them. The start-up benchmark
// measures the time; this test says which import broke it. It reads the built bundle's
// `/*! <source path> */` markers.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN } from '../helpers/cli.js';

/**
 * The files the bundle loads as soon as one file loads, starting at `entry`: the chunks are
 * CommonJS, a static import is a top-level `require("./…")` statement, and an import() became a
 * require() inside a function, which runs only when the code asking for it does.
 */
function staticallyLoaded(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const match of readFileSync(entry, 'utf8').matchAll(/^(?:var \w+ = )?require\("(\.[^"]+)"\);$/gm)) {
    staticallyLoaded(resolve(dirname(entry), match[1]!), seen);
  }
  return seen;
}

function sourcesOf(files: Set<string>): string[] {
  return [...files].flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^\/\*! ((?:src|node_modules)\/\S+) \*\/$/gm)].map((match) => match[1]!));
}

/** The built chunk that holds a source file (each source is in exactly one). */
function chunkOf(source: string): string {
  const folder = join(dirname(BIN), 'chunks');
  const holders = readdirSync(folder).filter((name) => name.endsWith('.js') && readFileSync(join(folder, name), 'utf8').includes(`\n/*! ${source} */\n`));
  expect(holders, source).toHaveLength(1);
  return join(folder, holders[0]!);
}

/** What every run loads: the bin (which turns the code cache on) and, at once, main's chunk. */
function startUpFiles(): Set<string> {
  return staticallyLoaded(chunkOf('src/cli/main.ts'), staticallyLoaded(BIN));
}

/** What a command loads before its action runs: the start-up files and its own module's. */
function sourcesForCommand(file: string): string[] {
  const files = startUpFiles();
  staticallyLoaded(chunkOf(`src/cli/commands/${file}`), files);
  return sourcesOf(files);
}

const isHeavy = (source: string) =>
  /^src\/(provider|oauth|lessons|library)\//.test(source)
  || /^node_modules\/(chalk|@inquirer|open)\//.test(source)
  || (source.startsWith('node_modules/jose/') && !/\/(util\/base64url|lib\/buffer_utils)\.js$/.test(source));

test('the bin loads at start-up no command module, and nothing heavy', () => {
  const sources = sourcesOf(startUpFiles());
  expect(sources).toContain('src/cli/main.ts');
  expect(sources).toContain('node_modules/commander/lib/command.js');
  expect(sources.filter((source) => source.startsWith('src/cli/commands/'))).toEqual([]);
  expect(sources).not.toContain('src/cli/completion.ts');
  expect(sources.filter(isHeavy)).toEqual([]);
});

describe('each command loads its own module and nothing of the others', () => {
  const commandFiles = ['tutorial', 'decode', 'mint', 'verify', 'oauth', 'exercises', 'provider'];
  // `exercises start` runs the provider and logs its requests as `provider` does: that sharing is meant.
  const shared: Record<string, string[]> = { exercises: ['provider'] };
  const others = (own: string) => commandFiles.filter((file) => file !== own && !(shared[own] ?? []).includes(file));

  test.each(['decode', 'mint', 'verify'])('%s: no other command, nothing heavy', (command) => {
    const sources = sourcesForCommand(`${command}.ts`);
    expect(sources).toContain(`src/cli/commands/${command}.ts`);
    const commandSources = sources.filter((source) => source.startsWith('src/cli/commands/'));
    expect(commandSources).toEqual([`src/cli/commands/${command}.ts`]);
    expect(sources.filter(isHeavy)).toEqual([]);
  });

  test.each(['tutorial', 'oauth', 'exercises', 'provider'])('%s: no other top-level command', (command) => {
    const sources = sourcesForCommand(`${command}.ts`);
    expect(sources).toContain(`src/cli/commands/${command}.ts`);
    for (const other of others(command)) expect(sources, other).not.toContain(`src/cli/commands/${other}.ts`);
    expect(sources).not.toContain('src/cli/commands/menu.ts');
  });

  test('decode loads none of the exercises, tutorial or OAuth code, nor the lessons', () => {
    const sources = sourcesForCommand('decode.ts');
    expect(sources.filter((source) => /commands\/(exercises|tutorial|oauth)|^src\/(lessons|oauth)\//.test(source))).toEqual([]);
  });
});
