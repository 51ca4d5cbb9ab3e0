// The one place that decides colour and where text goes: results to stdout, talk to stderr.
// Colour only on a terminal; NO_COLOR, FORCE_COLOR and --no-color are honoured, because chalk
// alone ignores NO_COLOR. Meaning is always carried by words and ✓/✗ too, never colour alone.

import type { ChalkInstance } from 'chalk';
import { hasControlCharacters } from '../text/terminal-safe.js';

export interface Output {
  /** Colours for stdout and stderr, each decided by its own stream. */
  colour: ChalkInstance;
  talkColour: ChalkInstance;
  stdoutIsTerminal: boolean;
  stderrIsTerminal: boolean;
  stdinIsTerminal: boolean;
  result(text: string): void;
  talk(text: string): void;
}

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; getColorDepth?: () => number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; getColorDepth?: () => number };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

export function colourLevel(stream: Streams['stdout'], env: NodeJS.ProcessEnv, noColourFlag: boolean): 0 | 1 | 2 | 3 {
  if (noColourFlag) return 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const forced = env.FORCE_COLOR;
  if (forced !== undefined) {
    if (forced === '0' || forced === 'false') return 0;
    if (forced === '2') return 2;
    if (forced === '3') return 3;
    return 1;
  }
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  const depth = stream.getColorDepth?.() ?? 4;
  return depth >= 24 ? 3 : depth >= 8 ? 2 : depth >= 4 ? 1 : 0;
}

/** Colour that is off: every style returns the text unchanged, so chalk is not even loaded. */
const NO_COLOUR: ChalkInstance = new Proxy(function noColour(...text: unknown[]) {
  return text.join(' ');
}, {
  get: (_target, property) => (property === 'level' ? 0 : NO_COLOUR),
}) as unknown as ChalkInstance;

export interface Colours {
  colour: ChalkInstance;
  talkColour: ChalkInstance;
}

export const NO_COLOURS: Colours = { colour: NO_COLOUR, talkColour: NO_COLOUR };

/** Decides colour for stdout and stderr; chalk loads only when one of them will be coloured. */
export async function loadColours(streams: Streams, noColourFlag: boolean): Promise<Colours> {
  const levels = [colourLevel(streams.stdout, streams.env, noColourFlag), colourLevel(streams.stderr, streams.env, noColourFlag)] as const;
  if (levels[0] === 0 && levels[1] === 0) return NO_COLOURS;
  const { Chalk } = await import('chalk');
  const make = (level: 0 | 1 | 2 | 3) => (level === 0 ? NO_COLOUR : new Chalk({ level }));
  return { colour: make(levels[0]), talkColour: make(levels[1]) };
}

export function createOutput(streams: Streams, colours: Colours): Output {
  return {
    ...colours,
    stdoutIsTerminal: Boolean(streams.stdout.isTTY),
    stderrIsTerminal: Boolean(streams.stderr.isTTY),
    get stdinIsTerminal() {
      return Boolean(streams.stdin.isTTY);
    },
    result: (text) => void streams.stdout.write(`${text}\n`),
    talk: (text) => void streams.stderr.write(`${text}\n`),
  };
}

export const MARK = { ok: '✓', fail: '✗', skipped: '–', warn: '!' } as const;

/**
 * JSON text that a terminal shows as it is, with the exact values once parsed. JSON.stringify
 * escapes C0 controls but leaves DEL, C1 controls, line separators and bidi overrides raw; every
 * character that terminalSafe would escape is written as \uXXXX too. Such characters only occur
 * inside JSON strings, where \uXXXX means the same character.
 */
export function safeJsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\uffff]/g, (character) =>
    hasControlCharacters(character) ? `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}` : character);
}

/** Every JSON document the CLI prints goes through here (or safeJsonText for one-line logs). */
export function printJson(output: Output, value: unknown): void {
  output.result(safeJsonText(value, 2));
}

/** Shortens a long token for display: the start and end, with the length in between. */
export function shortenMiddle(text: string, keep = 24): string {
  return text.length <= keep * 2 + 10 ? text : `${text.slice(0, keep)}…(${text.length} chars)…${text.slice(-keep)}`;
}

/** Each message as a warning line on stderr (moved-aside files, unsaved progress). */
export function warnAll(output: Output, messages: readonly string[]): void {
  for (const message of messages) output.talk(output.talkColour.yellow(`${MARK.warn} ${message}`));
}
