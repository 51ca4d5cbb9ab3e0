// `oauth --transcript <file>`: the file is created new before anything runs (never a link, a
// folder or a taken name), mode 0600, and nothing a user saved is overwritten, even mid-run.

import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { reserveNewFile } from '../../src/cli/files.js';
import { BIN, runBin, type CliResult } from '../helpers/cli.js';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-transcript-file-'));
});

/** The built bin in `folder`, with no terminal. */
const oauth = (...args: string[]) => runBin(['oauth', ...args], { cwd: folder });

describe('oauth --transcript refuses a name it cannot create new, before anything runs', () => {
  test('a dangling symbolic link stays a link, and nothing is made where it points', () => {
    symlinkSync('missing', join(folder, 'dl.jsonl'));
    const result = oauth('--auto', '--transcript', 'dl.jsonl');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: dl.jsonl is a symbolic link; --transcript never overwrites anything.\nChoose another name, or delete the old file first.\n');
    expect(result.stdout).toBe('');
    expect(lstatSync(join(folder, 'dl.jsonl')).isSymbolicLink()).toBe(true);
    expect(existsSync(join(folder, 'missing'))).toBe(false);
  });

  test('a folder that does not exist fails at once (the demo does not run)', () => {
    const result = oauth('--auto', '--transcript', 'no-such-folder/x.jsonl');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: Cannot create no-such-folder/x.jsonl (--transcript): its folder does not exist (create it first).\n');
    expect(result.stdout).toBe('');
  });

  test('a folder given as the file says so, with a transcript\'s name as the example', () => {
    mkdirSync(join(folder, 'out'));
    const result = oauth('--auto', '--transcript', 'out');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: out is a folder; --transcript never overwrites anything.\nGive a file name, for example out/flow.jsonl.\n');
    expect(result.stdout).toBe('');
  });

  test('an existing file is kept as it was', () => {
    writeFileSync(join(folder, 'taken.jsonl'), 'KEEP\n');
    const result = oauth('--auto', '--transcript', 'taken.jsonl');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: taken.jsonl already exists; --transcript never overwrites anything.\nChoose another name, or delete the old file first.\n');
    expect(result.stdout).toBe('');
    expect(readFileSync(join(folder, 'taken.jsonl'), 'utf8')).toBe('KEEP\n');
  });

  test('an empty name is refused, not ignored', () => {
    const result = oauth('--auto', '--transcript', '');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --transcript needs a file name; it was empty.\n');
    expect(result.stdout).toBe('');
  });
});

describe('oauth --transcript during the run', () => {
  test('a file written at that name while the demo runs is kept: the transcript is not written over it', async () => {
    const path = join(folder, 'race.jsonl');
    // The demo is paused (SIGSTOP) as soon as it says it started, the user's file is saved, then it goes on.
    const result = await new Promise<CliResult>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'oauth', '--flow', 'device', '--dpop', '--transcript', 'race.jsonl'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
      let stdout = '';
      let stderr = '';
      let saved = false;
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (!saved && stderr.includes('Mock Google (a local simulation) at')) {
          saved = true;
          child.kill('SIGSTOP');
          writeFileSync(path, 'PRECIOUS\n');
          child.kill('SIGCONT');
        }
      });
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: race.jsonl was changed or replaced while this ran; --transcript never overwrites anything, so nothing was written to it.\nRun again with a new file name.\n');
    expect(result.stderr).not.toContain('Wrote');
    expect(readFileSync(path, 'utf8')).toBe('PRECIOUS\n');
  }, 30_000);

  test.each(['SIGINT', 'SIGTERM'] as const)('%s while it runs with no prompt (the device flow waiting): the empty file goes, and the signal ends it as always', async (signal) => {
    const path = join(folder, 'stopped.jsonl');
    const ended = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; hadFile: boolean }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'oauth', '--flow', 'device', '--transcript', 'stopped.jsonl'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
      let stderr = '';
      let hadFile = false;
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (!hadFile && stderr.includes('Mock Google (a local simulation) at')) {
          hadFile = existsSync(path);
          child.kill(signal);
        }
      });
      child.on('close', (code, killedBy) => resolve({ code, signal: killedBy, hadFile }));
    });
    expect(ended.hadFile).toBe(true);
    expect(ended.signal).toBe(signal);
    expect(existsSync(path)).toBe(false);
  }, 30_000);

  test('the transcript is mode 0600 and says what it keeps: secrets masked, the tokens whole to decode', () => {
    const result = oauth('--auto', '--transcript', 'flow.jsonl');
    expect(result.code).toBe(0);
    const path = join(folder, 'flow.jsonl');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(result.stderr).toContain('Wrote 7 HTTP exchanges to flow.jsonl. Passwords and client secrets are masked; the tokens are whole, for you to decode: only this run\'s Mock Google accepted them, and it stops with the demo.\n');
    const exchanges = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { request: { url: string }; response: { body?: string } });
    const tokenResponse = JSON.parse(exchanges.find((exchange) => new URL(exchange.request.url).pathname === '/token')!.response.body!);
    // Whole tokens: three base64url parts each, the payload readable JSON.
    for (const token of [tokenResponse.access_token, tokenResponse.id_token]) {
      expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())).toHaveProperty('sub');
    }
  });

  test('--help says the same', () => {
    const result = runBin(['oauth', '--help']);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('--transcript <file> write every HTTP exchange as JSON lines to a new file, mode 0600 (passwords and client secrets masked; the demo\'s tokens kept whole, to decode)');
    expect(result.stdout).not.toContain('secrets masked)');
  });
});

describe('reserveNewFile (what --transcript and --save-key share)', () => {
  const options = { flag: '--transcript', mode: 0o600 };

  test('a run that fails discards the empty file it reserved', async () => {
    const path = join(folder, 'failed.jsonl');
    const file = await reserveNewFile(path, options);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await file.discard();
    expect(existsSync(path)).toBe(false);
  });

  test('discarding never removes what someone else wrote there meanwhile', async () => {
    const path = join(folder, 'theirs.jsonl');
    const file = await reserveNewFile(path, options);
    writeFileSync(path, 'theirs\n');
    await file.discard();
    expect(readFileSync(path, 'utf8')).toBe('theirs\n');
  });

  test('a file put in its place meanwhile is neither written nor removed', async () => {
    const path = join(folder, 'replaced.jsonl');
    const file = await reserveNewFile(path, options);
    unlinkSync(path);
    writeFileSync(path, 'new\n');
    await expect(file.fill('transcript\n')).rejects.toThrow('replaced.jsonl was changed or replaced while this ran; --transcript never overwrites anything, so nothing was written to it.');
    await file.discard();
    expect(readFileSync(path, 'utf8')).toBe('new\n');
  });
});
