// Every exercises view fits the terminal (issue #13): show for all exercises, list, hints, a wrong
// check's feedback, hint --reveal, progress, selftest and the class report, told the width by
// COLUMNS through a pipe, at 60, 80 and 120 columns. No line is wider than the width, no word is
// split (the words are those of the same view unwrapped, once "\" breaks are joined), a list
// item's later lines start under its text, and a command breaks only between arguments with " \".

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadExercises } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { displayWidth, joinBrokenLines, wrapParagraph } from '../../src/text/layout.js';
import { BIN, runCli } from '../helpers/cli.js';
import { commandLinks, wrapProse } from '../../src/cli/commands/exercises-layout.js';
import { layoutProblems as checkLayout } from '../helpers/layout-checks.js';

const WIDTHS = [60, 80, 120] as const;
const SEED = 'layout-test';
/** 2030-03-17T17:46:40Z: a fixed clock, so both runs of a view print the same times. */
const NOW = 1_900_000_000;
const EXERCISES = loadExercises(join(lessonsFolder(), 'exercises'));
const IDS = EXERCISES.map((exercise) => exercise.id);
const root = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-exercises-layout-'));
let homes = 0;
const newHome = () => join(root, `home-${++homes}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One command in a home of its own unless one is given, with COLUMNS when `width` is a number. */
function run(words: string[], width: number | undefined, home = newHome(), stdin?: string) {
  return runCli(['ex', '--seed', SEED, ...words], { env: { JWT_VS_OAUTH_HOME: home, ...(width === undefined ? {} : { COLUMNS: String(width) }) }, now: NOW, stdin });
}

/** What is wrong with `narrow`, laid out at `width`, against the same view unwrapped (`wide`): values that differ between runs (tokens, keys) masked, a hint's later lines two columns in. */
const layoutProblems = (narrow: string, wide: string, width: number) => checkLayout(narrow, wide, width, {
  mask: (text) => text.replace(/[A-Za-z0-9_~+/=-]{16,}/g, '#'),
  item: /^( *(?:[•\-*✓✗!→]|\d{1,2}[.)]|\([a-z]\)|Hint \d+ of \d+:) +)\S/,
  hang: (marker) => (marker.startsWith('Hint') ? 2 : displayWidth(marker)),
});

/** The answers to each exercise that are wrong (exit 1), found by trying choices, flaw names and a word. */
const wrongAnswers = new Map<string, string[]>();

beforeAll(async () => {
  for (const exercise of EXERCISES) {
    if (exercise.needs === 'provider') continue;
    const candidates = [...(exercise.choices ? ['a', 'b', 'c', 'd'].map((letter) => [letter]) : []), ...(exercise.material?.pool ?? []).map((name) => [name]), ['nope'], ['nope', 'nope']];
    for (const candidate of candidates) {
      if ((await run(['check', exercise.id, ...candidate, '--json'], undefined)).code === 1) {
        wrongAnswers.set(exercise.id, candidate);
        break;
      }
    }
    expect(wrongAnswers.has(exercise.id), exercise.id).toBe(true);
  }
}, 60_000);

describe('exercises show', () => {
  test.each(IDS.flatMap((id) => WIDTHS.map((width) => [id, width] as const)))('%s fits %i columns', async (id, width) => {
    const wide = await run(['show', id], undefined);
    const narrow = await run(['show', id], width);
    expect(narrow.code, narrow.stderr).toBe(0);
    expect(layoutProblems(narrow.stdout, wide.stdout, width)).toEqual([]);
  });

  test('flaw-two at 60 columns: the token broken at its dots and marked, the command broken between arguments with " \\"', async () => {
    const narrow = await run(['show', 'flaw-two'], 60);
    const lines = narrow.stdout.split('\n');
    const token = (await run(['show', 'flaw-two', '--material', 'token'], undefined)).stdout.trim();
    // The token's pieces end in "\" and join back to the token.
    const first = lines.findIndex((line) => token.startsWith(line.replace(/\\$/, '')) && line.endsWith('\\'));
    expect(first).toBeGreaterThan(0);
    expect(joinBrokenLines(lines.slice(first).join('\n'))).toContain(token);
    expect(narrow.stdout).toContain('Save the key in a file with: jwt-vs-oauth exercises show \\\nflaw-two --material issuerKey > issuer.pem\n');
    // Saved to a file (a pipe), the key stays exactly as it is, whatever COLUMNS says.
    expect((await run(['show', 'flaw-two', '--material', 'issuerKey'], 60)).stdout).toBe((await run(['show', 'flaw-two', '--material', 'issuerKey'], undefined)).stdout);
  });

  test('a choice too wide for the line hangs under its text, after "(a) "', async () => {
    const narrow = await run(['show', 'choose-social-login'], 60);
    const lines = narrow.stdout.split('\n');
    const choice = lines.findIndex((line) => /^ {2}\([a-d]\) /.test(line) && displayWidth(line) > 50);
    expect(choice).toBeGreaterThan(0);
    expect(lines[choice + 1]).toMatch(/^ {6}\S/);
  });
});

describe('exercises list', () => {
  test('fits 60, 80 and 120 columns', async () => {
    const wide = await run(['list'], undefined);
    for (const width of WIDTHS) {
      const narrow = await run(['list'], width);
      expect(layoutProblems(narrow.stdout, wide.stdout, width), `${width} columns`).toEqual([]);
    }
  });
});

describe('exercises hint', () => {
  test.each(WIDTHS)('every hint of every exercise fits %i columns', async (width) => {
    for (const exercise of EXERCISES) {
      const [wideHome, narrowHome] = [newHome(), newHome()];
      for (let shown = 0; shown < exercise.hints.length; shown++) {
        const wide = await run(['hint', exercise.id], undefined, wideHome);
        const narrow = await run(['hint', exercise.id], width, narrowHome);
        expect(layoutProblems(narrow.stdout, wide.stdout, width), `${exercise.id} hint ${shown + 1}`).toEqual([]);
      }
    }
  }, 60_000);

  test('a command in a hint breaks only between its arguments, each broken line ending in " \\"', async () => {
    const home = newHome();
    await run(['hint', 'flaw-one'], 60, home);
    const second = await run(['hint', 'flaw-one'], 60, home);
    // "…as of that time: jwt-vs-oauth verify <token> --secret … --at <time>": one command to paste.
    const lines = second.stdout.split('\n');
    const start = lines.findIndex((line) => line.includes('jwt-vs-oauth verify'));
    const end = lines.findIndex((line, index) => index >= start && /--at \S+$/.test(line));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    for (const line of lines.slice(start, end)) expect(line).toMatch(/ \\$|\\$/);
  });
});

describe('exercises check, a wrong answer', () => {
  test.each(WIDTHS)('the feedback of every exercise fits %i columns, each value wrapped under itself', async (width) => {
    for (const [id, answer] of wrongAnswers) {
      const wide = await run(['check', id, ...answer], undefined);
      const narrow = await run(['check', id, ...answer], width);
      expect(narrow.code, `${id}: ${narrow.stderr}`).toBe(1);
      expect(layoutProblems(narrow.stdout, wide.stdout, width), id).toEqual([]);
      // A "why:" (or expected, got) line that goes on: under the value, 16 columns in.
      const lines = narrow.stdout.split('\n');
      lines.forEach((line, index) => {
        if (/^ {6}(expected|got|why):/.test(line) && lines[index + 1] !== undefined && !/^ {2}\S|^ {6}\w+:|^\S/.test(lines[index + 1]!)) expect(lines[index + 1], id).toMatch(/^ {16}\S/);
      });
    }
  }, 60_000);

  test.each(WIDTHS)('after three wrong answers, hint --reveal fits %i columns', async (width) => {
    for (const [id, answer] of wrongAnswers) {
      const [wideHome, narrowHome] = [newHome(), newHome()];
      for (let attempt = 0; attempt < 3; attempt++) {
        await run(['check', id, ...answer], undefined, wideHome);
        await run(['check', id, ...answer], undefined, narrowHome);
      }
      const wide = await run(['hint', id, '--reveal'], undefined, wideHome);
      const narrow = await run(['hint', id, '--reveal'], width, narrowHome);
      expect(narrow.code, `${id}: ${narrow.stderr}`).toBe(0);
      expect(layoutProblems(narrow.stdout, wide.stdout, width), id).toEqual([]);
    }
  }, 60_000);
});

describe('an answer copied back from a narrow terminal', () => {
  test('pkce-challenge\'s answer with its "\\" breaks, from stdin (check <id> -) and as an argument, passes', async () => {
    const home = newHome();
    for (let attempt = 0; attempt < 3; attempt++) await run(['check', 'pkce-challenge', 'nope'], undefined, home);
    const { answers } = JSON.parse((await run(['hint', 'pkce-challenge', '--reveal', '--json'], undefined, home)).stdout) as { answers: string[] };
    const challenge = answers[0]!;
    // As hint --reveal prints it on a 40-column terminal ("Answer: " and pieces ending in "\"), less the label.
    const shown = wrapParagraph(challenge, 40, { lead: 'Answer: ', hang: '' });
    expect(shown.length).toBeGreaterThan(1);
    const copied = shown.join('\n').slice('Answer: '.length);
    expect(copied).toContain('\\\n');
    const fromStdin = await run(['check', 'pkce-challenge', '-'], undefined, newHome(), `${copied}\n`);
    expect(fromStdin.code, fromStdin.stdout + fromStdin.stderr).toBe(0);
    const asArgument = await run(['check', 'pkce-challenge', copied], undefined);
    expect(asArgument.code, asArgument.stdout + asArgument.stderr).toBe(0);
  });
});

describe('progress, selftest and the class report', () => {
  let classFolder: string;
  beforeAll(async () => {
    classFolder = join(root, 'class');
    mkdirSync(classFolder);
    // A long file name that is not a progress file: a warning on stderr with the path broken at its "/" and "-".
    writeFileSync(join(classFolder, 'notes-that-are-not-a-progress-file-but-have-a-long-name.json'), '{}');
    for (const [index, name] of ['Asha Rao', 'Bo Wen Li-Hernández', 'Chidimma Okonkwo-Adebayo Fitzgerald'].entries()) {
      const home = newHome();
      const as = (words: string[]) => runCli(['ex', '--seed', `learner-${index}`, ...words], { env: { JWT_VS_OAUTH_HOME: home }, now: NOW + index * 60 });
      await as(['check', 'choose-own-api', 'a']);
      await as(['check', 'read-subject', 'nobody']);
      await as(['check', 'flaw-one', wrongAnswers.get('flaw-one')![0]!]);
      await as(['hint', 'flaw-one']);
      expect((await as(['progress', '--name', name, '--export', classFolder])).code).toBe(0);
    }
  });

  test('report, report --exercise and their warnings fit 60, 80 and 120 columns', async () => {
    for (const width of WIDTHS) for (const words of [['report', classFolder], ['report', classFolder, '--exercise', 'flaw-one'], ['report', classFolder, '--sort', 'passed']]) {
      const wide = await run(words, undefined);
      const narrow = await run(words, width);
      expect(narrow.code, narrow.stderr).toBe(0);
      // The table itself is the report's own: narrower, it leaves out columns and shortens names
      // (the notes say so); the text around it has the same words as the unwrapped run.
      const afterTable = (text: string) => (words.includes('--exercise') ? text.split('\n\n')[0]! : text.slice(text.indexOf('Attempts and hints')));
      expect(layoutProblems(narrow.stdout, narrow.stdout, width), words.join(' ')).toEqual([]);
      expect(layoutProblems(afterTable(narrow.stdout), afterTable(wide.stdout), width), words.join(' ')).toEqual([]);
      expect(layoutProblems(narrow.stderr, wide.stderr, width), `${words.join(' ')} (stderr)`).toEqual([]);
      expect(narrow.stderr).toMatch(/^! skipped /);
    }
  });

  test('progress and selftest fit 60, 80 and 120 columns', async () => {
    const home = newHome();
    await run(['progress', '--name', 'Chidimma Okonkwo-Adebayo Fitzgerald of the Evening Class'], undefined, home);
    for (const width of WIDTHS) for (const words of [['progress'], ['selftest', 'read-subject', 'flaw-two', 'choose-social-login']]) {
      const wide = await run(words, undefined, home);
      const narrow = await run(words, width, home);
      expect(narrow.code, narrow.stderr).toBe(0);
      expect(layoutProblems(narrow.stdout, wide.stdout, width), words.join(' ')).toEqual([]);
      expect(layoutProblems(narrow.stderr, wide.stderr, width), `${words.join(' ')} (stderr)`).toEqual([]);
    }
  });
});

describe('exercises worksheet', () => {
  test('with COLUMNS it fits 60, 80 and 120 columns: prose wrapped as Markdown soft breaks, long values below in lines that join back, commands with " \\"', async () => {
    const { createPublicKey } = await import('node:crypto');
    const token = (await run(['show', 'flaw-two', '--material', 'token'], undefined)).stdout.trim();
    for (const flags of [[], ['--answers'], ['--paper']]) {
      const wide = await run(['worksheet', ...flags], undefined);
      expect(wide.code, wide.stderr).toBe(0);
      for (const width of WIDTHS) {
        const narrow = await run(['worksheet', ...flags], width);
        const label = `worksheet ${flags.join(' ')} at ${width}`;
        expect(narrow.code, narrow.stderr).toBe(0);
        expect(narrow.stdout.split('\n').filter((line) => displayWidth(line) > width), label).toEqual([]);
        // Wrapping never starts a line with a Markdown block marker: the same list items, no new ones.
        const blockStarts = (text: string) => text.split('\n').filter((line) => /^(?:[-+*>]|#{1,6}|\d+[.)])(?: |$)/.test(line)).map((line) => line.split(' ').slice(0, 2).join(' '));
        expect(blockStarts(narrow.stdout), label).toEqual(blockStarts(wide.stdout));
        // Each block's lines join back to the value: the token, a key that still reads, whole commands
        // (long values in them masked: fix-short-secret's secret is new each time).
        const blocks = [...narrow.stdout.matchAll(/^```(\w*)\n([\s\S]*?)\n```$/gm)];
        expect(blocks.some(([, , body]) => body!.replace(/\n/g, '') === token), label).toBe(true);
        const key = blocks.find(([, , body]) => body!.startsWith('-----BEGIN PUBLIC KEY-----'))![2]!;
        expect(createPublicKey(key).asymmetricKeyType).toBe('rsa');
        const commands = (text: string) => [...text.matchAll(/^```sh\n([\s\S]*?)\n```$/gm)].map(([, body]) => joinBrokenLines(body!.replace(/ \\\n\s*/g, ' ')).replace(/[A-Za-z0-9_~+/=-]{16,}/g, '#'));
        expect(commands(narrow.stdout), label).toEqual(commands(wide.stdout));
      }
    }
  });
});

describe('exercises solution, teacher-key and start', () => {
  test('solution --teacher of every exercise fits 60, 80 and 120 columns', async () => {
    for (const id of IDS) {
      // fix-short-secret's solution holds a secret new each time: masked by wordsOf, as a long value.
      const wide = await run(['solution', id, '--teacher'], undefined);
      expect(wide.code, wide.stderr).toBe(0);
      for (const width of WIDTHS) {
        const narrow = await run(['solution', id, '--teacher'], width);
        expect(layoutProblems(narrow.stdout, wide.stdout, width), `${id} at ${width}`).toEqual([]);
        expect(layoutProblems(narrow.stderr, wide.stderr, width), `${id} at ${width} (stderr)`).toEqual([]);
      }
    }
  }, 60_000);

  test('teacher-key: the JSON on stdout whole, the talk on stderr fitting 60 columns', async () => {
    const passphrase = 'correct horse battery staple\n';
    const narrow = await run(['teacher-key'], 60, newHome(), passphrase);
    expect(narrow.code, narrow.stderr).toBe(0);
    expect(JSON.parse(narrow.stdout).teacherKey).toMatch(/^\$scrypt\$/);
    expect(narrow.stderr.trim().split('\n').length).toBeGreaterThan(1);
    expect(narrow.stderr.split('\n').filter((line) => displayWidth(line) > 60)).toEqual([]);
  });

  test('start oauth-access-token: the task and Mock Google\'s banner fit 60 columns', async () => {
    /** The banner as printed, up to the sentence that says the log follows ("… logged below."); then Ctrl-C. */
    async function banner(columns?: number): Promise<string> {
      const child = spawn(process.execPath, [BIN, 'ex', '--seed', SEED, 'start', 'oauth-access-token'], { env: { PATH: process.env.PATH, JWT_VS_OAUTH_HOME: newHome(), ...(columns ? { COLUMNS: String(columns) } : {}) } });
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      const deadline = Date.now() + 15_000;
      while (!/below\.\n/.test(stdout) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill('SIGINT');
      await once(child, 'exit');
      // The port is new each run.
      return stdout.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT');
    }
    const [wide, narrow] = await Promise.all([banner(), banner(60)]);
    expect(narrow).toContain('Mock Google (a local simulation) is running at');
    expect(layoutProblems(narrow, wide, 60)).toEqual([]);
    // The endpoints stay a table: label, then the URL.
    expect(narrow).toMatch(/^ {2}authorize {2}http:\/\/127\.0\.0\.1:PORT\/authorize$/m);
  }, 40_000);
});

describe('commands in prose', () => {
  /** The commands wrapProse finds in a sentence, each as its words joined. */
  const commandsIn = (text: string) => {
    const words = text.split(' ');
    const links = commandLinks(words);
    const found: string[] = [];
    words.forEach((word, index) => {
      if (index > 0 && links[index - 1]) found[found.length - 1] += ` ${word}`;
      else if (links[index]) found.push(word);
    });
    return found;
  };

  test('a command starts after a colon, at curl, printf or openssl opening a paragraph, at NAME=$( or a backtick, and ends with its clause', () => {
    expect(commandsIn('Decoding needs no key: jwt-vs-oauth decode <token>. Then read it.')).toEqual(['jwt-vs-oauth decode <token>.']);
    expect(commandsIn('With the key: jwt-vs-oauth verify T --key issuer.pem --at NOW (save the key first).')).toEqual(['jwt-vs-oauth verify T --key issuer.pem --at NOW']);
    expect(commandsIn('curl -u a:b -d x=1 <issuer>/token (-u sends the client\'s id)')).toEqual(['curl -u a:b -d x=1 <issuer>/token']);
    expect(commandsIn("Then TOKEN=$(jwt-vs-oauth mint --secret \"$SECRET\" --sub asha) and send it")).toEqual(["TOKEN=$(jwt-vs-oauth mint --secret \"$SECRET\" --sub asha)"]);
    expect(commandsIn('`jwt-vs-oauth exercises start oauth-access-token` runs Mock Google')).toEqual(['`jwt-vs-oauth exercises start oauth-access-token`']);
    // A sentence about a command is prose: no " \" in it.
    expect(commandsIn('jwt-vs-oauth mint takes --secret, --iss, --aud, --exp and --claim.')).toEqual([]);
  });

  test('wrapProse breaks a command only between arguments, with " \\", and the prose around it as words', () => {
    const lines = wrapProse('Verify it as food-api would: jwt-vs-oauth verify eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhc2hhIn0.c2ln --secret s3cret --alg HS256 --aud food-api. Then look at the result.', 40);
    expect(lines.every((line) => displayWidth(line) <= 40)).toBe(true);
    const joined = joinBrokenLines(lines.join('\n').replace(/ \\\n/g, ' ')).replace(/\n/g, ' ');
    expect(joined).toBe('Verify it as food-api would: jwt-vs-oauth verify eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhc2hhIn0.c2ln --secret s3cret --alg HS256 --aud food-api. Then look at the result.');
    // Inside the command every line ends in " \" (between arguments) or "\" (inside the token); after it, none.
    const last = lines.findIndex((line) => line.includes('food-api.'));
    for (const line of lines.slice(lines.findIndex((line) => line.includes('jwt-vs-oauth')), last)) expect(line).toMatch(/\\$/);
    for (const line of lines.slice(last)) expect(line).not.toMatch(/\\$/);
  });
});
