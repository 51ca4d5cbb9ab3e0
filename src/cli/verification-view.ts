// The verify checklist as text: one line per check with ✓, ✗ or –, then the verdict in words.
// Shared by `verify` and the OAuth demo's ID token step. Names, details and the verdict quote the
// token (kid, alg, iss, aud, jose's messages), so all of it is shown terminal-safe: a token
// cannot hide the ✗ lines (SGR 8) or print a fake ✓ VALID line.

import { MARK, type Output } from './output.js';
import type { VerifyResult } from '../jwt/verify.js';
import type { Warning } from '../jwt/warnings.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { displayWidth, ITEM_MARKER, layoutTable, wrapParagraph, type TableOptions } from '../text/layout.js';

/** Holds a number to its unit while a line wraps; printed as an ordinary space. */
const HELD_SPACE = '\u00a0';

/**
 * The checklist, the verdict and the token's warnings, laid out to `width` columns (Infinity keeps
 * lines whole): a check's detail wraps under itself, a warning's message under itself after its code.
 */
export function renderVerification(result: VerifyResult, output: Output, time: { now: number; clockTolerance: number; at: boolean }, width = Infinity): string {
  const c = output.colour;
  const checks = result.checks.map((check) => ({ ...check, name: terminalSafe(check.name), detail: holdUnits(terminalSafe(check.detail)), code: check.code && terminalSafe(check.code) }));
  const when = new Date(time.now * 1000).toISOString().replace('.000Z', 'Z');
  const title = `Verifying ${describeSigning(result)}`;
  // A number and its unit are held together by a no-break space while lines wrap ("0 s" never split).
  const note = `(time: ${when}${time.at ? ' from --at' : ''}, clock tolerance ${time.clockTolerance}${HELD_SPACE}s)`;
  const heading = displayWidth(`${title}  ${note}`) <= width ? [c.bold(title) + c.dim(`  ${note}`)] : [...wrapParagraph(c.bold(title), width), ...wrapParagraph(note, width, { lead: '  ' }).map((line) => c.dim(line))];
  const lines = [...heading, ''];
  lines.push(...displayTable(checks.map((check) => {
    const mark = check.skipped ? c.dim(MARK.skipped) : check.ok ? c.green(MARK.ok) : c.red(MARK.fail);
    const detail = check.skipped ? c.dim(check.detail) : check.detail;
    return [`${mark} ${check.name}`, `${detail}${!check.ok && check.code && !check.skipped ? c.dim(` [${check.code}]`) : ''}`];
  }), width, { indent: '  ', gap: 2, minLastColumn: 24 }));
  lines.push('');
  const verdict = holdUnits(terminalSafe(result.verdict));
  const verdictLine = result.valid ? c.green.bold(`${MARK.ok} VALID`) + ` ${verdict.replace(/^valid: /, '')}` : c.red.bold(`${MARK.fail} INVALID`) + ` ${verdict.replace(/^invalid: /, '')}`;
  // The verdict's later lines go under its words, after "✓ VALID " / "✗ INVALID ".
  const verdictMark = result.valid ? `${MARK.ok} VALID ` : `${MARK.fail} INVALID `;
  lines.push(...wrapParagraph(verdictLine, width, { hang: ' '.repeat(verdictMark.length) }));
  lines.push(...displayTable(result.warnings.map((warning) => [c.yellow(`${MARK.warn} ${terminalSafe(warning.code)}`), terminalSafe(warning.message)]), width, { indent: '  ', gap: 2 }));
  return lines.join('\n').replaceAll(HELD_SPACE, ' ');
}

/** "5 s", "2 seconds", "4 years": the number held to its unit while the text wraps. */
function holdUnits(text: string): string {
  return text.replace(/\b(\d+) (s|ms|seconds?|minutes?|hours?|days?|weeks?|months?|years?)\b/g, `$1${HELD_SPACE}$2`);
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

// ESC [ … m: the colour codes a cell may hold (they take no columns).
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * layoutTable for a table that is read, not pasted: a word too wide for the room its cell gets
 * (a kid, a nonce, a formula) goes on a line of its own under its column and, if still too wide,
 * is shortened in the middle with "…" (start and end kept), never broken with "\" to column 0,
 * which would put its rest outside the column.
 */
export function displayTable(rows: readonly (readonly string[])[], width: number, options: TableOptions = {}): string[] {
  if (!Number.isFinite(width)) return layoutTable(rows, width, options);
  const indent = displayWidth(options.indent ?? '');
  const gap = options.gap ?? 2;
  const all = options.headings ? [options.headings, ...rows] : rows;
  const columns = Math.max(0, ...all.map((row) => row.length));
  if (columns === 0) return [];
  // The same choice layoutTable makes: aligned while the last column keeps its room, else stacked.
  const widths = Array.from({ length: columns - 1 }, (_, column) => Math.max(0, ...all.map((row) => displayWidth(row[column] ?? ''))));
  const before = indent + widths.reduce((sum, columnWidth) => sum + columnWidth + gap, 0);
  const lastWidth = Math.max(0, ...all.map((row) => displayWidth(row[columns - 1] ?? '')));
  const aligned = before + Math.min(lastWidth, options.minLastColumn ?? 24) <= width;
  const fitted = rows.map((row) => row.map((cell, column) => {
    if (aligned) return column === columns - 1 ? shortenWords(cell, width - before) : cell;
    // Stacked: the first cell under the indent, the others two deeper (and after their marker or label).
    const marker = column > 0 && !options.headings?.[column] ? ITEM_MARKER.exec(cell.replace(SGR, ''))?.[0] ?? '' : '';
    const hang = column === 0 ? indent + 2 : indent + 2 + (options.headings?.[column] ? 2 : displayWidth(marker));
    return shortenWords(cell, width - hang);
  }));
  return layoutTable(fitted, width, options);
}

/** Each word of `text` wider than `columns` shortened in the middle to fit them. */
function shortenWords(text: string, columns: number): string {
  return text.split(' ').map((word) => (displayWidth(word) > columns ? shortenInMiddle(word, columns) : word)).join(' ');
}

/**
 * `word` cut to `columns` terminal columns with "…" in its middle, its start and end kept; the
 * colour codes of the part cut out are kept (they take no columns), so colours still close.
 */
export function shortenInMiddle(word: string, columns: number): string {
  if (displayWidth(word) <= columns) return word;
  const pieces = word.split(/(\x1b\[[0-9;]*m)/).flatMap((piece) => (piece.startsWith('\x1b') ? [piece] : [...piece]));
  const keep = Math.max(0, columns - 1);
  const headRoom = Math.ceil(keep / 2);
  let tailRoom = keep - headRoom;
  let head = '';
  let used = 0;
  let index = 0;
  for (; index < pieces.length; index++) {
    const piece = pieces[index]!;
    const pieceWidth = displayWidth(piece);
    if (used + pieceWidth > headRoom) break;
    head += piece;
    used += pieceWidth;
  }
  tailRoom += headRoom - used;
  let tail = '';
  let end = pieces.length;
  for (; end > index; end--) {
    const piece = pieces[end - 1]!;
    const pieceWidth = displayWidth(piece);
    if (pieceWidth > tailRoom) break;
    tail = piece + tail;
    tailRoom -= pieceWidth;
  }
  const codesCut = pieces.slice(index, end).filter((piece) => piece.startsWith('\x1b')).join('');
  return `${head}${codesCut}…${tail}`;
}
