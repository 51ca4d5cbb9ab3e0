// Runs the CLI in-process with captured streams, or the built bin as a real subprocess.

import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCaptured } from '../../src/cli/main.js';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** In-process run with no terminal: stdin is the given text (or empty), colour off unless env says. */
export function runCli(argv: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; now?: number } = {}): Promise<CliResult> {
  return runCaptured(argv, { stdin: options.stdin, env: options.env, now: options.now !== undefined ? () => options.now! : undefined });
}

/** The built bin as a subprocess, the way a user runs it (no terminal). */
export function runBin(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
  const spawnOptions: SpawnSyncOptions = {
    input: options.input ?? '',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    encoding: 'utf8',
    timeout: 20_000,
    cwd: options.cwd,
  };
  const result = spawnSync(process.execPath, [BIN, ...args], spawnOptions);
  return { code: result.status ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export const RFC7515_HS256_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
export const RFC7515_HS256_JWK = { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' };
export const RFC7515_ES256_TOKEN =
  'eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q';
export const RFC7515_ES256_PUBLIC_JWK = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
export const RFC7515_UNSECURED_TOKEN =
  'eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.';
/** The RFC examples' exp is 1300819380 (2011-03-22T18:43:00Z); a minute before it they are fresh. */
export const RFC_EXAMPLE_NOW = 1300819320;

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A hand-assembled token (no signature check), for malformed and hostile inputs. */
export function rawToken(header: unknown, payload: unknown, signature = 'c2ln'): string {
  return `${base64url(header)}.${base64url(payload)}.${signature}`;
}
