// The verify checklist as text: one line per check with ✓, ✗ or –, then the verdict in words.
// Shared by `verify` and the OAuth demo's ID token step. Names, details and the verdict quote the
// token (kid, alg, iss, aud, jose's messages), so all of it is shown terminal-safe: a token
// cannot hide the ✗ lines (SGR 8) or print a fake ✓ VALID line.

import { MARK, type Output } from './output.js';
import type { VerifyResult } from '../jwt/verify.js';
import { terminalSafe } from '../text/terminal-safe.js';

export function renderVerification(result: VerifyResult, output: Output, time: { now: number; clockTolerance: number; at: boolean }): string {
  const c = output.colour;
  const checks = result.checks.map((check) => ({ ...check, name: terminalSafe(check.name), detail: terminalSafe(check.detail), code: check.code && terminalSafe(check.code) }));
  const nameWidth = Math.max(...checks.map((check) => check.name.length));
  const when = new Date(time.now * 1000).toISOString().replace('.000Z', 'Z');
  const lines = [
    c.bold(`Verifying a ${result.type} signed with ${terminalSafe(String(result.header.alg))}`) + c.dim(`  (time: ${when}${time.at ? ' from --at' : ''}, clock tolerance ${time.clockTolerance} s)`),
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
  for (const warning of result.warnings) lines.push(`  ${c.yellow(`${MARK.warn} ${warning.code}`)}  ${terminalSafe(warning.message)}`);
  return lines.join('\n');
}
