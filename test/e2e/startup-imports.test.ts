// Start-up pays for every module the bin loads before it runs a command, so the bin's static
// imports hold only what every command needs: the command line's parser and the entry. Each
// top-level command's module loads only when the command line names it (src/cli/main.ts
// COMMANDS), and what it loads statically stays its own: decode never loads the exercises, the
// tutorial or the OAuth demo. Heavier parts (the provider, the lessons, prompts, colours, jose's
// signing and verifying) load lazily, when a command asks for them. The start-up benchmark
// measures the time; this test says which import broke it. It reads the built bundle's
// `/*! <source path> */` markers.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN } from '../helpers/cli.js';

const DIST = dirname(BIN);
const DEFINE = /^__jwtVsOauthRegistry\.define\("([^"]+)", function \(exports, require, module, __filename, __dirname\) \{$/gm;

/**
 * Every module of the build by its dist-relative name, with its code: each file of dist/ is a set
 * of factories (scripts/link-chunks.mjs), and each chunk also has a file that defines it alone.
 */
function modules(): Map<string, string> {
  const found = new Map<string, string>();
  const files = ['bin.js', 'provider.js', ...readdirSync(join(DIST, 'chunks')).filter((name) => name.endsWith('.js')).map((name) => `chunks/${name}`)];
  for (const file of files) {
    const text = readFileSync(join(DIST, file), 'utf8');
    const starts = [...text.matchAll(DEFINE)];
    starts.forEach((match, index) => {
      if (!found.has(match[1]!)) found.set(match[1]!, text.slice(match.index!, starts[index + 1]?.index ?? text.length));
    });
  }
  return found;
}
const MODULES = modules();

/**
 * The modules that load as soon as `key` loads: a static import is a top-level
 * `__jwtVsOauthRegistry.load("…")` statement; an import() became a load inside a function, which
 * runs only when the code asking for it does.
 */
function staticallyLoaded(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const match of (MODULES.get(key) ?? '').matchAll(/^(?:var \w+ = )?__jwtVsOauthRegistry\.load\("([^"]+)"\);$/gm)) staticallyLoaded(match[1]!, seen);
  return seen;
}

function sourcesOf(keys: Set<string>): string[] {
  return [...keys].flatMap((key) => [...(MODULES.get(key) ?? '').matchAll(/^\/\*! ((?:src|node_modules)\/\S+) \*\/$/gm)].map((match) => match[1]!));
}

/** The module that holds a source file (each source is in exactly one). */
function chunkOf(source: string): string {
  const holders = [...MODULES].filter(([, code]) => code.includes(`\n/*! ${source} */\n`)).map(([key]) => key);
  expect(holders, source).toHaveLength(1);
  return holders[0]!;
}

/** What every run loads: the bin (which turns the code cache on) and, at once, main's chunk. */
function startUpFiles(): Set<string> {
  return staticallyLoaded(chunkOf('src/cli/main.ts'), staticallyLoaded('bin.js'));
}

/** What a command loads before its action runs: the start-up modules and its own module's. */
function sourcesForCommand(file: string): string[] {
  const keys = startUpFiles();
  staticallyLoaded(chunkOf(`src/cli/commands/${file}`), keys);
  return sourcesOf(keys);
}

test('decode reads three files: the bin, main\'s file, and decode\'s file, which brings all it loads at once', () => {
  const decode = chunkOf('src/cli/commands/decode.ts');
  const before = startUpFiles();
  const own = [...staticallyLoaded(decode)].filter((key) => !before.has(key));
  const decodeFile = readFileSync(join(DIST, decode), 'utf8');
  for (const key of own) expect(decodeFile, key).toContain(`__jwtVsOauthRegistry.define(${JSON.stringify(key)},`);
  const mainFile = readFileSync(join(DIST, chunkOf('src/cli/main.ts')), 'utf8');
  const bin = staticallyLoaded('bin.js');
  for (const key of [...before].filter((key) => !bin.has(key))) expect(mainFile, key).toContain(`__jwtVsOauthRegistry.define(${JSON.stringify(key)},`);
});

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
