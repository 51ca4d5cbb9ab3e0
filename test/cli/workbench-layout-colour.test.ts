// The token coloured by part, as jwt.io does (issue #13), only in colour and never by colour alone:
// decode colours header, payload and signature and names each part beside it; mint colours the
// token it prints on a terminal and names the parts on stderr, but piped (TOKEN=$(mint …)) its
// stdout is the bare token, even with FORCE_COLOR.

import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { BIN, RFC7515_HS256_TOKEN, RFC_EXAMPLE_NOW, runBin, runCli } from '../helpers/cli.js';

const [HEADER, PAYLOAD, SIGNATURE] = RFC7515_HS256_TOKEN.split('.') as [string, string, string];
// chalk level 1: red 31, magenta 35, cyan 36, dim 2.
const red = (text: string) => `\x1b[31m${text}\x1b[39m`;
const magenta = (text: string) => `\x1b[35m${text}\x1b[39m`;
const cyan = (text: string) => `\x1b[36m${text}\x1b[39m`;
const dim = (text: string) => `\x1b[2m${text}\x1b[22m`;

describe('decode: the token coloured by part, each part named in words', () => {
  test('FORCE_COLOR=1: the whole token in three colours, and each colour beside its part\'s name', async () => {
    const result = await runCli(['decode', RFC7515_HS256_TOKEN], { env: { FORCE_COLOR: '1' }, now: RFC_EXAMPLE_NOW });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`  ${red(HEADER)}${dim('.')}${magenta(PAYLOAD)}${dim('.')}${cyan(SIGNATURE)}\n`);
    const lines = result.stdout.split('\n');
    expect(lines.find((line) => line.startsWith(`  ${red('header')}`))).toContain(HEADER.slice(0, 20));
    expect(lines.find((line) => line.startsWith(`  ${magenta('payload')}`))).toContain(PAYLOAD.slice(0, 20));
    expect(lines.find((line) => line.startsWith(`  ${cyan('signature')}`))).toContain(SIGNATURE.slice(0, 20));
  });

  test('without colour the parts are still named, each beside its own text', async () => {
    const result = await runCli(['decode', RFC7515_HS256_TOKEN], { env: { NO_COLOR: '1', FORCE_COLOR: '1' }, now: RFC_EXAMPLE_NOW });
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(new RegExp(`^ {2}header +${HEADER.slice(0, 20)}`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^ {2}payload +${PAYLOAD.slice(0, 20)}`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^ {2}signature +${SIGNATURE.slice(0, 20)}`, 'm'));
  });
});

/** The bin under a pseudo-terminal (script(1)): the raw bytes it wrote, stdout and stderr together. */
function runInPty(args: string[], env: Record<string, string>): Promise<string> {
  const command = [process.execPath, BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...env } });
    let raw = '';
    child.stdout.on('data', (chunk) => (raw += chunk));
    child.on('close', () => resolve(raw));
  });
}

describe('mint: coloured by part on a terminal, the bare token when piped', () => {
  test('piped, even with FORCE_COLOR=1: stdout is the token alone, so TOKEN=$(mint …) works', () => {
    const result = runBin(['mint', '--secret', 'x'.repeat(32), '--sub', 'asha'], { env: { FORCE_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+\n$/);
  });

  test.skipIf(spawnSync('script', ['-V']).status !== 0)('on a terminal: the token in three colours, the parts named on stderr', async () => {
    const raw = await runInPty(['mint', '--secret', 'x'.repeat(32), '--sub', 'asha'], { FORCE_COLOR: '1' });
    const coloured = /\x1b\[31m(eyJ[\w-]+)\x1b\[39m\x1b\[2m\.\x1b\[22m\x1b\[35m(eyJ[\w-]+)\x1b\[39m\x1b\[2m\.\x1b\[22m\x1b\[36m([\w-]+)\x1b\[39m/.exec(raw);
    expect(coloured, raw).not.toBeNull();
    expect(raw).toContain(`Parts: \x1b[22m${red('header')}${dim('.')}${magenta('payload')}${dim('.')}${cyan('signature')}`);
    // The same token, decoded from its plain parts.
    const token = coloured!.slice(1, 4).join('.');
    expect(JSON.parse(runBin(['decode', '--json', token]).stdout).payload.sub).toBe('asha');
  }, 20_000);

  test.skipIf(spawnSync('script', ['-V']).status !== 0)('on a terminal with NO_COLOR: the plain token on one line, no "Parts" legend', async () => {
    const raw = await runInPty(['mint', '--secret', 'x'.repeat(32), '--sub', 'asha'], { NO_COLOR: '1' });
    expect(raw).not.toContain('\x1b[');
    expect(raw).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+\r?$/m);
    expect(raw).not.toContain('Parts:');
  }, 20_000);
});
