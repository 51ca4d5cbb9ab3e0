// Draws a demo step in the terminal: the sequence diagram of browser, app and provider with the
// current arrows marked, the explanation, and the real HTTP exchanges, long values shortened.
// Much of it came from outside (a request, a response, a token, a forged callback), so every piece
// of a step is made terminal-safe here, before it is padded or coloured; --json keeps exact values.

import { MARK, type Output } from './output.js';
import { renderVerification } from './verification-view.js';
import { meaningOfClaim, TIME_CLAIMS } from '../jwt/claims.js';
import { isoFromSeconds } from '../jwt/time.js';
import type { Arrow, Party, Step } from '../oauth/steps.js';
import type { RecordedExchange } from '../oauth/user-agent.js';
import { terminalSafe } from '../text/terminal-safe.js';

const PARTY_NAMES: Record<Party, string> = { browser: 'Browser', app: 'App (Swaad)', provider: 'Mock Google', attacker: 'Attacker' };
const GAP = 26;
const MARGIN = 6;

export interface DrawnArrow extends Arrow {
  step: number;
}

export function renderDiagram(history: DrawnArrow[], current: number, output: Output): string[] {
  const c = output.colour;
  const parties: Party[] = ['browser', 'app', 'provider', ...(history.some((arrow) => arrow.from === 'attacker' || arrow.to === 'attacker') ? ['attacker' as Party] : [])];
  const column = (party: Party) => MARGIN + parties.indexOf(party) * GAP;
  const width = column(parties.at(-1)!) + 1;
  const lifelines = () => {
    const line = Array<string>(width).fill(' ');
    for (const party of parties) line[column(party)] = '│';
    return line;
  };
  const header = Array<string>(width + 12).fill(' ');
  for (const party of parties) {
    const name = PARTY_NAMES[party];
    const start = Math.max(0, column(party) - Math.floor(name.length / 2));
    for (let index = 0; index < name.length; index++) header[start + index] = name[index]!;
  }
  const lines = [c.bold(header.join('').trimEnd()), lifelines().join('').trimEnd()];
  for (const arrow of history) {
    const line = lifelines();
    const from = column(arrow.from);
    const to = column(arrow.to);
    const label = terminalSafe(arrow.label);
    let text: string;
    if (from === to) {
      text = `${line.slice(0, from + 1).join('')} ⟲ ${label}`;
    } else {
      const [left, right] = from < to ? [from, to] : [to, from];
      const span = right - left - 1;
      const shown = ` ${label.length > span - 4 ? `${label.slice(0, span - 5)}…` : label} `;
      const body = Array<string>(span).fill('─');
      const offset = Math.max(1, Math.floor((span - shown.length) / 2));
      for (let index = 0; index < shown.length && offset + index < span - 1; index++) body[offset + index] = shown[index]!;
      if (from < to) body[span - 1] = '▶';
      else body[0] = '◀';
      for (let index = 0; index < span; index++) line[left + 1 + index] = body[index]!;
      text = line.join('').trimEnd();
    }
    const isCurrent = arrow.step === current;
    const marker = isCurrent ? '▶' : ' ';
    const numbered = `${marker}${String(arrow.step).padStart(2)}`;
    lines.push(isCurrent ? c.cyan.bold(numbered + text.slice(3)) : c.dim(numbered + text.slice(3)));
  }
  return lines;
}

export function wrap(text: string, width: number, indent = ''): string[] {
  const words = text.split(' ');
  const lines: string[] = [];
  let line = indent;
  for (const word of words) {
    if (line.trim() && (line + word).length > width) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** A list item ("  • text", or a table row "  1 "…"  → text") wrapped with its continuation lines under its text. */
function wrapItem(item: string, width: number): string[] {
  if (item.length <= width) return [item];
  const arrow = item.indexOf('→ ');
  const lead = arrow > 0 && arrow < width / 2 ? item.slice(0, arrow + 2) : /^\s*(?:\S+ )?/.exec(item)![0];
  const [first = '', ...rest] = wrap(item.slice(lead.length), width - lead.length);
  return [lead + first, ...rest.map((line) => ' '.repeat(lead.length) + line)];
}

/** Wraps the long prose lines of a block of output; indented lines (tables, tokens, code) stay as they are. */
export function wrapProse(text: string, width: number): string {
  return text.split('\n').flatMap((line) => (line.startsWith(' ') || line.length <= width ? [line] : wrap(line, width))).join('\n');
}

const INTERESTING_HEADERS = ['authorization', 'content-type', 'cookie', 'location', 'set-cookie', 'www-authenticate'];

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

export function renderExchange(who: string, exchange: RecordedExchange, output: Output, verbose: boolean): string[] {
  const c = output.colour;
  const { request, response } = exchange;
  const lines = [c.dim(`  ${terminalSafe(who)}:`), `  ${c.bold('→')} ${c.bold(terminalSafe(request.method))} ${terminalSafe(shortenTokens(request.url, verbose))}`];
  for (const [name, value] of Object.entries(request.headers)) {
    if (verbose || INTERESTING_HEADERS.includes(name)) lines.push(`      ${c.dim(`${terminalSafe(name)}:`)} ${terminalSafe(maskSecrets(name, value))}`);
  }
  lines.push(...renderBody(request.body ?? '', request.headers['content-type'] ?? '', verbose, request.headers['content-type'] === 'application/x-www-form-urlencoded').map((line) => `      ${line}`));
  const status = response.status >= 400 ? c.red(String(response.status)) : c.green(String(response.status));
  lines.push(`  ${c.bold('←')} ${status}`);
  for (const [name, value] of Object.entries(response.headers)) {
    if (verbose || INTERESTING_HEADERS.includes(name)) lines.push(`      ${c.dim(`${terminalSafe(name)}:`)} ${terminalSafe(shortenTokens(maskSecrets(name, name === 'content-security-policy' ? value.slice(0, 60) + (value.length > 60 ? '…' : '') : value), verbose))}`);
  }
  lines.push(...renderBody(response.body, response.headers['content-type'] ?? '', verbose, false).map((line) => `      ${line}`));
  return lines;
}

export function renderStep(step: Step, history: DrawnArrow[], output: Output, options: { verbose: boolean; width: number }): string {
  const c = output.colour;
  const width = Math.max(60, Math.min(options.width, 120));
  const lines = ['', c.bold.underline(`Step ${step.number} of ${step.total}: ${terminalSafe(step.title)}`), ''];
  const text = step.text.map(terminalSafe);
  text.forEach((paragraph, index) => {
    const isItem = paragraph.startsWith('  ');
    lines.push(...(isItem ? wrapItem(paragraph, width) : wrap(paragraph, width)));
    // Items of a list stay together; a blank line ends a paragraph or a list.
    if (!(isItem || text[index + 1]?.startsWith('  ')) || !text[index + 1]?.startsWith('  ')) lines.push('');
  });
  if (step.facts?.length) {
    const facts = step.facts.map((fact) => ({ name: terminalSafe(fact.name), value: terminalSafe(fact.value), meaning: terminalSafe(fact.meaning) }));
    const nameWidth = Math.max(...facts.map((fact) => fact.name.length));
    for (const fact of facts) lines.push(...wrap(`${c.bold(fact.name.padEnd(nameWidth))}  ${fact.value}  ${c.dim(`— ${fact.meaning}`)}`, width + 20, ' ').map((line, index) => (index === 0 ? line : ' '.repeat(nameWidth + 3) + line.trimStart())));
    lines.push('');
  }
  if (history.length) lines.push(...renderDiagram(history, step.number, output), '');
  for (const shown of step.exchanges) lines.push(...renderExchange(shown.who, shown.exchange, output, options.verbose), '');
  for (const token of step.tokens ?? []) {
    lines.push(c.bold(terminalSafe(token.label)) + c.dim(`  ${terminalSafe(String(token.header.alg))}, typ ${terminalSafe(String(token.header.typ))}, kid ${terminalSafe(String(token.header.kid).slice(0, 12))}…`));
    for (const [name, value] of Object.entries(token.claims)) {
      const shown = TIME_CLAIMS.has(name) && typeof value === 'number' ? `${value} (${isoFromSeconds(value)})` : terminalSafe(String(JSON.stringify(value))).slice(0, 48);
      lines.push(`  ${terminalSafe(name).padEnd(14)} ${shown.padEnd(48)} ${c.dim(meaningOfClaim(name) ?? '')}`);
    }
    lines.push('');
  }
  if (step.verification) {
    lines.push(c.bold('The app verifies the ID token:'));
    lines.push(...renderVerification(step.verification.result, output, { now: Math.floor(Date.now() / 1000), clockTolerance: 0, at: false }).split('\n').slice(2).filter((line) => line.trim()).map((line) => `  ${line}`));
    lines.push(`    ${step.verification.nonceMatches ? c.green(MARK.ok) : c.red(MARK.fail)} nonce matches the one the app sent in step 1`, '');
  }
  for (const table of step.checks ?? []) {
    lines.push(...wrap(terminalSafe(table.heading), width).map((line) => c.bold(line)));
    const resultWidth = Math.max(...table.rows.map((row) => row.result.length));
    for (const row of table.rows) {
      const mark = row.ok ? c.green(MARK.ok) : c.red(MARK.fail);
      const indent = ' '.repeat(resultWidth + 8);
      lines.push(...wrap(`${terminalSafe(row.result).padEnd(resultWidth)}  ${terminalSafe(row.detail)}`, width - indent.length).map((line, index) => (index === 0 ? `    ${mark} ${line}` : `${indent}${line}`)));
    }
    lines.push('');
  }
  return lines.join('\n');
}
