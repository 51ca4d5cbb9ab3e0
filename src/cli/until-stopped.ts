// A command that runs until the user stops it (provider, exercises start): Ctrl-C (SIGINT) or
// SIGTERM ends it cleanly, with the exit code the README gives each.

import { EXIT } from '../errors.js';

/**
 * Runs `work` with a promise of the first SIGINT or SIGTERM. The listeners are in place before
 * `work` starts (a stop right after a banner is clean) and removed when it ends, however it ends.
 */
export async function untilStopped<T>(work: (stopped: Promise<NodeJS.Signals>) => Promise<T>): Promise<T> {
  let stop: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => (stop = resolve));
  // Each listener names its own signal (a listener is not always told which one it heard).
  const interrupted = () => stop('SIGINT');
  const terminated = () => stop('SIGTERM');
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', terminated);
  try {
    return await work(stopped);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', terminated);
  }
}

/** Ctrl-C is a cancel (130), as everywhere; SIGTERM is the ordinary way a service is stopped (0). */
export function exitCodeForStop(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? EXIT.cancelled : EXIT.ok;
}
