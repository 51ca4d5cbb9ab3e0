// The verify checklist as text: one line per check with ✓, ✗ or –, then the verdict in words.
// Shared by `verify` and the OAuth demo's ID token step. Names, details and the verdict quote the
// token (kid, alg, iss, aud, jose's messages), so all of it is shown terminal-safe: a token
// cannot hide the ✗ lines (SGR 8) or print a fake ✓ VALID line.

import { MARK, type Output } from './output.js';
import type { VerifyResult } from '../jwt/verify.js';
import type { Warning } from '../jwt/warnings.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { displayWidth, layoutTable, wrapParagraph } from '../text/layout.js';

/**
 * The checklist, the verdict and the token's warnings, laid out to `width` columns (Infinity keeps
 * lines whole): a check's detail wraps under itself, a warning's message under itself after its code.
 */
export function renderVerification(result: VerifyResult, output: Output, time: { now: number; clockTolerance: number; at: boolean }, width = Infinity): string {
  const c = output.colour;
  const checks = result.checks.map((check) => ({ ...check, name: terminalSafe(check.name), detail: terminalSafe(check.detail), code: check.code && terminalSafe(check.code) }));
  const when = new Date(time.now * 1000).toISOString().replace('.000Z', 'Z');
  const title = `Verifying ${describeSigning(result)}`;
  const note = `(time: ${when}${time.at ? ' from --at' : ''}, clock tolerance ${time.clockTolerance} s)`;
  const lines = [
    ...(displayWidth(`${title}  ${note}`) <= width ? [c.bold(title) + c.dim(`  ${note}`)] : [...wrapParagraph(c.bold(title), width), ...wrapParagraph(note, width, { lead: '  ' }).map((line) => c.dim(line))]),
    '',
  ];
  lines.push(...layoutTable(checks.map((check) => {
    const mark = check.skipped ? c.dim(MARK.skipped) : check.ok ? c.green(MARK.ok) : c.red(MARK.fail);
    const detail = check.skipped ? c.dim(check.detail) : check.detail;
    return [`${mark} ${check.name}`, `${detail}${!check.ok && check.code && !check.skipped ? c.dim(` [${check.code}]`) : ''}`];
  }), width, { indent: '  ', gap: 2, minLastColumn: 24 }));
  lines.push('');
  const verdict = terminalSafe(result.verdict);
  const verdictLine = result.valid ? c.green.bold(`${MARK.ok} VALID`) + ` ${verdict.replace(/^valid: /, '')}` : c.red.bold(`${MARK.fail} INVALID`) + ` ${verdict.replace(/^invalid: /, '')}`;
  // The verdict's later lines go under its words, after "✓ VALID " / "✗ INVALID ".
  const verdictMark = result.valid ? `${MARK.ok} VALID ` : `${MARK.fail} INVALID `;
  lines.push(...wrapParagraph(verdictLine, width, { hang: ' '.repeat(verdictMark.length) }));
  lines.push(...layoutTable(result.warnings.map((warning) => [c.yellow(`${MARK.warn} ${terminalSafe(warning.code)}`), terminalSafe(warning.message)]), width, { indent: '  ', gap: 2 }));
  return lines.join('\n');
}

/** "a JWT signed with ES256"; an alg "none" token is an Unsecured JWT (RFC 7519 §6), not a signed one. */
function describeSigning(result: VerifyResult): string {
  const alg = result.header.alg;
  if (typeof alg !== 'string') return `a ${result.type} whose header names no alg`;
  if (alg.toLowerCase() === 'none') return `an Unsecured ${result.type} (alg "${terminalSafe(alg)}": no signature, RFC 7519 §6)`;
  return `a ${result.type} signed with ${terminalSafe(alg)}`;
}

/**
 * Warnings about what the user gave (a secret, a key), said on stderr by mint and verify:
 * "! warning (code): message", laid out to `width` (stderr's), later lines under the message.
 */
export function talkWarnings(output: Output, warnings: readonly Warning[], width = Infinity): void {
  for (const warning of warnings) {
    const lead = `${MARK.warn} warning (${warning.code}): `;
    const lines = wrapParagraph(terminalSafe(warning.message), width, { lead, hang: '  ' });
    // The lead is coloured after the layout, so the colour codes cannot move a break.
    output.talk([output.talkColour.yellow(lead.trimEnd()) + lines[0]!.slice(lead.trimEnd().length), ...lines.slice(1)].join('\n'));
  }
}
