// Top-level commands load lazily (src/cli/main.ts COMMANDS): --help, typo suggestions and the
// menu use the table's names and descriptions; a command's module loads only when the command
// line names it. The table must say exactly what the modules build, and the command that runs
// must be the real one whatever stands before it.

import { Help } from 'commander';
import { describe, expect, test } from 'vitest';
import { buildProgram, commandsNeeded, COMMANDS } from '../../src/cli/main.js';
import { createContext } from '../../src/cli/context.js';
import { RFC7515_HS256_TOKEN, runCli } from '../helpers/cli.js';

const context = () => createContext({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {} }, () => ({}), () => 0);

describe('the command table', () => {
  test.each(COMMANDS.map((entry) => [entry.name, entry] as const))('%s: name, aliases, description and help term as its module builds them', async (_name, entry) => {
    const command = await entry.load(context());
    const where = 'update this command\'s line in COMMANDS (src/cli/main.ts)';
    expect(command.name(), where).toBe(entry.name);
    expect(command.aliases(), where).toEqual(entry.aliases);
    expect(command.description(), where).toBe(entry.description);
    expect(new Help().subcommandTerm(command), where).toBe([[entry.name, ...entry.aliases.slice(0, 1)].join('|'), entry.arguments].filter(Boolean).join(' '));
  });

  test('--help (nothing loaded) is the help of the whole tree, line for line', async () => {
    const full = (await buildProgram(context(), 'all')).helpInformation();
    const lazy = (await buildProgram(context(), [])).helpInformation();
    expect(lazy).toBe(full);
    const shown = await runCli(['--help']);
    expect(shown.stdout.startsWith(full)).toBe(true);
  });
});

describe('which commands a command line loads', () => {
  test('the first word that is not an option, by name or alias', () => {
    expect(commandsNeeded(['decode', 'eyJ…'])).toEqual(['decode']);
    expect(commandsNeeded(['--debug', '--no-color', 'sign', '--sub', 'x'])).toEqual(['mint']);
    expect(commandsNeeded(['--', 'verify', 'x'])).toEqual(['verify']);
    expect(commandsNeeded(['--help'])).toEqual([]);
    expect(commandsNeeded([])).toEqual([]);
    expect(commandsNeeded(['decdoe'])).toEqual([]);
  });

  test('help names the command to load; completion loads them all', () => {
    expect(commandsNeeded(['help', 'ex', 'show'])).toEqual(['exercises']);
    expect(commandsNeeded(['help'])).toEqual([]);
    expect(commandsNeeded(['completion', 'bash'])).toBe('all');
  });

  test('the real command runs, whatever global flags stand before it', async () => {
    for (const argv of [['decode', RFC7515_HS256_TOKEN], ['--debug', 'decode', RFC7515_HS256_TOKEN], ['--no-color', 'decode', '--json', RFC7515_HS256_TOKEN], ['--', 'decode', RFC7515_HS256_TOKEN]]) {
      const result = await runCli(argv, { now: 1300819320 });
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout, argv.join(' ')).toMatch(/Decoding is not verifying\.|"verified": false/);
    }
  });

  test('help <command> and <command> --help show the command\'s own options', async () => {
    expect((await runCli(['help', 'serve'])).stdout).toContain('--access-token-alg <alg>');
    expect((await runCli(['sign', '--help'])).stdout).toContain('--save-key <file>');
    expect((await runCli(['help', 'ex', 'show'])).stdout).toContain('Usage: jwt-vs-oauth exercises show [options] <id>');
  });
});
