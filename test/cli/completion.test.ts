// `completion bash|zsh|fish`: the script, sourced in a real bash, completes what the command tree,
// the tutorial and the exercises folder hold. zsh and fish: the script names the same things and,
// where the shell is installed, passes its syntax check.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN, runBin } from '../helpers/cli.js';
import { TerminalSession, tmuxAvailable } from '../helpers/terminal.js';

const LESSONS = fileURLToPath(new URL('../../lessons/', import.meta.url));
const EXERCISE_IDS = readdirSync(join(LESSONS, 'exercises')).filter((name) => name.endsWith('.json'))
  .map((name) => (JSON.parse(readFileSync(join(LESSONS, 'exercises', name), 'utf8')) as { id: string }).id);
const LESSON_NUMBERS = readdirSync(join(LESSONS, 'tutorial')).filter((name) => /^\d+-.*\.json$/.test(name)).map((name) => String(Number.parseInt(name, 10)));

/** The top-level commands and aliases as --help lists them ("mint|sign [options]" → mint, sign). */
function commandsInHelp(): string[] {
  const help = runBin(['--help']).stdout;
  const section = help.slice(help.indexOf('Commands:'), help.indexOf('Examples:'));
  return [...section.matchAll(/^ {2}([a-z][a-z|-]*)/gm)].flatMap((match) => match[1]!.split('|'));
}

/**
 * Sources `jwt-vs-oauth completion bash` (the built bin) in a bash subprocess and asks the
 * registered completion function for each command line, the word at the cursor last; returns
 * the candidates of each, as compgen would list them.
 */
function bashComplete(lines: string[][]): string[][] {
  const calls = lines.map((words) => `complete_line ${words.map((word) => `'${word}'`).join(' ')}`).join('\n');
  const script = `
set -e
source <("${process.execPath}" "${BIN}" completion bash)
# The function complete(1) registered for the command, as bash would call it on a Tab.
function_name=$(complete -p jwt-vs-oauth | sed -n 's/.*-F \\([^ ]*\\) .*/\\1/p')
complete_line() {
  COMP_WORDS=(jwt-vs-oauth "$@"); COMP_CWORD=$#; COMPREPLY=()
  "$function_name"
  printf '%s\\n' "\${COMPREPLY[*]}"
}
${calls}
`;
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8', timeout: 20_000 });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout.split('\n').slice(0, lines.length).map((line) => (line ? line.split(' ') : []));
}

describe('completion bash', () => {
  test('jwt-vs-oauth dec<Tab> completes decode; every command and alias is offered at the top', () => {
    const [dec, top, ex] = bashComplete([['dec'], [''], ['ex']]);
    expect(dec).toEqual(['decode']);
    expect(commandsInHelp()).toContain('decode');
    expect(top!.sort()).toEqual(commandsInHelp().sort());
    expect(ex).toEqual(['exercises', 'ex']);
  });

  test('lesson numbers, exercise ids, options, shells and files', () => {
    const folder = mkdtempSync(join(tmpdir(), 'jvo-completion-'));
    writeFileSync(join(folder, 'issuer-key.pem'), '');
    const [lessons, reset, show, check, afterId, options, shells, key, help, nested, afterValue] = bashComplete([
      ['tutorial', ''],
      ['tutorial', '--reset', ''],
      ['exercises', 'show', ''],
      ['ex', 'check', 'read-s'],
      ['ex', 'show', 'read-subject', ''],
      ['decode', '--js'],
      ['completion', ''],
      ['verify', '--key', join(folder, 'iss')],
      ['help', 'dec'],
      ['ex', '--pack', folder, 'sh'],
      ['mint', '--sub', ''],
    ]);
    // bash splits --name=value at the "=": the value is completed all the same.
    const [resetEquals, keyEquals, afterEquals, helpNested] = bashComplete([
      ['tutorial', '--reset', '=', ''],
      ['verify', '--key', '=', join(folder, 'iss')],
      ['ex', '--pack', '=', folder, 'sh'],
      ['help', 'ex', 'sh'],
    ]);
    expect(helpNested).toEqual(['show']);
    expect(resetEquals).toEqual(LESSON_NUMBERS);
    expect(keyEquals).toEqual([join(folder, 'issuer-key.pem')]);
    expect(afterEquals).toEqual(['show']);
    expect(lessons).toEqual(LESSON_NUMBERS);
    expect(LESSON_NUMBERS).toHaveLength(15);
    expect(reset).toEqual(LESSON_NUMBERS);
    expect(show).toEqual(EXERCISE_IDS);
    expect(EXERCISE_IDS).toContain('read-subject');
    expect(check).toEqual(['read-subject']);
    expect(afterId).toEqual([]);
    expect(options).toEqual(['--json']);
    expect(shells).toEqual(['bash', 'zsh', 'fish']);
    expect(key).toEqual([join(folder, 'issuer-key.pem')]);
    expect(help).toEqual(['decode']);
    expect(nested).toEqual(['show']);
    // A value of one's own (a subject) completes to nothing, not to subcommands.
    expect(afterValue).toEqual([]);
  });
});

describe('completion zsh and fish', () => {
  test.each(['zsh', 'fish'])('%s: a script naming every command, lesson and exercise id; its syntax checked where the shell is installed', (shell) => {
    const result = runBin(['completion', shell]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const name of [...commandsInHelp(), ...EXERCISE_IDS, '--json', '--pack']) expect(result.stdout).toContain(name.startsWith('--') && shell === 'fish' ? `-l '${name.slice(2)}'` : name);
    expect(result.stdout).toContain(shell === 'zsh' ? 'compdef _jwt_vs_oauth jwt-vs-oauth' : "complete -c jwt-vs-oauth -f -n '__jwt_vs_oauth_at \\'\\'' -a 'decode'");
    const installed = spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;
    if (!installed) {
      console.log(`${shell} is not installed here: its syntax check (${shell} -n) was not run.`);
      return;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'jvo-completion-')), `script.${shell}`);
    writeFileSync(file, result.stdout);
    const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    // And it completes: fish lists what a Tab would offer (complete -C); zsh's completion function
    // is called with _describe and _files replaced by ones that print what they are given, one
    // candidate a line ("name:what it is for"), each command line's ending with "--".
    const driver = shell === 'fish'
      ? `source ${file}; complete -C 'jwt-vs-oauth dec'; complete -C 'jwt-vs-oauth ex show read-s'; complete -C 'jwt-vs-oauth tutorial 1'; complete -C 'jwt-vs-oauth ex --pack /tmp/class show fix-no'`
      : `compdef(){}; _describe(){ print -rl -- "\${(@P)\${@[-1]}}" }; _files(){ print FILES }; source ${file}
         for line in 'jwt-vs-oauth dec' 'jwt-vs-oauth ex show read-s' 'jwt-vs-oauth tutorial 1' 'jwt-vs-oauth verify --key x' 'jwt-vs-oauth decode --js'; do
           words=(\${=line}); CURRENT=\${#words}; _jwt_vs_oauth; print -- --
         done`;
    const completed = spawnSync(shell, shell === 'zsh' ? ['-f', '-c', driver] : ['--no-config', '-c', driver], { encoding: 'utf8' });
    expect(completed.stderr).toBe('');
    if (shell === 'fish') {
      const lines = completed.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^decode\tShow what a token says/);
      expect(lines).toContain('read-subject');
      expect(lines).toContain('10');
      // --pack's value is not taken for a command: show's ids are offered after it.
      expect(lines).toContain('fix-no-exp');
    } else {
      // _describe filters by the word at the cursor itself: it is given every candidate.
      const [top, ids, lessons, key, options] = completed.stdout.split('--\n').map((block) => block.trim().split('\n'));
      expect(top!.find((line) => line.startsWith('decode:'))).toMatch(/^decode:Show what a token says.{10,}/);
      expect(top!.find((line) => line.startsWith('sign:'))).toMatch(/^sign:Mint a real signed JWT/);
      expect(ids).toEqual(EXERCISE_IDS);
      expect(lessons).toEqual(LESSON_NUMBERS);
      expect(key).toEqual(['FILES']);
      expect(options).toContain('--json:print the result as JSON');
    }
  });

  test('an unknown shell is refused with the ones there are, exit 2', () => {
    const result = runBin(['completion', 'tcsh']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Allowed choices are bash, zsh, fish.');
  });
});

// That the completion script's module loads only for the completion command is checked with the
// other start-up imports, in test/e2e/startup-imports.test.ts.

const hasTmux = tmuxAvailable();
if (!hasTmux) console.warn('Skipping the real-terminal completion tests: tmux is not installed (.ci/run installs it).');

describe.skipIf(!hasTmux)('completion on a real terminal: Tab completes', () => {
  let session: TerminalSession | undefined;
  afterEach(() => session?.close());

  test('bash: jwt-vs-oauth dec<Tab> becomes jwt-vs-oauth decode', async () => {
    session = new TerminalSession('bash --norc --noprofile', { env: { PS1: 'ready$ ' } });
    await session.waitFor('ready$');
    session.type(`source <("${process.execPath}" "${BIN}" completion bash); echo sourced`, true);
    await session.waitFor(/^sourced$/m);
    session.type('jwt-vs-oauth dec');
    session.press('Tab');
    await session.waitFor('ready$ jwt-vs-oauth decode ');
    session.press('C-u');
    session.type('jwt-vs-oauth exercises show read-su');
    session.press('Tab');
    await session.waitFor('ready$ jwt-vs-oauth exercises show read-subject ');
  }, 30_000);

  const hasZsh = spawnSync('sh', ['-c', 'command -v zsh']).status === 0;
  if (!hasZsh) console.warn('Not testing zsh completion on a terminal: zsh is not installed.');
  test.skipIf(!hasZsh)('zsh: jwt-vs-oauth tut<Tab> becomes jwt-vs-oauth tutorial', async () => {
    session = new TerminalSession('zsh -f', { env: { PS1: 'ready%% ' } });
    await session.waitFor('ready%');
    session.type(`autoload -U compinit && compinit -u && source <("${process.execPath}" "${BIN}" completion zsh) && echo sourced`, true);
    await session.waitFor(/^sourced$/m);
    session.type('jwt-vs-oauth tut');
    session.press('Tab');
    await session.waitFor('ready% jwt-vs-oauth tutorial ');
    session.press('C-u');
    session.type('jwt-vs-oauth ex check read-su');
    session.press('Tab');
    await session.waitFor('ready% jwt-vs-oauth ex check read-subject ');
  }, 30_000);
});
