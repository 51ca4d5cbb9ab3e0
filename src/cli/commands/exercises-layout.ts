// How the exercises views fit the terminal (issue #13), on top of the one text layout
// (src/text/layout.ts): the widths to lay out to, and prose that holds a command to copy
// ("…: jwt-vs-oauth verify <token> --aud food-api"), broken only between the command's
// arguments and with " \" at the end of each broken line, so it pastes into a shell whole.

import type { CommandContext } from '../context.js';
import { examples, helpWidth } from '../help.js';
import { commandLinks, displayWidth, layoutLine, outputWidth, padEndVisible, wrapProse, type WrapOptions } from '../../text/layout.js';
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

// A PEM block's first or last line: kept whole, whatever the width, or the block is no longer PEM.
const PEM_ARMOUR = /^ *-----(?:BEGIN|END) [A-Z0-9 ]+-----$/;

// Prose that holds a command to copy is laid out by the one layout (wrapProse, commandLinks).
export { commandLinks, wrapProse };

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
