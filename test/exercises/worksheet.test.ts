// `exercises worksheet`: a seed's tasks as Markdown, the teacher's key with --answers, and text
// from a pack escaped so it cannot become markup.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findExercise, loadExercises, materialFor } from '../../src/lessons/exercises.js';
import { lessonsFolder } from '../../src/lessons/paths.js';
import { makeTeacherKey } from '../../src/lessons/teacher-key.js';
import { escapeMarkdown } from '../../src/lessons/worksheet.js';
import { runCli } from '../helpers/cli.js';

const builtIn = loadExercises(join(lessonsFolder(), 'exercises'));
const env = () => ({ JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-sheet-')) });
const sheet = async (words: string[]) => {
  const result = await runCli(['ex', ...words], { env: env() });
  expect(result.code).toBe(0);
  return result.stdout;
};

describe('exercises worksheet', () => {
  test('every built-in exercise, numbered; two seeds give two sheets, one seed the same sheet', async () => {
    const one = await sheet(['--seed', 'seed-one', 'worksheet']);
    expect(one.match(/^## \d+\. /gm)).toHaveLength(builtIn.length);
    expect(one).toContain('These tasks were made for the seed `seed-one`');
    expect(one).toContain('jwt-vs-oauth exercises --seed seed-one check <id> <answer>');
    const two = await sheet(['--seed', 'seed-two', 'worksheet']);
    expect(two).not.toBe(one);
    expect(await sheet(['--seed', 'seed-one', 'worksheet'])).toBe(one);
    const token = (seed: string) => materialFor(findExercise(builtIn, 'read-subject'), seed).token!;
    expect(one).toContain(`\`${token('seed-one')}\``);
    expect(two).toContain(`\`${token('seed-two')}\``);
    expect(one).not.toContain(token('seed-two'));
  });

  test('--answers adds each answer computed from the seed; the plain sheet has none of them', async () => {
    const ids = ['read-subject', 'flaw-one', 'pkce-challenge', 'choose-own-api', 'fix-short-secret'];
    const plain = await sheet(['--seed', 'seed-one', 'worksheet', ...ids]);
    const key = await sheet(['--seed', 'seed-one', 'worksheet', ...ids, '--answers']);
    const material = (id: string) => materialFor(findExercise(builtIn, id), 'seed-one');
    const answers = [
      `**Answer:** \`${material('read-subject').sub}\``,
      `**Answer:** \`${material('flaw-one').flaw}\``,
      `**Answer:** \`${material('pkce-challenge').challenge}\``,
      '**Answer:** (a) Your own login: a server session, or a JWT your server issues',
    ];
    expect(key).toMatch(/\*\*Answers:\*\* \*\(the token printed by command 1\)\* then `[A-Za-z0-9+/]{43}=`/);
    for (const answer of answers) expect(key).toContain(answer);
    expect(key.split('\n')[0]).toBe('# JWT and OAuth exercises (teacher\'s key)');
    expect(key).toContain('**Teacher\'s key: the answers are below each task. Do not hand this sheet out.**');
    expect(plain).not.toMatch(/Answers?:\*\*/);
    expect(plain).not.toContain(material('pkce-challenge').challenge);
    expect(plain).not.toMatch(/--secret [A-Za-z0-9+/]{43}=/);
    expect(plain).not.toContain('Teacher');
    expect(plain.match(/^Answer: (\\_){40}$/gm)).toHaveLength(4);
    expect(plain).toContain(`Token: ${'\\_'.repeat(40)}  \nSecret: ${'\\_'.repeat(40)}`);
  });

  test('--json: the same tasks as data, the key only with --answers', async () => {
    const plain = JSON.parse(await sheet(['--seed', 's', 'worksheet', 'read-subject', '--json']));
    expect(plain).toEqual({ seed: 's', pack: null, exercises: [{ id: 'read-subject', title: 'Who is this token about?', topic: 'read-a-token', task: expect.any(Array), choices: null, answerNames: ['answer'] }] });
    const key = JSON.parse(await sheet(['--seed', 's', 'worksheet', 'read-subject', '--json', '--answers']));
    expect(key.exercises[0].key.answers).toEqual([materialFor(findExercise(builtIn, 'read-subject'), 's').sub]);
  });

  test('a pack: its exercises by default; its text escaped only where Markdown or HTML would read it as markup, its material as code', async () => {
    const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-sheet-pack-'));
    mkdirSync(pack, { recursive: true });
    const example = JSON.parse(readFileSync(join(lessonsFolder(), 'example-pack', '01-pack-read-issuer.json'), 'utf8'));
    writeFileSync(join(pack, '01-markup.json'), JSON.stringify({
      ...example,
      id: 'pack-markup',
      title: '# Not a *heading* <b>',
      task: [
        'Your token: {{token}} and _this_ [link](javascript:alert(1)) <script>x</script> | a & b',
        '1. not a list',
        '- not a bullet either',
        '<img src=x onerror=alert(1)> ![i](javascript:alert(1)) <javascript:alert(1)> &lt;b&gt; <!-- hidden -->',
        '[ref]: javascript:alert(1)',
        'Run `jwt-vs-oauth decode {{token}} <b>` then compare: a > b, snake_case & more.',
      ],
    }));
    const result = await sheet(['--pack', pack, '--seed', 's', 'worksheet']);
    expect(result.match(/^## /gm)).toHaveLength(1);
    const token = materialFor(findExercise(loadExercises(join(lessonsFolder(), 'exercises'), pack), 'pack-markup'), 's').token!;
    expect(result).toContain('## 1. \\# Not a \\*heading\\* \\<b>\n');
    expect(result).toContain(`\nYour token: \`${token}\` and \\_this\\_ [link\\](javascript:alert(1)) \\<script>x\\</script> \\| a & b\n`);
    expect(result).toContain('\n1\\. not a list\n');
    expect(result).toContain('\n\\- not a bullet either\n');
    // Every way into HTML, a link or an image is escaped (a CommonMark renderer shows it as text):
    expect(result).toContain('\n\\<img src=x onerror=alert(1)> ![i\\](javascript:alert(1)) \\<javascript:alert(1)> \\&lt;b\\&gt; \\<!-- hidden -->\n');
    expect(result).toContain('\n\\[ref\\]: javascript:alert(1)\n');
    // Backticks in the task stay a code span (its content is never markup), with the material filled in.
    expect(result).toContain(`\nRun \`jwt-vs-oauth decode ${token} <b>\` then compare: a > b, snake_case & more.\n`);
    // Nothing left outside code that a renderer would take for a tag, a link or an entity.
    const outsideCode = result.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
    expect(outsideCode).not.toMatch(/(^|[^\\])<[a-z!/?]/im);
    expect(outsideCode).not.toMatch(/(^|[^\\])\]\(/m);
    expect(outsideCode).not.toMatch(/(^|[^\\])&[a-z]+;/im);
  });

  test('the built-in sheet reads well raw: code spans from the task, > and & as they are, _ inside words as it is', async () => {
    const raw = await sheet(['--seed', 'asha-rao', 'worksheet']);
    expect(raw).toContain('\n`jwt-vs-oauth exercises start oauth-access-token` runs Mock Google');
    expect(raw).not.toContain('\\`');
    expect(raw).not.toMatch(/&(gt|lt|amp);/);
    expect(raw).toContain('--material issuerKey > issuer.pem');
    expect(raw).toContain('…/authorize?response_type=code&client_id=swaad-web&redirect_uri=');
    expect(raw).toContain('Authorization: Bearer \\<id_token>, and the API answers 401.');
    expect(raw).toContain('## 17. Fix: a redirect_uri the provider refuses');
  });

  test('the key follows the solution\'s order: the explanation (which speaks of "the secret below"), the command with that secret, then the answers', async () => {
    const key = await sheet(['--seed', 'seed-one', 'worksheet', 'fix-short-secret', '--answers']);
    const at = (text: string) => key.indexOf(text);
    expect(at('The secret below is 32 random bytes made fresh')).toBeGreaterThan(0);
    expect(at('$ jwt-vs-oauth mint --secret ')).toBeGreaterThan(at('The secret below is 32 random bytes made fresh'));
    expect(at('**Answers:**')).toBeGreaterThan(at('$ jwt-vs-oauth mint --secret '));
  });

  test('--paper: a long value in a fenced block of 64-character lines below its paragraph, with a note; without it, one code span', async () => {
    const token = materialFor(findExercise(builtIn, 'read-subject'), 'seed-one').token!;
    const paper = await sheet(['--seed', 'seed-one', 'worksheet', 'read-subject', 'pkce-challenge', '--paper']);
    expect(paper).toContain('Long values (tokens, challenges) are printed below their task in lines of 64 characters: each is one line, so type it without the breaks. On a computer, print one to copy with\n\n```sh\njwt-vs-oauth exercises --seed seed-one show <id> --material <name>\n```\n');
    expect(paper).toContain(': `token` (below)\n\n`token`, one line of ' + token.length + ' characters:\n\n```\n');
    const block = /`token`, one line of \d+ characters:\n\n```\n([\s\S]*?)\n```/.exec(paper)![1]!.split('\n');
    expect(block.every((line) => line.length <= 64)).toBe(true);
    expect(block.join('')).toBe(token);
    expect(paper).not.toContain(token);
    const screen = await sheet(['--seed', 'seed-one', 'worksheet', 'read-subject']);
    expect(screen).toContain(`\`${token}\``);
    expect(screen).not.toContain('(below)');
  });

  test.each([
    ['*a* _b_ `c`', '\\*a\\* \\_b\\_ \\`c\\`'],
    ['snake_case and __init__', 'snake_case and \\_\\_init\\_\\_'],
    ['~~gone~~ $x$', '\\~\\~gone\\~\\~ \\$x\\$'],
    ['+ item', '\\+ item'],
    ['12) item', '12\\) item'],
    ['> quoted', '\\> quoted'],
    ['a - b > c & d < 3', 'a - b > c & d < 3'],
    ['&amp; &#60; &#x3C;', '\\&amp; \\&#60; \\&#x3C;'],
    ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert(1)>'],
    ['[a](javascript:x) [b][c]', '\\[a\\](javascript:x) [b\\][c]'],
    ['see [a](javascript:x)', 'see [a\\](javascript:x)'],
    ['C# #tag', 'C# \\#tag'],
    ['back\\slash \\*', 'back\\slash \\\\\\*'],
  ])('Markdown-escaped: %j → %j', (text, escaped) => {
    expect(escapeMarkdown(text)).toBe(escaped);
  });

  test('--answers asks for the pack\'s teacher passphrase, as solution --teacher does; without a teacherKey it says the key is open', async () => {
    const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-sheet-key-'));
    writeFileSync(join(pack, '01-pack-read-issuer.json'), readFileSync(join(lessonsFolder(), 'example-pack', '01-pack-read-issuer.json')));
    writeFileSync(join(pack, 'pack.json'), JSON.stringify({ teacherKey: await makeTeacherKey('correct horse battery staple') }));
    const run = (passphrase?: string) => runCli(['ex', '--pack', pack, '--seed', 's', 'worksheet', '--answers'], { env: { ...env(), ...(passphrase && { JWT_VS_OAUTH_TEACHER_KEY: passphrase }) } });
    const without = await run();
    expect([without.code, without.stdout]).toEqual([2, '']);
    expect(without.stderr).toMatch(/^error: This pack sets a teacher key/);
    const wrong = await run('not the passphrase');
    expect([wrong.code, wrong.stdout]).toEqual([2, '']);
    const right = await run('correct horse battery staple');
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('**Answer:** `');
    const open = await runCli(['ex', '--seed', 's', 'worksheet', 'read-subject', '--answers'], { env: env() });
  });

  test.each(['b', 'B', '2', '(b)', 'An HttpOnly, Secure, SameSite cookie'])('the key names a choice answered as %j the way the check reads it: its letter and text', async (answer) => {
    const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-sheet-choice-'));
    const example = JSON.parse(readFileSync(join(lessonsFolder(), 'example-pack', '02-pack-choose-storage.json'), 'utf8'));
    writeFileSync(join(pack, '02-choice.json'), JSON.stringify({ ...example, solution: { ...example.solution, answers: [answer] } }));
    const key = await sheet(['--pack', pack, '--seed', 's', 'worksheet', '--answers']);
    expect(key).toContain('**Answer:** (b) An HttpOnly, Secure, SameSite cookie\n');
  });

  test('a pack\'s sheet gives the check command with --pack, shell-quoted, and that command finds the exercise', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-sheet-pack-'));
    const pack = join(parent, "Week 3's pack");
    mkdirSync(pack);
    writeFileSync(join(pack, '01-pack-read-issuer.json'), readFileSync(join(lessonsFolder(), 'example-pack', '01-pack-read-issuer.json')));
    const result = await sheet(['--pack', pack, '--seed', 'asha-rao', 'worksheet']);
    const quoted = `'${pack.replace(/'/g, `'\\''`)}'`;
    expect(result).toContain(`\n\`\`\`sh\njwt-vs-oauth exercises --pack ${quoted} --seed asha-rao check <id> <answer>\n\`\`\`\n`);
    expect(JSON.parse(await sheet(['--pack', pack, '--seed', 'asha-rao', 'worksheet', '--json'])).pack).toBe(pack);
    // The command as printed, run: the pack's exercise is found (a wrong answer, not "There is no exercise").
    const shown = await runCli(['ex', '--pack', pack, '--seed', 'asha-rao', 'check', 'pack-read-issuer', 'nope'], { env: env() });
    expect(shown.stderr).not.toMatch(/There is no exercise/);
    expect(shown.code).toBe(1);
    // Without a pack the command has none.
    expect(await sheet(['--seed', 'asha-rao', 'worksheet', 'read-subject'])).toContain('\njwt-vs-oauth exercises --seed asha-rao check <id> <answer>\n');
  });

  test('--answers without the passphrase names --answers, the option typed, not --teacher', async () => {
    const pack = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-sheet-key-'));
    writeFileSync(join(pack, '01-pack-read-issuer.json'), readFileSync(join(lessonsFolder(), 'example-pack', '01-pack-read-issuer.json')));
    writeFileSync(join(pack, 'pack.json'), JSON.stringify({ teacherKey: await makeTeacherKey('correct horse battery staple') }));
    const without = await runCli(['ex', '--pack', pack, '--seed', 's', 'worksheet', '--answers'], { env: env() });
    expect(without.code).toBe(2);
    expect(without.stderr.split('\n')[0]).toBe('error: This pack sets a teacher key: --answers needs its passphrase.');
    expect(without.stderr).not.toContain('--teacher');
    const open = await runCli(['ex', '--seed', 's', 'worksheet', 'read-subject', '--answers'], { env: env() });
    expect(open.stderr).toBe('No teacher key is set (no pack with a teacherKey in its pack.json), so --answers is open to anyone.\n');
  });

  test('an unknown exercise: exit 2', async () => {
    const result = await runCli(['ex', 'worksheet', 'nope'], { env: env() });
    expect([result.code, result.stderr]).toEqual([2, 'error: There is no exercise "nope".\nList them with: jwt-vs-oauth exercises list\n']);
  });
});
