// Draws a demo step in the terminal: the sequence diagram of browser, app and provider with the
// current arrows marked, the explanation, and the real HTTP exchanges, long values shortened.
// Much of it came from outside (a request, a response, a token, a forged callback), so every piece
// of a step is made terminal-safe here, before it is padded or coloured; --json keeps exact values.

import { MARK, type Output } from './output.js';
import { displayTable, renderVerification } from './verification-view.js';
import { meaningOfClaim, TIME_CLAIMS } from '../jwt/claims.js';
import { isoFromSeconds } from '../jwt/time.js';
import { partyName, type Arrow, type Party, type Step } from '../oauth/steps.js';
import type { RecordedExchange } from '../oauth/user-agent.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { displayWidth, layoutLine, layoutText, padEndVisible, wrapParagraph, type WrapOptions } from '../text/layout.js';

/** The widest a step is laid out, even on a wider terminal: longer lines of prose are hard to read. */
const WIDEST_STEP = 120;
/** Where the first lifeline is drawn: after the step's marker and number ("▶ 1"). */
const FIRST_LIFELINE = 5;
/** Columns between two lifelines, at most (a roomy diagram) and at least (the party names still fit). */
const WIDEST_GAP = 26;
const NARROWEST_GAP = 12;

export interface DrawnArrow extends Arrow {
  step: number;
}

/**
 * A label's words, with what must not be split held together by HELD_SPACE: a request's method
 * and its path ("GET /authorize?…"), and a <placeholder> of several words.
 */
function heldLabel(label: string): string {
  return label
    .replace(/\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (?=\S)/g, `$1${HELD_SPACE}`)
    .replace(/<[^<>]*>/g, (placeholder) => placeholder.replaceAll(' ', HELD_SPACE));
}

/** Holds words together while a label wraps (labels are made terminal-safe first, so have none of their own). */
const HELD_SPACE = '\u00a0';

/**
 * The sequence diagram so far, `width` columns at most (Infinity: as roomy as it gets). The
 * lifelines move closer on a narrow screen; a label too long for its arrow is written on the
 * line above the arrow, inside its own lane (between the arrow's two lifelines, never over
 * another), wrapped at most over two lines between its words, never cut, a request's method kept
 * with its path; the current step's arrows are marked with ▶. When equal lanes leave a label no
 * room, the lanes are shared out unevenly; when no sharing works (or four lifelines do not fit),
 * the arrows are listed in words instead. `lanes`: the flow's own lifelines, left to right;
 * `laneNames`: names that differ from the usual ones in this scene.
 */
export function renderDiagram(history: DrawnArrow[], current: number, output: Output, width = Infinity, lanes?: Party[], laneNames?: Step['laneNames']): string[] {
  const c = output.colour;
  const nameOf = (party: Party) => partyName(party, { laneNames });
  const parties: Party[] = lanes ?? ['browser', 'app', 'provider', ...(history.some((arrow) => arrow.from === 'attacker' || arrow.to === 'attacker') ? ['attacker' as Party] : [])];
  const lastHalf = Math.ceil(displayWidth(nameOf(parties.at(-1)!)) / 2);
  const gap = Math.min(WIDEST_GAP, Math.floor((width - FIRST_LIFELINE - lastHalf) / (parties.length - 1)));
  const paint = (arrow: DrawnArrow, rows: string[]) => {
    const isCurrent = arrow.step === current;
    const number = `${isCurrent ? '▶' : ' '}${String(arrow.step).padStart(2)}`;
    return rows.map((row, index) => (index === 0 ? number : '   ') + row.slice(3)).map((row) => (isCurrent ? c.cyan.bold(row) : c.dim(row)));
  };
  /** One numbered line per arrow, its later lines under its words. */
  const listed = () => history.flatMap((arrow) => {
    const label = terminalSafe(arrow.label);
    const said = arrow.from === arrow.to ? `${nameOf(arrow.from)}: ⟲ ${label}` : `${nameOf(arrow.from)} → ${nameOf(arrow.to)}: ${label}`;
    // A request is kept with its method when it fits a line that way.
    const held = displayWidth(said) <= width - 4 || displayWidth(heldLabel(label).split(' ').reduce((widest, word) => (displayWidth(word) > displayWidth(widest) ? word : widest), '')) <= width - 4 ? heldLabel(said) : said;
    return paint(arrow, wrapParagraph(held, width, { lead: '    ' }).map((line) => line.replaceAll(HELD_SPACE, ' ')));
  });
  if (gap < NARROWEST_GAP) return listed();
  // Equal lanes first; where a label does not fit its lane, lanes of other widths (the same room
  // shared out differently, the most even first) before giving up the drawing.
  for (const gaps of laneWidths(parties.length - 1, gap, Math.min((parties.length - 1) * WIDEST_GAP, width - FIRST_LIFELINE - lastHalf))) {
    const drawn = drawDiagram(gaps.reduce((columns, laneWidth) => [...columns, columns.at(-1)! + laneWidth], [FIRST_LIFELINE]));
    if (drawn) return drawn;
  }
  return listed();

  /** The diagram with lifelines at `columns`, or undefined when a label does not fit its lane. */
  function drawDiagram(columns: number[]): string[] | undefined {
    const column = (party: Party) => columns[parties.indexOf(party)]!;
    const end = columns.at(-1)! + 1;
    /** Lifelines (and spaces between them) from column `from` up to, not including, `to`. */
    const lifelines = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, index) => (columns.includes(from + index) ? '│' : ' ')).join('');
    /** A row of lifelines with `text` written over them from column `start`, a space kept after it. */
    const over = (start: number, text: string) => `${lifelines(0, start)}${text} ${lifelines(start + displayWidth(text) + 1, end)}`.trimEnd();
    let unwritable = false;
    /**
     * `text` written in its own lane, between the lifelines `left` and `right` (a space kept from
     * each), wrapped between its words over at most two lines: written anywhere else it would run
     * over another party's lifeline and read as that party's. Where it does not fit, the diagram
     * gives way to the list in words.
     */
    const caption = (left: number, right: number, text: string, options: WrapOptions = {}) => {
      const from = left + 2;
      const room = right - 1 - from;
      const held = heldLabel(text);
      const lines = room > 0 && !held.split(' ').some((word) => displayWidth(options.lead ?? '') + displayWidth(word) > room) ? wrapParagraph(held, room, options) : [];
      if (lines.length === 0 || lines.length > 2) {
        unwritable = true;
        return [];
      }
      return lines.map((line) => over(from, line.replaceAll(HELD_SPACE, ' ')));
    };

    const header = parties.reduce((line, party) => {
      const name = nameOf(party);
      return line.padEnd(column(party) - Math.floor(displayWidth(name) / 2)) + name;
    }, '');
    const lines = [c.bold(header), lifelines(0, end)];
    for (const arrow of history) {
      const label = terminalSafe(arrow.label);
      const from = column(arrow.from);
      const to = column(arrow.to);
      if (from === to) {
        // A note to itself is written to the lifeline's right: up to the next lifeline, or the width.
        const next = columns.find((lifeline) => lifeline > from) ?? width + 1;
        lines.push(...paint(arrow, caption(from, next, label, { lead: '⟲ ' })));
        continue;
      }
      const [left, right] = from < to ? [from, to] : [to, from];
      const span = right - left - 1;
      const labelWidth = displayWidth(label);
      let body: string;
      const rows: string[] = [];
      if (labelWidth <= span - 5) {
        // On the arrow: a dash, the label between spaces, dashes, the head.
        const before = Math.max(1, Math.floor((span - labelWidth - 3) / 2));
        const after = span - labelWidth - 3 - before;
        body = from < to ? `${'─'.repeat(before)} ${label} ${'─'.repeat(after)}▶` : `◀${'─'.repeat(after)} ${label} ${'─'.repeat(before)}`;
      } else {
        rows.push(...caption(left, right, label));
        body = from < to ? `${'─'.repeat(span - 1)}▶` : `◀${'─'.repeat(span - 1)}`;
      }
      rows.push(`${lifelines(0, left + 1)}${body}${lifelines(right, end)}`.trimEnd());
      lines.push(...paint(arrow, rows));
    }
    return unwritable ? undefined : lines;
  }
}

/**
 * Widths for `lanes` lanes: all `equal` first, then every other split of at most `total` columns
 * with each lane from NARROWEST_GAP to WIDEST_GAP, the most even (smallest spread) first.
 */
function laneWidths(lanes: number, equal: number, total: number): number[][] {
  const splits: number[][] = [];
  const extend = (chosen: number[]) => {
    const used = chosen.reduce((sum, laneWidth) => sum + laneWidth, 0);
    if (chosen.length === lanes - 1) {
      const last = Math.min(WIDEST_GAP, total - used);
      if (last >= NARROWEST_GAP) splits.push([...chosen, last]);
      return;
    }
    for (let laneWidth = NARROWEST_GAP; laneWidth <= WIDEST_GAP && used + laneWidth <= total; laneWidth++) extend([...chosen, laneWidth]);
  };
  extend([]);
  const spread = (split: number[]) => Math.max(...split) - Math.min(...split);
  return [Array.from({ length: lanes }, () => equal), ...splits.sort((a, b) => spread(a) - spread(b))];
}

/**
 * @deprecated use layout.ts: wrapParagraph(text, width, { lead: indent, hang: indent }).
 * Kept for the views that still import it; every line starts with `indent`.
 */
export function wrap(text: string, width: number, indent = ''): string[] {
  if (!text.trim()) return [];
  return wrapParagraph(text, width, { lead: indent, hang: indent });
}

/** @deprecated use layout.ts: layoutText(text, width). Kept for the views that still import it. */
export function wrapProse(text: string, width: number): string {
  return layoutText(text, width);
}

// dpop: a request's DPoP proof (RFC 9449 §4) is not a secret (it is public, and made for one request), so it is shown.
const INTERESTING_HEADERS = ['authorization', 'content-type', 'cookie', 'dpop', 'location', 'set-cookie', 'www-authenticate'];

/** Hides what must not be shown even in a demo: the password, the client secret, cookie values. */
export function maskSecrets(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (lower === 'authorization') {
    const [scheme] = value.split(' ');
    return `${scheme} ••••${scheme?.toLowerCase() === 'basic' ? ' (client_id:client_secret, base64)' : ''}`;
  }
  if (lower === 'cookie' || lower === 'set-cookie') return value.replace(/=([^;]{6})[^;]*/g, '=$1…');
  return value;
}

function shortenTokens(text: string, verbose: boolean): string {
  return verbose ? text : text.replace(/[\w-]{60,}(\.[\w-]{20,}){0,4}/g, (token) => `${token.slice(0, 20)}…(${token.length} chars)…${token.slice(-10)}`);
}

/** A request or response body as lines, each terminal-safe. */
function renderBody(body: string, contentType: string, verbose: boolean, form: boolean): string[] {
  return bodyLines(body, contentType, verbose, form).map(terminalSafe);
}

function bodyLines(body: string, contentType: string, verbose: boolean, form: boolean): string[] {
  if (!body) return [];
  if (form) {
    return [...new URLSearchParams(body)].map(([name, value]) => `${name}=${['password', 'client_secret'].includes(name) ? '••••••••' : shortenTokens(value, verbose)}`);
  }
  if (contentType.includes('json')) {
    try {
      return shortenTokens(JSON.stringify(JSON.parse(body), null, 2), verbose).split('\n');
    } catch {
      // Not JSON after all: shown as text below.
    }
  }
  if (contentType.includes('html')) {
    const title = /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? '';
    return verbose ? body.split('\n') : [`(an HTML page, ${body.length} bytes: "${title}")`];
  }
  return [shortenTokens(body, verbose)];
}

/** A line of an exchange (a header, a body line) that does not fit: later lines `hang` deeper than its own indent. */
function layoutIndented(line: string, width: number, hang = '  '): string[] {
  if (displayWidth(line) <= width) return [line];
  const indent = /^ */.exec(line)![0];
  return wrapParagraph(line.slice(indent.length), width, { lead: indent, hang: indent + hang });
}

/**
 * One HTTP exchange, laid out to `width`: a long URL is broken at its own separators (each break
 * marked "\"), headers and body lines wrap under themselves, a JSON body keeps its indentation.
 */
export function renderExchange(who: string, exchange: RecordedExchange, output: Output, verbose: boolean, width = Infinity): string[] {
  const c = output.colour;
  const { request, response } = exchange;
  const lines = [
    ...wrapParagraph(`${terminalSafe(who)}:`, width, { lead: '  ' }).map((line) => c.dim(line)),
    ...wrapParagraph(terminalSafe(shortenTokens(request.url, verbose)), width, { lead: `  ${c.bold('→')} ${c.bold(terminalSafe(request.method))} `, hang: '      ' }),
  ];
  const header = (name: string, value: string) => {
    const lead = `      ${terminalSafe(name)}: `;
    // A name that leaves the value too little room goes on a line of its own.
    if (displayWidth(lead) + Math.min(12, displayWidth(value)) <= width) return wrapParagraph(terminalSafe(value), width, { lead: `      ${c.dim(`${terminalSafe(name)}:`)} `, hang: '        ' });
    return [...wrapParagraph(`${terminalSafe(name)}:`, width, { lead: '      ' }).map((line) => c.dim(line)), ...wrapParagraph(terminalSafe(value), width, { lead: '        ' })];
  };
  for (const [name, value] of Object.entries(request.headers)) {
    if (verbose || INTERESTING_HEADERS.includes(name)) lines.push(...header(name, shortenTokens(maskSecrets(name, value), verbose)));
  }
  const body = (text: string) => layoutIndented(`      ${text}`, width);
  lines.push(...renderBody(request.body ?? '', request.headers['content-type'] ?? '', verbose, request.headers['content-type'] === 'application/x-www-form-urlencoded').flatMap(body));
  const status = response.status >= 400 ? c.red(String(response.status)) : c.green(String(response.status));
  lines.push(`  ${c.bold('←')} ${status}`);
  for (const [name, value] of Object.entries(response.headers)) {
    if (verbose || INTERESTING_HEADERS.includes(name)) lines.push(...header(name, shortenTokens(maskSecrets(name, name === 'content-security-policy' ? value.slice(0, 60) + (value.length > 60 ? '…' : '') : value), verbose)));
  }
  lines.push(...renderBody(response.body, response.headers['content-type'] ?? '', verbose, false).flatMap(body));
  return lines;
}

/**
 * Rows of name, value and what it means: three aligned columns ("name  value  — meaning", the
 * meaning wrapping under itself) when the meaning keeps room enough, else the value and its
 * meaning wrap together after the name; a value too wide for its column is shortened in its
 * middle, never broken out of the column.
 */
function glossTable(rows: Array<[name: string, value: string, meaning: string]>, width: number, indent: string, output: Output): string[] {
  const c = output.colour;
  const widest = (index: 0 | 1 | 2) => Math.max(...rows.map((row) => displayWidth(row[index])));
  // Padded here, with one space between columns, so the dash sits one space before the meaning.
  const threeColumns = displayWidth(indent) + widest(0) + widest(1) + 6 + Math.min(widest(2), 32) <= width;
  if (threeColumns) {
    return displayTable(rows.map(([name, value, meaning]) => [c.bold(padEndVisible(name, widest(0) + 1)), `${padEndVisible(value, widest(1))}  ${c.dim('—')}`, c.dim(meaning)]), width, { indent, gap: 1 });
  }
  return displayTable(rows.map(([name, value, meaning]) => [c.bold(name), `${value} ${c.dim(`— ${meaning}`)}`]), width, { indent });
}

// A row of a two-column list in a step's text: '  1 "User clicks Login with Google"  → step 1 (…)'.
const ARROW_ROW = /^( +)(\S.*?) {2,}(→ .*)$/;

/**
 * Rows of "what  → where": aligned when the right side keeps enough room, else each row stacked,
 * its "→ …" on the next line with its later lines under the words after the arrow.
 */
function arrowTable(rows: string[][], width: number, indent: string): string[] {
  const left = Math.max(...rows.map((row) => displayWidth(row[0]!)));
  if (displayWidth(indent) + left + 2 + 24 <= width) return displayTable(rows, width, { indent });
  return rows.flatMap(([what = '', where = '']) => [
    ...wrapParagraph(what, width, { lead: indent, hang: `${indent}  ` }),
    ...wrapParagraph(where.replace(/^→ /, ''), width, { lead: `${indent}  → ` }),
  ]);
}

/** A step's paragraphs and lists: a paragraph wraps, a list item wraps under its text, "a  → b" rows form a table. */
function layoutStepText(text: string[], width: number): string[] {
  const lines: string[] = [];
  for (let index = 0; index < text.length; index++) {
    const row = ARROW_ROW.exec(text[index]!);
    if (row) {
      const rows = [[row[2]!, row[3]!]];
      for (let next = ARROW_ROW.exec(text[index + 1] ?? ''); next; next = ARROW_ROW.exec(text[index + 1] ?? '')) {
        rows.push([next[2]!, next[3]!]);
        index++;
      }
      lines.push(...arrowTable(rows, width, row[1] ?? ''));
    } else {
      lines.push(...layoutLine(text[index]!, width));
    }
    // Items of a list stay together; a blank line ends a paragraph or a list.
    if (!text[index + 1]?.startsWith('  ')) lines.push('');
  }
  return lines;
}

/**
 * One step of the demo as text, laid out to `width` columns (at most 120; Infinity keeps every line
 * whole, for a pipe): its title and text, facts, the sequence diagram so far, the HTTP exchanges,
 * tokens, the ID token's verification and the step's checks.
 */
export function renderStep(step: Step, history: DrawnArrow[], output: Output, options: { verbose: boolean; width: number }): string {
  const c = output.colour;
  const width = Number.isFinite(options.width) ? Math.min(options.width, WIDEST_STEP) : Infinity;
  const lines = ['', ...wrapParagraph(`Step ${step.number} of ${step.total}: ${terminalSafe(step.title)}`, width, { hang: '  ' }).map((line) => c.bold.underline(line)), ''];
  lines.push(...layoutStepText(step.text.map(terminalSafe), width));
  if (step.facts?.length) {
    lines.push(...glossTable(step.facts.map((fact) => [terminalSafe(fact.name), terminalSafe(fact.value), terminalSafe(fact.meaning)]), width, '  ', output), '');
  }
  if (history.length) lines.push(...renderDiagram(history, step.number, output, width, step.lanes, step.laneNames), '');
  for (const shown of step.exchanges) lines.push(...renderExchange(shown.who, shown.exchange, output, options.verbose, width), '');
  for (const token of step.tokens ?? []) {
    const about = `${terminalSafe(String(token.header.alg))}, typ ${terminalSafe(String(token.header.typ))}, kid ${terminalSafe(String(token.header.kid).slice(0, 12))}…`;
    const label = terminalSafe(token.label);
    lines.push(...(displayWidth(`${label}  ${about}`) <= width ? [c.bold(label) + c.dim(`  ${about}`)] : [...wrapParagraph(label, width).map((line) => c.bold(line)), ...wrapParagraph(about, width, { lead: '  ' }).map((line) => c.dim(line))]));
    lines.push(...glossTable(Object.entries(token.claims).map(([name, value]) => [
      terminalSafe(name),
      TIME_CLAIMS.has(name) && typeof value === 'number' ? `${value} (${isoFromSeconds(value)})` : cut(terminalSafe(String(JSON.stringify(value))), 48),
      meaningOfClaim(name) ?? '',
    ]), width, '  ', output), '');
  }
  if (step.verification) {
    lines.push(...wrapParagraph('The app verifies the ID token:', width).map((line) => c.bold(line)));
    // The checklist and verdict, indented two more: what follows the title and its blank line.
    const shown = renderVerification(step.verification.result, output, { now: Math.floor(Date.now() / 1000), clockTolerance: 0, at: false }, width - 2).split('\n');
    lines.push(...shown.slice(shown.indexOf('') + 1).filter((line) => line.trim()).map((line) => `  ${line}`));
    if (step.verification.nonceMatches !== undefined) lines.push(...layoutLine(`    ${step.verification.nonceMatches ? c.green(MARK.ok) : c.red(MARK.fail)} nonce matches the one the app sent in step 1`, width));
    lines.push('');
  }
  for (const table of step.checks ?? []) {
    lines.push(...wrapParagraph(terminalSafe(table.heading), width).map((line) => c.bold(line)));
    lines.push(...displayTable(table.rows.map((row) => [`${row.ok ? c.green(MARK.ok) : c.red(MARK.fail)} ${terminalSafe(row.result)}`, terminalSafe(row.detail)]), width, { indent: '    ' }), '');
  }
  return lines.join('\n');
}

/** `text` cut to `length` characters, "…" marking the cut. */
function cut(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
