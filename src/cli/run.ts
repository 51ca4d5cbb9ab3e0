// One run of the CLI: build the command tree for a command line, run it, and turn what was thrown
// into one or two plain lines and an exit code. Commands that run commands (the menus, a lesson's
// hands-on step, exercises selftest) import this module, never main.ts: main.ts loads every
// command, so a command importing it would make a cycle. main.ts hands the command tree in with
// useProgram() when it loads; test/cli/no-import-cycle.test.ts keeps it that way.

import { CommanderError, type Command } from 'commander';
import { createContext, type CommandContext } from './context.js';
import { loadColours, type Streams } from './output.js';
import { CancelledError, EXIT, JwtVsOauthError } from '../errors.js';
import { displayWidth, layoutCommand, layoutText, outputWidth, wrapParagraph } from '../text/layout.js';
import { terminalSafe, terminalSafeLines } from '../text/terminal-safe.js';

/** Builds the command tree a command line needs (main.ts's buildProgram), refusing what it cannot run. */
export type ProgramBuilder = (context: CommandContext, argv: readonly string[]) => Promise<Command>;

let buildProgramFor: ProgramBuilder | undefined;

/** main.ts gives its command tree here when it loads: the one way this module reaches the commands. */
export function useProgram(builder: ProgramBuilder): void {
  buildProgramFor = builder;
}

/** The process's own streams; stdin only when touched. */
export function processStreams(): Streams {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // process.stdin builds a stream (and loads net or readline) on first touch: only when a command reads it.
    get stdin() {
      return process.stdin;
    },
    env: process.env,
  };
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function run(argv: string[], streams: Streams = processStreams(), now = () => Math.floor(Date.now() / 1000)): Promise<number> {
  return (await runOnce(argv, streams, now)).code;
}

/** One run: its exit code, and whether it ended because the user cancelled it (Ctrl-C at a prompt). */
export interface RunResult {
  code: number;
  cancelled: boolean;
}

/** One run on a fresh command tree (commander keeps option values between parses): its code and whether it was cancelled. */
export async function runOnce(argv: string[], streams: Streams, now: () => number): Promise<RunResult> {
  let program: Command | undefined;
  // --no-color may stand anywhere (it is also accepted after a command), so it is read from argv here.
  const colours = await loadColours(streams, argv.includes('--no-color'));
  const context = createContext(streams, () => program?.opts() ?? {}, now, () => colours);
  try {
    if (!buildProgramFor) throw new Error('no command tree: load src/cli/main.ts (it calls useProgram) before running the CLI');
    program = await buildProgramFor(context, argv);
    await program.parseAsync(argv, { from: 'user' });
    return { code: context.exitCode, cancelled: false };
  } catch (error) {
    const code = reportError(error, context);
    if (asksForJson(argv) && code !== EXIT.ok && code !== EXIT.cancelled) context.streams.stdout.write(`${JSON.stringify({ error: jsonError(error, code) })}\n`);
    return { code, cancelled: isPromptExit(error) || error instanceof CancelledError };
  }
}

/** Whether the command line asks for --json (before any "--"): a script reading stdout then gets its error as JSON too. */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** What went wrong, for --json: the stable code, the message and hint the user read on stderr, and the exit code. */
function jsonError(error: unknown, exitCode: number): { code: string; message: string; hint?: string; exitCode: number } {
  if (error instanceof JwtVsOauthError) return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), exitCode };
  if (error instanceof CommanderError) return { code: `ERR_USAGE`, message: error.message.replace(/^error: /, ''), exitCode };
  return { code: 'ERR_INTERNAL', message: `something unexpected went wrong: ${(error as Error)?.message ?? String(error)}`, exitCode };
}

/** Runs the CLI in-process with its output captured and no terminal: for tests, and for commands that run commands. */
export async function runCaptured(argv: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; now?: () => number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { PassThrough, Readable } = await import('node:stream');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  const stdin = Readable.from(options.stdin !== undefined ? [options.stdin] : []);
  const code = await run(argv, { stdout, stderr, stdin, env: options.env ?? {} }, options.now);
  return { code, stdout: out, stderr: err };
}

function reportError(error: unknown, context: CommandContext): number {
  // Messages may quote a token, a file or a server's answer: shown terminal-safe, each laid out to
  // stderr's width (a URL broken at its separators, never mid-word by the terminal).
  const width = outputWidth(context.streams.stderr, context.streams.env);
  const talk = (text: string) => context.streams.stderr.write(`${layoutMessage(terminalSafe(text), width)}\n`);
  const talkLines = (text: string) => context.streams.stderr.write(`${terminalSafeLines(text)}\n`);
  if (error instanceof CommanderError) {
    // Commander has already printed its message; help and version are successes.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  if (isPromptExit(error) || error instanceof CancelledError) {
    talk('Cancelled.');
    return EXIT.cancelled;
  }
  if (error instanceof JwtVsOauthError) {
    talk(`error: ${error.message}${context.debug ? ` [${error.code}]` : ''}`);
    if (error.hint) talk(error.hint);
    if (context.debug && error.stack) talkLines(error.stack);
    return EXIT.usage;
  }
  talk(`error: something unexpected went wrong: ${(error as Error)?.message ?? String(error)}`);
  if (context.debug) talkLines(String((error as Error)?.stack));
  else talk('This is a bug in jwt-vs-oauth; run again with --debug to see the details.');
  // Not 1: a script reads 1 as "the token or check is not OK", an answer; this is no answer.
  return EXIT.internal;
}

// A hint that ends in a command to run: "…, for example: openssl genpkey …".
const ENDS_IN_COMMAND = /^(.*: )((?:jwt-vs-oauth|openssl|curl|echo|export) .+)$/;

/**
 * An error or hint laid out to `width` (Infinity keeps it whole): prose wraps between words; a
 * command it ends in, when the line does not fit, goes on lines of its own broken between its
 * arguments with " \\", so it still pastes into a shell as one command.
 */
export function layoutMessage(text: string, width: number): string {
  if (!Number.isFinite(width) || displayWidth(text) <= width) return text;
  const command = ENDS_IN_COMMAND.exec(text);
  const prose = layoutText(text, width);
  // A command that lands whole on the last line stays in the prose.
  if (!command || prose.split('\n').at(-1)!.endsWith(command[2]!)) return prose;
  return [...wrapParagraph(command[1]!.trimEnd(), width), ...layoutCommand(command[2]!, width, { lead: '  ' })].join('\n');
}

function isPromptExit(error: unknown): boolean {
  // @inquirer/prompts throws ExitPromptError when the user presses Ctrl-C.
  return (error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError';
}
