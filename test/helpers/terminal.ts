// A real terminal for interactive tests: tmux on a private socket, with send-keys to type and
// capture-pane to read the screen as a user sees it.

import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** Whether tmux runs here; when it does not, says so (the tests that need it are skipped, with this as their reason). */
export function tmuxAvailable(): boolean {
  const available = spawnSync('tmux', ['-V']).status === 0;
  if (!available) console.warn('Skipping the real-terminal tests that need tmux: it is not installed (.ci/run installs it).');
  return available;
}

export class TerminalSession {
  private readonly socket = `jwt-vs-oauth-test-${randomBytes(4).toString('hex')}`;

  /** Starts `command` in a fresh terminal; when it ends the pane shows "[exit N]" and stays. */
  constructor(command: string, options: { width?: number; height?: number; env?: Record<string, string>; unset?: string[]; cwd?: string; historyLimit?: number } = {}) {
    const environment = Object.entries({ TERM: 'xterm-256color', ...options.env })
      .map(([name, value]) => `${name}=${shellQuote(value)}`)
      .join(' ');
    const unset = (options.unset ?? []).map((name) => `-u ${name}`).join(' ');
    // Ctrl-C reaches the whole foreground group, this shell too: a trap with a command keeps the
    // shell alive to report the exit code (the command itself gets SIGINT as usual, as a trap with
    // a command, unlike an ignored signal, is not inherited), so the pane never vanishes mid-test.
    const script = `trap 'true' INT; env ${unset} ${environment} ${command}; echo "[exit $?]"; sleep 600`;
    // The scrollback is set before the first window exists, so long outputs are kept whole.
    this.tmux('start-server', ';', 'set-option', '-g', 'history-limit', String(options.historyLimit ?? 2000), ';', 'new-session', '-d', '-x', String(options.width ?? 100), '-y', String(options.height ?? 40), '-c', options.cwd ?? process.cwd(), 'sh', '-c', script);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** Types text literally (no key names), then optionally presses Enter. */
  type(text: string, enter = false): void {
    this.tmux('send-keys', '-l', text);
    if (enter) this.press('Enter');
  }

  /** Presses keys by tmux name: Enter, Down, C-c, … */
  press(...keys: string[]): void {
    this.tmux('send-keys', ...keys);
  }

  /** The visible screen plus the whole scrollback, as plain text; lines the terminal wrapped are joined. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-');
  }

  async waitFor(expected: string | RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen();
      if (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`Timed out waiting for ${String(expected)}. The screen:\n${screen}`);
  }

  /** Waits for the command to end and returns its exit code. */
  async exitCode(timeoutMs = 15_000): Promise<number> {
    const screen = await this.waitFor(/\[exit \d+\]/, timeoutMs);
    return Number(/\[exit (\d+)\]/.exec(screen)![1]);
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
