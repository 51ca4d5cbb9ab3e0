// The one text layout every view uses: paragraphs, list items, commands and tables laid out to a
// width. A word is never split; a word wider than the line (a token, a URL, a long argument) is
// broken at its own separators where it has them, and every such break ends in "\" with the rest
// at column 0, so the pieces can be copied back: a shell joins backslash-newline, and `decode`
// joins it too. Widths count
// terminal columns (string-width: wide and emoji characters are two, colour codes none), and a
// colour that runs across a break is closed at the line's end and opened again on the next.

import stringWidth from 'string-width';

/** Columns of the widest line the views may print when the width is not known at all. */
export const DEFAULT_WIDTH = 80;
/** Narrowest width laid out: below it every line would be mostly breaks. */
const MIN_WIDTH = 20;
/** The mark at the end of a line whose last word continues on the next. */
export const BREAK_MARK = '\\';

// ESC [ … m, the only escape sequences our views write (colours); anything else was made safe before.
const SGR = /\x1b\[[0-9;]*m/g;
// Characters one column wide each, one UTF-16 unit each: ASCII, Latin, Greek, Cyrillic, general
// punctuation, arrows, box drawing and the marks the views use (string-width agrees on every one;
// a test checks). Text made only of them is measured without string-width, whose emoji pattern
// costs about 3 ms to compile on its first use, at every start-up of a command.
const NARROW_ONLY = /^[\x20-\x7e\u00a0-\u02ff\u0370-\u052f\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u257f✓✗✔✖▶◀▲▼›‹⏎€]*$/;

/** Columns `text` takes on a terminal: colour codes take none, wide characters two. */
export function displayWidth(text: string): number {
  if (NARROW_ONLY.test(text)) return text.length;
  const withoutColour = text.includes('\x1b') ? text.replace(SGR, '') : text;
  return NARROW_ONLY.test(withoutColour) ? withoutColour.length : stringWidth(text);
}

/** The characters displayWidth measures by itself, for the test that string-width agrees. */
export const NARROW_ONLY_PATTERN = NARROW_ONLY;

/**
 * The width to lay out for: a terminal's own columns; otherwise COLUMNS when set; otherwise 80
 * for an unknown terminal, and no limit for a pipe or a file (lines stay whole for grep and jq).
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv): number {
  const fromEnv = Number(env.COLUMNS);
  const chosen = stream.isTTY ? (stream.columns || (fromEnv > 0 ? fromEnv : DEFAULT_WIDTH)) : fromEnv > 0 ? fromEnv : Infinity;
  return Math.max(MIN_WIDTH, Math.floor(chosen));
}

export interface WrapOptions {
  /** Put before the first line (counted in the width). */
  lead?: string;
  /** Put before every later line; by default as many spaces as `lead` is wide (a hanging indent). */
  hang?: string;
}

/**
 * One paragraph (spaces between words, no newlines) as lines of at most `width` columns. With
 * `commands`, a command in the prose (see commandLinks) is broken only between its arguments,
 * each line broken inside it ending in " \", so it pastes into a shell whole.
 */
export function wrapParagraph(text: string, width: number, options: WrapOptions & { commands?: boolean } = {}): string[] {
  const lead = options.lead ?? '';
  const hang = options.hang ?? ' '.repeat(displayWidth(lead));
  // Text that fits is left exactly as written (double spaces included).
  if (!Number.isFinite(width) || displayWidth(lead) + displayWidth(text) <= width) return [trimEnd(lead + text)];
  const words = text.split(' ').filter((word) => word !== '');
  const links = options.commands ? commandLinks(words) : words.map(() => false);
  const lines: string[] = [];
  let line = lead;
  let used = displayWidth(lead);
  let empty = true;
  const newLine = (continued: boolean) => {
    lines.push(`${trimEnd(line)}${continued ? ' \\' : ''}`);
    line = hang;
    used = displayWidth(hang);
    empty = true;
  };
  words.forEach((word, index) => {
    const wordWidth = displayWidth(word);
    // Room for " \" when the line may break after this word, inside a command.
    const tail = links[index] ? 2 : 0;
    const continued = index > 0 && links[index - 1]!;
    if (used + (empty ? 0 : 1) + wordWidth + tail <= width) {
      line += (empty ? '' : ' ') + word;
      used += (empty ? 0 : 1) + wordWidth;
      empty = false;
      return;
    }
    // It fits on a line of its own (after a lead wider than the hang, too): move it, never break it.
    if ((!empty || used > displayWidth(hang)) && displayWidth(hang) + wordWidth + tail <= width) {
      newLine(continued && !empty);
      line += word;
      used += wordWidth;
      empty = false;
      return;
    }
    // Wider than a whole line: start it here when a fair part fits, else on a fresh line.
    const room = width - used - (empty ? 0 : 1);
    if (!empty && room < Math.min(12, width / 3)) newLine(continued);
    const firstRoom = width - used - (empty ? 0 : 1) - tail;
    // The rest of a broken word starts at column 0, under no indent: pasted into a shell, a line
    // ending in "\" joins the next one with its leading spaces, which would split the word.
    const pieces = breakLongWord(word, firstRoom, width - tail);
    pieces.forEach((piece, pieceIndex) => {
      if (pieceIndex > 0) {
        lines.push(line);
        line = '';
        used = 0;
        empty = true;
      }
      line += (empty ? '' : ' ') + piece;
      used += (empty ? 0 : 1) + displayWidth(piece);
      empty = false;
    });
  });
  lines.push(line);
  return lines.map(trimEnd);
}

/** A paragraph of prose that may hold a command to copy: wrapParagraph with `commands`. */
export function wrapProse(text: string, width: number, options: WrapOptions = {}): string[] {
  return wrapParagraph(text, width, { ...options, commands: true });
}

// A command the learner may copy starts after a colon ("with: jwt-vs-oauth …"), at a paragraph's
// start (curl, printf, openssl), as an assignment from a command (TOKEN=$(…)), or in backticks.
const COMMAND_AFTER_COLON = /^(?:jwt-vs-oauth|curl|openssl|printf|echo)$/;
const COMMAND_AT_START = /^(?:curl|openssl|printf)$/;
const ASSIGNED_FROM_COMMAND = /^[A-Z_]+=\$\(/;

/**
 * For each word, whether it and the next word belong to one command: a line broken between
 * them ends in " \". A command ends with a word that ends a sentence or a clause (. , ;), before
 * a word that opens a remark in parentheses, at a ")" closing a parenthesis opened before it,
 * and an assignment from a command ($(…)) at its closing parenthesis.
 */
export function commandLinks(words: readonly string[]): boolean[] {
  const links = words.map(() => false);
  let index = 0;
  while (index < words.length) {
    const word = words[index]!.replace(SGR, '');
    const previous = index > 0 ? words[index - 1]!.replace(SGR, '') : '';
    const backticked = word.startsWith('`');
    const assigned = ASSIGNED_FROM_COMMAND.test(word);
    const starts = backticked || assigned || (previous.endsWith(':') && COMMAND_AFTER_COLON.test(word)) || (index === 0 && COMMAND_AT_START.test(word));
    if (!starts) {
      index++;
      continue;
    }
    let depth = 0;
    let end = index;
    for (; end < words.length; end++) {
      const current = words[end]!.replace(SGR, '');
      if (end > index && /^\((?!\$)/.test(current) && !backticked) {
        end--;
        break;
      }
      depth += (current.match(/\(/g) ?? []).length - (current.match(/\)/g) ?? []).length;
      if (backticked ? (end > index || /`.*`/.test(current)) && /`[^\w`]*$/.test(current) : assigned ? depth <= 0 : depth < 0 || /[.,;]$/.test(current)) break;
    }
    const last = Math.min(end, words.length - 1);
    for (let link = index; link < last; link++) links[link] = true;
    index = last + 1;
  }
  return links;
}

// Where a token, URL or argument may break: after these, which it has of its own.
const SEPARATORS = new Set(['.', '/', '?', '&', '=', ',', ';', ':', '#', '|']);

/**
 * A word too wide for a line, as pieces: the first fits `firstRoom` columns, the rest `room`;
 * every piece but the last ends in BREAK_MARK. It breaks after its own separators when one falls
 * in the second half of the line, else where the line ends.
 */
export function breakLongWord(word: string, firstRoom: number, room: number): string[] {
  const units = ansiUnits(word);
  const pieces: string[] = [];
  let start = 0;
  let available = Math.max(2, firstRoom);
  let carried = '';
  // Columns from each unit to the end, worked out once: a long token is not summed again per piece.
  const widthFrom = new Array<number>(units.length + 1).fill(0);
  for (let index = units.length - 1; index >= 0; index--) widthFrom[index] = widthFrom[index + 1]! + units[index]!.width;
  while (start < units.length) {
    if (widthFrom[start]! <= available) {
      pieces.push(carried + units.slice(start).map((unit) => unit.text).join(''));
      break;
    }
    // The last unit that still leaves a column for the mark, and the best separator before it.
    let end = start;
    let taken = 0;
    let separatorEnd = -1;
    let separatorTaken = 0;
    while (end < units.length && taken + units[end]!.width <= available - 1) {
      taken += units[end]!.width;
      end++;
      const unit = units[end - 1]!;
      // Never inside "://": a line ending in "http:" or "http:/" hides that a URL goes on.
      const next = units[end]?.text;
      const insideScheme = (unit.text === ':' && next === '/') || (unit.text === '/' && (next === '/' || units[end - 2]?.text === ':'));
      if (unit.width > 0 && SEPARATORS.has(unit.text) && !insideScheme) {
        separatorEnd = end;
        separatorTaken = taken;
      }
    }
    if (separatorEnd > start && separatorTaken * 2 >= available) end = separatorEnd;
    else {
      // A break where the line ends: not inside "://" either; back up to before the scheme's ":".
      const inScheme = (at: number) => (units[at - 1]?.text === ':' && units[at]?.text === '/') || (units[at - 1]?.text === '/' && units[at - 2]?.text === ':');
      let backed = end;
      while (backed > start + 1 && inScheme(backed)) backed--;
      if (backed > start + 1) end = backed;
    }
    if (end === start) end = start + 1; // a character wider than the room: give it a line anyway
    // Escape sequences right after the break belong to the next piece.
    const text = units.slice(start, end).map((unit) => unit.text).join('');
    const open = openStylesAfter(carried + text);
    pieces.push(carried + text + (open ? '\x1b[0m' : '') + BREAK_MARK);
    carried = open;
    start = end;
    available = Math.max(2, room);
  }
  return pieces;
}

interface Unit {
  text: string;
  width: number;
}

/** Characters and colour codes, each with its width (codes take none). */
function ansiUnits(text: string): Unit[] {
  const units: Unit[] = [];
  let last = 0;
  for (const match of text.matchAll(SGR)) {
    for (const character of text.slice(last, match.index)) units.push({ text: character, width: displayWidth(character) });
    units.push({ text: match[0], width: 0 });
    last = match.index! + match[0].length;
  }
  for (const character of text.slice(last)) units.push({ text: character, width: displayWidth(character) });
  return units;
}

// Each SGR parameter that opens a style, by the parameter that closes it.
function closerOf(parameter: number): number | undefined {
  if (parameter === 1 || parameter === 2) return 22;
  if (parameter >= 3 && parameter <= 9 && parameter !== 5 && parameter !== 6) return parameter + 20;
  if ((parameter >= 30 && parameter <= 38) || (parameter >= 90 && parameter <= 97)) return 39;
  if ((parameter >= 40 && parameter <= 48) || (parameter >= 100 && parameter <= 107)) return 49;
  return undefined;
}

/** The colour codes still open at the end of `text`, as one string to reopen them with. */
function openStylesAfter(text: string): string {
  const open = new Map<number, string>();
  for (const match of text.matchAll(SGR)) {
    const parameters = match[0].slice(2, -1).split(';').map(Number);
    const first = parameters[0] ?? 0;
    if (first === 0) open.clear();
    else if ([22, 23, 24, 27, 28, 29, 39, 49].includes(first)) open.delete(first);
    else {
      const closer = closerOf(first);
      if (closer !== undefined) open.set(closer, match[0]);
    }
  }
  return [...open.values()].join('');
}

function trimEnd(line: string): string {
  return line.replace(/ +$/, '');
}

// A list item's marker: a bullet, a check mark, "1.", "(a)", "a)", "Q1:" and the spaces after it.
export const ITEM_MARKER = /^( *)((?:[•·\-*✓✗–!→←]|\d{1,2}[.)]|\([a-z0-9]{1,2}\)|[a-z]\)|Step \d+:|Q\d+:) +)/;

/**
 * Text of several lines laid out: each line is a paragraph, a list item (its later lines under its
 * text), a command (`$ …`, broken between arguments), or an indented line (kept under its indent).
 * Blank lines stay. Lines that already fit are left exactly as they are.
 */
export function layoutText(text: string, width: number): string {
  if (!Number.isFinite(width)) return text;
  return text.split('\n').flatMap((line) => layoutLine(line, width)).join('\n');
}

/** One line of layoutText. */
export function layoutLine(line: string, width: number): string[] {
  if (!Number.isFinite(width) || displayWidth(line) <= width) return [line];
  const plain = line.replace(SGR, '');
  const indent = /^ */.exec(plain)![0];
  if (/^\$ /.test(plain.slice(indent.length))) return layoutCommand(line.trimStart().slice(2), width, { lead: `${indent}$ ` });
  const marker = ITEM_MARKER.exec(plain);
  if (marker) {
    // The marker may be coloured: cut the line where its visible text ends.
    const cut = visibleSplit(line, marker[0].length);
    return wrapParagraph(cut.rest, width, { lead: cut.head });
  }
  const cut = visibleSplit(line, indent.length);
  return wrapParagraph(cut.rest, width, { lead: cut.head });
}

/** `text` split after `columns` visible characters, colour codes before the cut kept in the head. */
function visibleSplit(text: string, characters: number): { head: string; rest: string } {
  let seen = 0;
  let index = 0;
  while (index < text.length && seen < characters) {
    const code = /^\x1b\[[0-9;]*m/.exec(text.slice(index));
    if (code) {
      index += code[0].length;
      continue;
    }
    const character = String.fromCodePoint(text.codePointAt(index)!);
    index += character.length;
    seen++;
  }
  return { head: text.slice(0, index), rest: text.slice(index) };
}

/**
 * A shell command laid out: broken only between arguments, each line but the last ending in " \"
 * so it pastes back as one command; an argument wider than a line is broken with BREAK_MARK
 * (backslash-newline, which a shell removes outside single quotes), its later pieces at column 0.
 */
export function layoutCommand(command: string, width: number, options: { lead?: string; hang?: string } = {}): string[] {
  const lead = options.lead ?? '';
  if (!Number.isFinite(width) || displayWidth(lead) + displayWidth(command) <= width) return [lead + command];
  const hang = options.hang ?? ' '.repeat(displayWidth(lead) + 2);
  const words = shellWords(command);
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  // Two columns kept free on every line for " \".
  const limit = width - 2;
  for (const word of words) {
    const gap = empty ? '' : ' ';
    if (displayWidth(line + gap + word) <= limit) {
      line += gap + word;
      empty = false;
      continue;
    }
    if (!empty) {
      lines.push(`${line} \\`);
      line = hang;
      empty = true;
    }
    if (displayWidth(line + word) <= limit) {
      line += word;
      empty = false;
      continue;
    }
    // The rest of a broken argument starts at column 0: a shell removes backslash-newline but
    // would keep an indent, splitting the argument in two.
    const pieces = breakLongWord(word, limit - displayWidth(line), limit);
    pieces.forEach((piece, index) => {
      if (index > 0) {
        lines.push(line);
        line = '';
      }
      line += piece;
    });
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A command's arguments as written (quotes kept), split at the spaces outside quotes and outside a <placeholder>. */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let index = 0; index < command.length; index++) {
    const character = command[index]!;
    if (quote) {
      current += character;
      if (character === '\\' && quote === '"' && index + 1 < command.length) current += command[++index];
      else if (character === quote) quote = undefined;
    } else if (character === ' ') {
      if (current) words.push(current);
      current = '';
    } else {
      // A placeholder such as <the shared secret> is one argument, as a reader takes it.
      if (character === '"' || character === "'") quote = character;
      else if (character === '<' && command.indexOf('>', index) > index) quote = '>';
      current += character;
      if (character === '\\' && index + 1 < command.length) current += command[++index];
    }
  }
  if (current) words.push(current);
  return words;
}

export interface TableOptions {
  /** Before every row. */
  indent?: string;
  /** Spaces between columns. */
  gap?: number;
  /** Column titles: shown as a first row when the table fits, and as labels when it is stacked. */
  headings?: string[];
  /** Narrowest the last column may get before the table is stacked instead. */
  minLastColumn?: number;
}

/**
 * Rows of cells as an aligned table whose last column wraps under itself; when the columns before
 * it leave the last too little room, each row is stacked instead: its first cell on a line, the
 * other cells under it, indented (labelled with their headings when there are any).
 */
export function layoutTable(rows: readonly (readonly string[])[], width: number, options: TableOptions = {}): string[] {
  const indent = options.indent ?? '';
  const gap = ' '.repeat(options.gap ?? 2);
  const headings = options.headings;
  const all = headings ? [headings, ...rows] : rows;
  const columns = Math.max(0, ...all.map((row) => row.length));
  if (columns === 0) return [];
  const widths = Array.from({ length: columns - 1 }, (_, column) => Math.max(0, ...all.map((row) => displayWidth(row[column] ?? ''))));
  const before = displayWidth(indent) + widths.reduce((sum, columnWidth) => sum + columnWidth + gap.length, 0);
  const lastWidth = Math.max(0, ...all.map((row) => displayWidth(row[columns - 1] ?? '')));
  const minLast = Math.min(lastWidth, options.minLastColumn ?? 24);
  if (!Number.isFinite(width) || before + minLast <= width) {
    return all.flatMap((row) => {
      const head = indent + widths.map((columnWidth, column) => padEndVisible(row[column] ?? '', columnWidth) + gap).join('');
      const last = row[columns - 1] ?? '';
      return Number.isFinite(width) ? wrapParagraph(last, width, { lead: head, hang: ' '.repeat(before) }) : [trimEnd(head + last)];
    });
  }
  const inner = `${indent}  `;
  return rows.flatMap((row) => [
    // A row with no first cell continues the row above it: no line of its own.
    ...(row[0] ? wrapParagraph(row[0], width, { lead: indent, hang: inner }) : []),
    ...row.slice(1).flatMap((cell, index) => {
      if (!cell) return [];
      const label = headings?.[index + 1] ? `${headings[index + 1]}: ` : '';
      // A cell that is a list item ("→ text") hangs its later lines after its marker.
      const marker = label ? undefined : ITEM_MARKER.exec(cell.replace(SGR, ''));
      if (marker) {
        const cut = visibleSplit(cell, marker[0].length);
        return wrapParagraph(cut.rest, width, { lead: inner + cut.head, hang: inner + ' '.repeat(displayWidth(marker[0])) });
      }
      return wrapParagraph(cell, width, { lead: `${inner}${label}`, hang: inner + (label ? '  ' : '') });
    }),
  ]);
}

/** `text` cut to at most `columns` terminal columns, ending in "…" when cut (wide characters count two). */
export function truncateToWidth(text: string, columns: number): string {
  if (displayWidth(text) <= columns) return text;
  let kept = '';
  for (const character of text) {
    if (displayWidth(kept + character) > columns - 1) break;
    kept += character;
  }
  return `${kept}…`;
}

/** `text` padded with spaces to `columns` visible columns. */
export function padEndVisible(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - displayWidth(text)));
}

/** Lines joined after a pasted or copied break: "\" at a line's end and the newline after it go. */
export function joinBrokenLines(text: string): string {
  return text.replace(/\\\r?\n[ \t]*/g, '');
}
