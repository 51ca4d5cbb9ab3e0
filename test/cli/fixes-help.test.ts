// A mistyped command is named as one even with --help after it (exit 2, not the main help and
// exit 0); suggestions stay near for short words; option help never breaks a URL-like path.

import { describe, expect, test } from 'vitest';
import { suggestSimilar } from '../../src/cli/help.js';
import { runCli } from '../helpers/cli.js';

const NAMES = ['tutorial', 'decode', 'mint', 'sign', 'verify', 'oauth', 'demo', 'exercises', 'ex', 'provider', 'serve', 'completion', 'help'];

describe('a mistyped command with --help', () => {
  test('decdoe --help and decdoe -h: unknown command with the nearest name, exit 2, no help', async () => {
    for (const flag of ['--help', '-h']) {
      expect(await runCli(['decdoe', flag])).toEqual({ code: 2, stdout: '', stderr: "error: unknown command 'decdoe'\n(Did you mean decode?)\n" });
    }
    expect(await runCli(['--no-color', 'verfy', '--help'])).toMatchObject({ code: 2, stdout: '', stderr: "error: unknown command 'verfy'\n(Did you mean verify?)\n" });
  });

  test('jwks --help: nothing near, so the commands there are; exit 2', async () => {
    const result = await runCli(['jwks', '--help']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^error: unknown command 'jwks'\n\(Commands: tutorial, decode, .*help\.\)\n$/);
  });

  test('a known command, an alias, and --help alone still show help, exit 0', async () => {
    for (const argv of [['decode', '--help'], ['sign', '--help'], ['--help'], ['help', 'verify'], ['exercises', 'show', '--help']]) {
      const result = await runCli(argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: jwt-vs-oauth');
    }
    // A word after -- is the token, not a command.
    expect((await runCli(['decode', '--', '--help'])).stderr).not.toContain('unknown command');
  });
});

describe('suggestions for short words', () => {
  test('help nosuch suggests nothing (oauth is three edits away) and lists the commands', async () => {
    const result = await runCli(['help', 'nosuch']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('Did you mean');
    expect(result.stderr).toContain('(Commands: tutorial, decode,');
    expect(suggestSimilar('nosuch', NAMES)).toBe('');
  });

  test.each([
    ['decdoe', 'decode'],
    ['verfy', 'verify'],
    ['exercise', 'exercises'],
    ['tutorail', 'tutorial'],
    ['mnt', 'mint'],
    ['provdier', 'provider'],
    ['oath', 'oauth'],
  ])('%s still suggests %s', (typo, meant) => {
    expect(suggestSimilar(typo, NAMES)).toBe(`\n(Did you mean ${meant}?)`);
  });

  test('two edits in a short word suggest nothing; options keep their suggestions', () => {
    expect(suggestSimilar('mxnx', NAMES)).toBe('');
    expect(suggestSimilar('vrfy', NAMES)).toBe('');
    expect(suggestSimilar('--jsn', ['--json', '--secret'])).toBe('\n(Did you mean --json?)');
    expect(suggestSimilar('--secert', ['--json', '--secret'])).toBe('\n(Did you mean --secret?)');
  });
});

describe('option help at 60 and 80 columns', () => {
  // Commands and their nested ones whose help lists options.
  const HELPS = [[], ['decode'], ['mint'], ['verify'], ['oauth'], ['provider'], ['exercises'], ['exercises', 'start'], ['exercises', 'check'], ['tutorial']];

  test.each([60, 80])('at %i columns no option description breaks a word with "\\"', async (width) => {
    for (const words of HELPS) {
      const { stdout, code } = await runCli([...words, '--help'], { env: { COLUMNS: String(width) } });
      expect(code).toBe(0);
      // Before "Examples:": usage, description, options; a "\" at a line's end there is a broken word.
      const options = stdout.split('\nExamples:')[0]!;
      const broken = options.split('\n').filter((line) => line.endsWith('\\'));
      expect(broken, `${words.join(' ')} --help at ${width}:\n${options}`).toEqual([]);
    }
  });

  test('verify --help at 60 columns: --discover reads the discovery document, its path said whole', async () => {
    const { stdout } = await runCli(['verify', '--help'], { env: { COLUMNS: '60' } });
    expect(stdout).toMatch(/--discover <issuer-url> +read the issuer's discovery\n +document,/);
    expect(stdout).toContain('<issuer>/.well-known/openid-configuration');
    expect(stdout.split('\n').every((line) => line.length <= 60)).toBe(true);
  });
});
