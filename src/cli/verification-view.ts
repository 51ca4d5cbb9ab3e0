// The verify checklist as text: one line per check with ✓, ✗ or –, then the verdict in words.
// Shared by `verify` and the OAuth demo's ID token step. Names, details and the verdict quote the
// token (kid, alg, iss, aud, jose's messages), so all of it is shown terminal-safe: a token
// cannot hide the ✗ lines (SGR 8) or print a fake ✓ VALID line.

import { MARK, type Output } from './output.js';
import type { VerifyResult } from '../jwt/verify.js';
import type { Warning } from '../jwt/warnings.js';
import { terminalSafe } from '../text/terminal-safe.js';

export function renderVerification(result: VerifyResult, output: Output, time: { now: number; clockTolerance: number; at: boolean }): string {
  const c = output.colour;
  const checks = result.checks.map((check) => ({ ...check, name: terminalSafe(check.name), detail: terminalSafe(check.detail), code: check.code && terminalSafe(check.code) }));
  const nameWidth = Math.max(...checks.map((check) => check.name.length));
  const when = new Date(time.now * 1000).toISOString().replace('.000Z', 'Z');
  const lines = [
    c.bold(`Verifying ${describeSigning(result)}`) + c.dim(`  (time: ${when}${time.at ? ' from --at' : ''}, clock tolerance ${time.clockTolerance} s)`),
    '',
  ];
  for (const check of checks) {
    const mark = check.skipped ? c.dim(MARK.skipped) : check.ok ? c.green(MARK.ok) : c.red(MARK.fail);
    const detail = check.skipped ? c.dim(check.detail) : check.detail;
    lines.push(`  ${mark} ${check.name.padEnd(nameWidth)}  ${detail}${!check.ok && check.code && !check.skipped ? c.dim(` [${check.code}]`) : ''}`);
  }
  lines.push('');
  const verdict = terminalSafe(result.verdict);
  lines.push(result.valid ? c.green.bold(`${MARK.ok} VALID`) + ` ${verdict.replace(/^valid: /, '')}` : c.red.bold(`${MARK.fail} INVALID`) + ` ${verdict.replace(/^invalid: /, '')}`);
  const codeWidth = Math.max(0, ...result.warnings.map((warning) => warning.code.length));
  for (const warning of result.warnings) lines.push(`  ${c.yellow(`${MARK.warn} ${warning.code.padEnd(codeWidth)}`)}  ${terminalSafe(warning.message)}`);
  return lines.join('\n');
}

/** "a JWT signed with ES256"; an alg "none" token is an Unsecured JWT (RFC 7519 §6), not a signed one. */
function describeSigning(result: VerifyResult): string {
  const alg = result.header.alg;
  if (typeof alg !== 'string') return `a ${result.type} whose header names no alg`;
  if (alg.toLowerCase() === 'none') return `an Unsecured ${result.type} (alg "${terminalSafe(alg)}": no signature, RFC 7519 §6)`;
  return `a ${result.type} signed with ${terminalSafe(alg)}`;
}

/** Warnings about what the user gave (a secret, a key), said on stderr by mint and verify: "! warning (code): message". */
export function talkWarnings(output: Output, warnings: readonly Warning[]): void {
  for (const warning of warnings) output.talk(`${output.talkColour.yellow(`${MARK.warn} warning (${warning.code}):`)} ${terminalSafe(warning.message)}`);
}
