// How the exercises views fit the terminal (issue #13), on top of the one text layout
// (src/text/layout.ts): the widths to lay out to, and prose that holds a command to copy
// ("…: jwt-vs-oauth verify <token> --aud food-api"), broken only between the command's
// arguments and with " \" at the end of each broken line, so it pastes into a shell whole.

import type { CommandContext } from '../context.js';
import { examples, helpWidth } from '../help.js';
import { breakLongWord, displayWidth, layoutLine, outputWidth, padEndVisible, wrapParagraph, type WrapOptions } from '../../text/layout.js';
import { reflowPem } from '../../text/pem-layout.js';

/** The widths the exercises views lay out to: stdout's for results, stderr's for talk. */
export function viewWidths(context: CommandContext): { width: number; talkWidth: number } {
  const env = context.streams.env;
  return { width: outputWidth(context.streams.stdout, env), talkWidth: outputWidth(context.streams.stderr, env) };
}

/** An "Examples:" block for --help, laid out to the width of this run's help (COLUMNS on a pipe). */
export function helpExamples(context: CommandContext, lines: Array<[command: string, what: string]>): string {
  return examples(lines, helpWidth(context.streams.stdout, context.streams.env));
}

// A command the learner may copy starts after a colon ("with: jwt-vs-oauth …"), at a paragraph's
// start (curl, printf, openssl), as an assignment from a command (TOKEN=$(…)), or in backticks.
const COMMAND_AFTER_COLON = /^(?:jwt-vs-oauth|curl|openssl|printf|echo)$/;
const COMMAND_AT_START = /^(?:curl|openssl|printf)$/;
const ASSIGNED_FROM_COMMAND = /^[A-Z_]+=\$\(/;
const ANSI = /\x1b\[[0-9;]*m/g;
// A PEM block's first or last line: kept whole, whatever the width, or the block is no longer PEM.
const PEM_ARMOUR = /^ *-----(?:BEGIN|END) [A-Z0-9 ]+-----$/;

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
    const word = words[index]!.replace(ANSI, '');
    const previous = index > 0 ? words[index - 1]!.replace(ANSI, '') : '';
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
      const current = words[end]!.replace(ANSI, '');
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

/**
 * One paragraph as lines of at most `width` columns, as wrapParagraph lays it out, except that a
 * command in it is broken only between its arguments, each broken line ending in " \". Text that
 * fits is returned exactly as it is (its spacing kept).
 */
export function wrapProse(text: string, width: number, options: WrapOptions = {}): string[] {
  const lead = options.lead ?? '';
  if (!Number.isFinite(width) || displayWidth(lead + text) <= width) return [lead + text];
  const words = text.split(' ').filter((word) => word !== '');
  const links = commandLinks(words);
  if (!links.includes(true)) return wrapParagraph(text, width, options);
  const hang = options.hang ?? ' '.repeat(displayWidth(lead));
  const lines: string[] = [];
  let line = lead;
  let used = displayWidth(lead);
  let empty = true;
  const newLine = (continued: boolean) => {
    lines.push(`${line.replace(/ +$/, '')}${continued ? ' \\' : ''}`);
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
    if (!empty && displayWidth(hang) + wordWidth + tail <= width) {
      newLine(continued);
      line += word;
      used += wordWidth;
      empty = false;
      return;
    }
    // Wider than a whole line (a token, a URL): broken at its own separators, each piece ending in "\".
    if (!empty && width - used - 1 < Math.min(12, width / 3)) newLine(continued);
    const firstRoom = width - used - (empty ? 0 : 1) - tail;
    const pieces = breakLongWord(word, firstRoom, width - tail);
    pieces.forEach((piece, pieceIndex) => {
      // The rest of a broken word starts at column 0: pasted into a shell, backslash-newline is
      // removed but an indent would stay, splitting the argument in two.
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
  lines.push(line.replace(/ +$/, ''));
  return lines;
}

/**
 * Text of several lines (a task paragraph with a PEM key in it): its first line after `lead`
 * as wrapProse lays it out, each later line under its own indent (a "$ " line as a command).
 */
export function layoutProse(text: string, width: number, options: WrapOptions = {}): string[] {
  // A PEM key's base64 flowed to the width with no marks, its BEGIN and END lines whole: copied, it is a key file.
  const [first = '', ...rest] = reflowPem(text, width).split('\n');
  return [
    ...(PEM_ARMOUR.test(first) ? [(options.lead ?? '') + first] : wrapProse(first, width, options)),
    ...rest.flatMap((line) => {
      const indent = /^ */.exec(line)![0];
      if (PEM_ARMOUR.test(line)) return [line];
      return /^ *\$ /.test(line) || displayWidth(line) <= width ? layoutLine(line, width) : wrapProse(line.slice(indent.length), width, { lead: indent });
    }),
  ];
}

/**
 * A value shown on its own (show --material on a terminal): a PEM key flowed to the width with
 * no marks, so what is copied from the screen reads as a key; any other line as layoutText lays it out.
 */
export function layoutValue(text: string, width: number): string {
  return reflowPem(text, width).split('\n').flatMap((line) => (PEM_ARMOUR.test(line) ? [line] : layoutLine(line, width))).join('\n');
}

/**
 * Labelled values ("expected: …", "got: …") with the values aligned after the longest label and
 * wrapped under themselves; on a line too narrow for that, each value goes under its label.
 */
export function labelledLines(rows: ReadonlyArray<readonly [string, string]>, width: number, indent: string): string[] {
  const labelWidth = Math.max(0, ...rows.map(([label]) => displayWidth(label)));
  const aligned = width - displayWidth(indent) - labelWidth - 1 >= 24;
  return rows.flatMap(([label, value]) => (aligned
    ? wrapProse(value, width, { lead: `${indent}${padEndVisible(label, labelWidth)} `, hang: ' '.repeat(displayWidth(indent) + labelWidth + 1) })
    : [`${indent}${label}`, ...wrapProse(value, width, { lead: `${indent}  ` })]));
}
