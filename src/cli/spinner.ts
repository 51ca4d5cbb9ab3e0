// A one-line "still waiting" sign on a terminal, for a wait the user did not see coming (fetching
// keys from a slow host). It appears only after a moment, says what it waits for, and is erased
// when the wait ends, so what follows prints as if it had never been there. Only on a terminal:
// in a pipe, a log or --json it writes nothing at all. Plain ASCII frames, no colour.

import { displayWidth, truncateToWidth } from '../text/layout.js';
import { terminalSafe } from '../text/terminal-safe.js';

/** Where the spinner draws: stderr, which must be a terminal for it to show. */
export interface SpinnerStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface SpinnerOptions {
  /** False hides it (e.g. for --json). */
  enabled?: boolean;
  /** A fast answer shows nothing: the spinner waits this long first. */
  delayMs?: number;
  intervalMs?: number;
}

const FRAMES = ['|', '/', '-', '\\'];
// Back to the line's start and erase it: the line the spinner drew is gone.
const ERASE_LINE = '\r\x1b[2K';

/**
 * `promise`'s result, with "| label…" turning on `stream` while it is pending (after 300 ms, only
 * when `stream` is a terminal). The label is shown terminal-safe (it may quote a URL the user
 * typed) and cut to the terminal's width, so it stays one line that can be erased.
 */
export async function withSpinner<T>(label: string, stream: SpinnerStream, promise: Promise<T>, options: SpinnerOptions = {}): Promise<T> {
  if (options.enabled === false || !stream.isTTY) return promise;
  const width = Math.max(10, (stream.columns || 80) - 1);
  const shown = truncateToWidth(`${terminalSafe(label)} `, width - 2);
  let frame = 0;
  let drawn = false;
  const draw = () => {
    stream.write(`${ERASE_LINE}${FRAMES[frame++ % FRAMES.length]} ${shown}`);
    drawn = true;
  };
  let interval: NodeJS.Timeout | undefined;
  const start = setTimeout(() => {
    draw();
    interval = setInterval(draw, options.intervalMs ?? 100);
  }, options.delayMs ?? 300);
  try {
    return await promise;
  } finally {
    clearTimeout(start);
    clearInterval(interval);
    if (drawn) stream.write(ERASE_LINE);
  }
}

