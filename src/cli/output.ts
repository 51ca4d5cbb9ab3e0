// The one place that decides colour and where text goes: results to stdout, talk to stderr.
// Colour only on a terminal; NO_COLOR, FORCE_COLOR and --no-color are honoured, because chalk
// alone ignores NO_COLOR. Meaning is always carried by words and ✓/✗ too, never colour alone.

import { Chalk, type ChalkInstance } from 'chalk';

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

export function createOutput(streams: Streams, noColourFlag: boolean): Output {
  return {
    colour: new Chalk({ level: colourLevel(streams.stdout, streams.env, noColourFlag) }),
    talkColour: new Chalk({ level: colourLevel(streams.stderr, streams.env, noColourFlag) }),
    stdoutIsTerminal: Boolean(streams.stdout.isTTY),
    stderrIsTerminal: Boolean(streams.stderr.isTTY),
    stdinIsTerminal: Boolean(streams.stdin.isTTY),
    result: (text) => void streams.stdout.write(`${text}\n`),
    talk: (text) => void streams.stderr.write(`${text}\n`),
  };
}

export const MARK = { ok: '✓', fail: '✗', skipped: '–', warn: '!' } as const;

export function printJson(output: Output, value: unknown): void {
  output.result(JSON.stringify(value, null, 2));
}

/** Shortens a long token for display: the start and end, with the length in between. */
export function shortenMiddle(text: string, keep = 24): string {
  return text.length <= keep * 2 + 10 ? text : `${text.slice(0, keep)}…(${text.length} chars)…${text.slice(-keep)}`;
}
