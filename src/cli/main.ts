// The story of a run: parse the command line, run the command, turn errors into one or two
// plain lines and an exit code. This is the only place that ends the process's run.

import { Command, CommanderError } from 'commander';
import { createContext, type CommandContext } from './context.js';
import { loadColours, type Streams } from './output.js';
import { decodeCommand } from './commands/decode.js';
import { mintCommand } from './commands/mint.js';
import { verifyCommand } from './commands/verify.js';
import { providerCommand } from './commands/provider.js';
import { oauthCommand } from './commands/oauth.js';
import { tutorialCommand } from './commands/tutorial.js';
import { exercisesCommand } from './commands/exercises.js';
import { CancelledError, EXIT, JwtVsOauthError } from '../errors.js';
import { examples } from './help.js';
import { terminalSafe, terminalSafeLines } from '../text/terminal-safe.js';
import packageJson from '../../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;

export function buildProgram(context: CommandContext): Command {
  const program = new Command('jwt-vs-oauth')
    .description('Learn how API authentication really works: real JWTs, and a real OAuth 2.0 / OpenID Connect flow against a local provider.')
    .version(VERSION, '-V, --version')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR=1 does the same)')
    .option('--debug', 'show stack traces for unexpected errors')
    .addHelpText('after', examples([
      ['jwt-vs-oauth', 'on a terminal: a menu of everything below'],
      ['jwt-vs-oauth tutorial', 'ten hands-on lessons: start here'],
      ['jwt-vs-oauth decode eyJhbGciOi…', 'read a token and learn what each part means'],
      ['jwt-vs-oauth mint --sub asha --aud api', 'mint a real token (a key is generated)'],
      ['jwt-vs-oauth verify "$TOKEN" --secret "$SECRET" --alg HS256', 'check a token, one check per line'],
      ['jwt-vs-oauth oauth', 'step through "Login with Google", every request shown'],
      ['jwt-vs-oauth provider', 'run Mock Google, a local OpenID Connect provider'],
    ]) + '\nExit codes: 0 ok, 1 the token or check is not OK, 2 bad usage or input, 130 cancelled (Ctrl-C).\n')
    .action(async () => {
      const output = context.output();
      if (output.stdinIsTerminal && output.stdoutIsTerminal) {
        const { runMenu } = await import('./commands/menu.js');
        await runMenu(context, program);
      } else {
        // No terminal: nothing could answer a menu, so show the help and end.
        context.streams.stdout.write(program.helpInformation());
      }
    });
  for (const command of [tutorialCommand(context), decodeCommand(context), mintCommand(context), verifyCommand(context), oauthCommand(context), exercisesCommand(context), providerCommand(context)]) {
    program.addCommand(command);
  }
  routeCommanderOutput(program, context.streams);
  return program;
}

/**
 * Every command, nested ones included, ends through run() instead of process.exit and writes to
 * our streams. Commander's errors quote the user's argv (an unknown option, a stray argument), so
 * what it writes to stderr is shown terminal-safe, line by line.
 */
function routeCommanderOutput(command: Command, streams: Streams): void {
  command.exitOverride();
  command.configureOutput({
    writeOut: (text) => streams.stdout.write(text),
    writeErr: (text) => streams.stderr.write(terminalSafeLines(text)),
  });
  for (const subcommand of command.commands) routeCommanderOutput(subcommand, streams);
}

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
  let program: Command | undefined;
  // --no-color may stand anywhere (it is also accepted after a command), so it is read from argv here.
  const colours = await loadColours(streams, argv.includes('--no-color'));
  const context = createContext(streams, () => program?.opts() ?? {}, now, () => colours);
  program = buildProgram(context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, context);
  }
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
  // Messages may quote a token, a file or a server's answer: shown terminal-safe, one line each.
  const talk = (text: string) => context.streams.stderr.write(`${terminalSafe(text)}\n`);
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
  return EXIT.checkFailed;
}

function isPromptExit(error: unknown): boolean {
  // @inquirer/prompts throws ExitPromptError when the user presses Ctrl-C.
  return (error as Error)?.name === 'ExitPromptError' || (error as Error)?.name === 'AbortPromptError';
}

/** The process entry: runs and sets the exit code, letting pending output flush. */
export async function main(): Promise<void> {
  // A reader that goes away (`… | head -1`) is not an error: stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  process.exitCode = await run(process.argv.slice(2));
}
