// provider and exercises start run until stopped: one helper listens for Ctrl-C and SIGTERM from
// before the work starts, and stops listening when it ends, however it ends.

import { describe, expect, test } from 'vitest';
import { exitCodeForStop, untilStopped } from '../../src/cli/until-stopped.js';

const listening = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

describe('untilStopped', () => {
  test('the work sees the signal that stopped it; the listeners go when it ends', async () => {
    const before = listening();
    const signal = await untilStopped(async (stopped) => {
      expect(listening()).toEqual([before[0]! + 1, before[1]! + 1]);
      process.emit('SIGTERM');
      return stopped;
    });
    expect(signal).toBe('SIGTERM');
    expect(listening()).toEqual(before);
  });

  test('work that fails leaves no listener behind', async () => {
    const before = listening();
    await expect(untilStopped(async () => {
      throw new Error('port in use');
    })).rejects.toThrow('port in use');
    expect(listening()).toEqual(before);
  });

  test('Ctrl-C exits 130 (cancelled), SIGTERM 0', () => {
    expect(exitCodeForStop('SIGINT')).toBe(130);
    expect(exitCodeForStop('SIGTERM')).toBe(0);
  });
});
