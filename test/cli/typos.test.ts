// Typos and `help <command>`: a mistyped command or option names the nearest one (exit 2), as
// commander does for commands without a menu of their own; `help decode` is `decode --help`.

import { describe, expect, test } from 'vitest';
import { suggestSimilar } from '../../src/cli/help.js';
import { runCli } from '../helpers/cli.js';

describe('unknown commands', () => {
  test('decdoe suggests decode, exit 2, nothing on stdout', async () => {
    const result = await runCli(['decdoe', 'eyJ.x.y']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'decdoe'\n(Did you mean decode?)\n" });
  });

  test('alone, with an option after it, or an alias misspelt', async () => {
    expect((await runCli(['decdoe'])).stderr).toBe("error: unknown command 'decdoe'\n(Did you mean decode?)\n");
    // The unknown command is the first mistake, not the option that follows it.
    expect((await runCli(['decdoe', '--jsn'])).stderr).toBe("error: unknown command 'decdoe'\n(Did you mean decode?)\n");
    expect((await runCli(['veryfy'])).stderr).toContain('(Did you mean verify?)');
    expect((await runCli(['sgin'])).stderr).toContain('(Did you mean sign?)');
  });

  test('nothing near: the commands there are', async () => {
    const result = await runCli(['xyzzy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown command 'xyzzy'\n(Commands: tutorial, decode, mint, verify, dpop, oauth, exercises, provider, completion, help.)\n");
  });

  test('a mistyped exercises subcommand names the nearest one', async () => {
    for (const parent of ['exercises', 'ex']) {
      const result = await runCli([parent, 'shwo', 'read-subject']);
      expect(result).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'shwo' for 'exercises'\n(Did you mean show?)\n" });
    }
  });

  test('unknown options suggest the nearest, at the top and in a command', async () => {
    expect(await runCli(['--debgu'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown option '--debgu'\n(Did you mean --debug?)\n" });
    expect((await runCli(['--nope'])).stderr).toBe("error: unknown option '--nope'\n");
    expect(await runCli(['decode', '--jsn', 'x'])).toMatchObject({ code: 2, stderr: "error: unknown option '--jsn'\n(Did you mean --json?)\n" });
    expect(await runCli(['ex', '--pakc', 'x', 'list'])).toMatchObject({ code: 2, stderr: "error: unknown option '--pakc'\n(Did you mean --pack?)\n" });
  });

  test('a command name typed right still runs; no command and no terminal prints the help', async () => {
    expect((await runCli(['decode', '--help'])).code).toBe(0);
    const alone = await runCli([]);
    expect(alone.code).toBe(0);
    expect(alone.stdout).toContain('Usage: jwt-vs-oauth [options] [command]');
  });
});

describe('help <command>', () => {
  test('help decode prints what decode --help prints, exit 0', async () => {
    const help = await runCli(['help', 'decode']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: jwt-vs-oauth decode [options] [token]');
    expect(help.stdout).toBe((await runCli(['decode', '--help'])).stdout);
    expect(help.stderr).toBe('');
  });

  test('aliases and nested commands', async () => {
    expect((await runCli(['help', 'sign'])).stdout).toContain('Usage: jwt-vs-oauth mint|sign');
    const nested = await runCli(['help', 'ex', 'show']);
    expect(nested.code).toBe(0);
    expect(nested.stdout).toContain('Usage: jwt-vs-oauth exercises show [options] <id>');
  });

  test('help alone is --help', async () => {
    const help = await runCli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(['--help'])).stdout);
    expect(help.stdout).toContain('help [command...]');
    expect(help.stdout).toContain('completion <shell>');
  });

  test('help with an unknown name: exit 2 and the nearest name, or the names there are', async () => {
    expect(await runCli(['help', 'decdoe'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'decdoe'\n(Did you mean decode?)\n" });
    expect((await runCli(['help', 'nope'])).stderr).toMatch(/^error: unknown command 'nope'\n\(Commands: tutorial, decode, .*completion, help\.\)\n$/);
    expect(await runCli(['help', 'exercises', 'shwo'])).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'shwo' for 'exercises'\n(Did you mean show?)\n" });
  });
});

describe('suggestSimilar', () => {
  test('nearest by edit distance, a swap counting one; nothing when far', () => {
    expect(suggestSimilar('decdoe', ['decode', 'mint'])).toBe('\n(Did you mean decode?)');
    expect(suggestSimilar('mnit', ['decode', 'mint'])).toBe('\n(Did you mean mint?)');
    expect(suggestSimilar('xyz', ['decode', 'mint'])).toBe('');
    expect(suggestSimilar('--jsn', ['--json', '--jti', 'json'])).toBe('\n(Did you mean --json?)');
    expect(suggestSimilar('lst', ['list', 'last'])).toBe('\n(Did you mean one of last, list?)');
  });
});
