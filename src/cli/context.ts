// What every command gets from the entry point: the streams, the output (made once the global
// flags are parsed), the clock, and a place to put the exit code.

import { createOutput, NO_COLOURS, type Colours, type Output, type Streams } from './output.js';

export interface CommandContext {
  streams: Streams;
  output(): Output;
  /** Seconds since 1970; tests may freeze it. */
  now(): number;
  exitCode: number;
  debug: boolean;
}

export function createContext(streams: Streams, globalFlags: () => { color?: boolean; debug?: boolean }, now: () => number, colours: () => Colours = () => NO_COLOURS): CommandContext {
  let output: Output | undefined;
  return {
    streams,
    output: () => (output ??= createOutput(streams, colours())),
    now,
    exitCode: 0,
    get debug() {
      return Boolean(globalFlags().debug);
    },
  };
}
