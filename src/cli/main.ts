// The command tree and the process entry: which commands there are, how they are built (each
// lazily), and main(), the only place that ends the process's run. Running a command line and
// reporting its errors is run.ts's, which commands that run commands import instead of this file.

import { Argument, Command, Help } from 'commander';
import type { CommandContext } from './context.js';
import type { Streams } from './output.js';
import { EXIT } from '../errors.js';
import { examples, helpText, helpWidth, suggestSimilar } from './help.js';
import { layoutText, outputWidth } from '../text/layout.js';
import { terminalSafeLines } from '../text/terminal-safe.js';
import { run, runOnce, useProgram } from './run.js';
import packageJson from '../../package.json' with { type: 'json' };

export const VERSION: string = packageJson.version;

// What tests and the bin use from here; commands import them from run.ts.
export { layoutMessage, processStreams, run, runCaptured, type RunResult } from './run.js';

/**
 * The top-level commands, in --help's order. Only what --help, typo suggestions and the menu
 * need is here; a command's module (its options, its code) loads only when the command line
 * names it: start-up is paid by every run, and most runs use one command. The test
 * test/cli/lazy-commands.test.ts checks that each line here matches the command its module builds.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'tutorial', aliases: [], arguments: '[options] [lesson]',
    description: 'Learn JWT, then OAuth 2.0 and OpenID Connect, in short hands-on lessons: ten that follow the article, then the flows beyond it. Progress is saved after every screen.',
    load: async (context) => (await import('./commands/tutorial.js')).tutorialCommand(context),
  },
  {
    name: 'decode', aliases: [], arguments: '[options] [token]',
    description: 'Show what a token says: header, claims with their meanings, times in words, and warnings. Decoding is not verifying.',
    load: async (context) => (await import('./commands/decode.js')).decodeCommand(context),
  },
  {
    name: 'mint', aliases: ['sign'], arguments: '[options]',
    description: 'Mint a real signed JWT with jose. stdout holds only the token, so TOKEN=$(jwt-vs-oauth mint …) works.',
    load: async (context) => (await import('./commands/mint.js')).mintCommand(context),
  },
  {
    name: 'verify', aliases: [], arguments: '[options] [token]',
    description: 'Verify a token: algorithm, key, signature, typ, then exp, nbf, iat, iss, aud, sub. Says which check failed and what that means.',
    load: async (context) => (await import('./commands/verify.js')).verifyCommand(context),
  },
  {
    name: 'dpop', aliases: [], arguments: '[options]',
    description: 'Make a DPoP proof (RFC 9449) for one request, signed with your key: the header that ties a token to that key.',
    load: async (context) => (await import('./commands/dpop.js')).dpopCommand(context),
  },
  {
    name: 'oauth', aliases: ['demo'], arguments: '[options]',
    description: 'Step through "Login with Google" (OpenID Connect), or the device, client-credentials or refresh flow, against a local provider: every redirect, code and token, and the HTTP behind them.',
    load: async (context) => (await import('./commands/oauth.js')).oauthCommand(context),
  },
  {
    name: 'exercises', aliases: ['ex'], arguments: '[options]',
    description: 'Classroom exercises that check themselves: read, make and break tokens, and OAuth by hand. With hints, solutions after a pass, and progress.',
    load: async (context) => (await import('./commands/exercises.js')).exercisesCommand(context),
  },
  {
    name: 'provider', aliases: ['serve'], arguments: '[options]',
    description: 'Run "Mock Google": a local OpenID Connect provider (a simulation) that real clients accept. Ctrl-C stops it.',
    load: async (context) => (await import('./commands/provider.js')).providerCommand(context),
  },
];

export interface CommandEntry {
  name: string;
  aliases: string[];
  /** What --help shows after the name: "[options]" when it has options, then its arguments. */
  arguments: string;
  description: string;
  load(context: CommandContext): Promise<Command>;
}

/**
 * Which top-level commands this command line runs or asks help for, so only those are built in
 * full: the first word that is not an option (program options take no value, as commander
 * reads them), the command `help` names, or all of them for `completion`.
 */
export function commandsNeeded(argv: readonly string[]): 'all' | string[] {
  const [first, second] = firstOperands(argv);
  if (first === 'completion') return 'all';
  const names = first === 'help' && second !== undefined ? [second] : first !== undefined ? [first] : [];
  return COMMANDS.filter((entry) => names.some((name) => entry.name === name || entry.aliases.includes(name))).map((entry) => entry.name);
}

/** The first two words of argv that are not options (program options take no value). */
function firstOperands(argv: readonly string[]): string[] {
  const operands: string[] = [];
  for (let index = 0; index < argv.length && operands.length < 2; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      operands.push(...argv.slice(index + 1, index + 3));
      break;
    }
    if (!(arg.startsWith('-') && arg.length > 1)) operands.push(arg);
  }
  return operands;
}

/**
 * `decdoe --help`: commander would show the program's help for a word it does not know (the
 * program has an action), exit 0, and the typo would go unsaid. It is the unknown command it
 * is without --help: the nearest name, exit 2.
 */
function refuseHelpForUnknownCommand(program: Command, argv: readonly string[]): void {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  if (!options.includes('--help') && !options.includes('-h')) return;
  const [first] = firstOperands(argv);
  if (first === undefined || program.commands.some((command) => command.name() === first || command.aliases().includes(first))) return;
  unknownCommand(program, first);
}

/** The command tree: the commands `needed` in full, the others as a name, aliases and a description for --help. */
export async function buildProgram(context: CommandContext, needed: 'all' | readonly string[] = 'all'): Promise<Command> {
  const commands = await Promise.all(COMMANDS.map((entry) => (needed === 'all' || needed.includes(entry.name) ? entry.load(context) : undefined)));
  const stubTerms = new Map<Command, string>();
  const program = new Command('jwt-vs-oauth')
    .description('Learn how API authentication really works: real JWTs, and a real OAuth 2.0 / OpenID Connect flow against a local provider.')
    .version(VERSION, '-V, --version')
    .option('--no-color', 'no colour, even on a terminal (NO_COLOR=1 does the same)')
    .option('--debug', 'show stack traces for unexpected errors')
    .configureHelp({ subcommandTerm: (command) => stubTerms.get(command) ?? new Help().subcommandTerm(command) })
    // A function, so the examples are laid out only when help is shown.
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth', 'on a terminal: a menu of everything below'],
      ['jwt-vs-oauth tutorial', 'hands-on lessons: start here'],
      ['jwt-vs-oauth decode eyJhbGciOi…', 'read a token and learn what each part means'],
      ['jwt-vs-oauth mint --sub asha --aud api', 'mint a real token (a key is generated)'],
      ['jwt-vs-oauth verify "$TOKEN" --secret "$SECRET" --alg HS256', 'check a token, one check per line'],
      ['jwt-vs-oauth oauth', 'step through "Login with Google", every request shown'],
      ['jwt-vs-oauth provider', 'run Mock Google, a local OpenID Connect provider'],
    ], helpWidth(context.streams.stdout, context.streams.env)) + helpText('\nExit codes: 0 ok, 1 the token or check is not OK, 2 bad usage or input, 70 a bug in jwt-vs-oauth, 130 cancelled (Ctrl-C).\n', helpWidth(context.streams.stdout, context.streams.env)))
    .action(async () => {
      const output = context.output();
      if (output.stdinIsTerminal && output.stdoutIsTerminal) {
        const { runMenu } = await import('./commands/menu.js');
        const flags = program.opts<{ color?: boolean; debug?: boolean }>();
        const global = [...(flags.color === false ? ['--no-color'] : []), ...(flags.debug ? ['--debug'] : [])];
        // Each action runs on a fresh command tree: commander keeps option values between parses.
        context.exitCode = await runMenu(context, (argv, streams) => runOnce([...global, ...argv], { ...context.streams, ...streams }, context.now));
      } else {
        // No terminal: nothing could answer a menu, so show the help and end.
        context.streams.stdout.write(program.helpInformation());
      }
    });
  COMMANDS.forEach((entry, index) => {
    const command = commands[index] ?? new Command(entry.name).aliases(entry.aliases).description(entry.description).action(() => {
      throw new Error(`the ${entry.name} command was run without being loaded`);
    });
    if (!commands[index]) stubTerms.set(command, [[entry.name, ...entry.aliases.slice(0, 1)].join('|'), entry.arguments].filter(Boolean).join(' '));
    program.addCommand(command);
  });
  program.addCommand(completionCommand(context, program));
  program.addCommand(helpCommand(context, program));
  routeCommanderOutput(program, context.streams);
  suggestUnknownSubcommands(program);
  return program;
}

/** `completion bash|zsh|fish`: the script is made (lazily) from this command tree. */
function completionCommand(context: CommandContext, program: Command): Command {
  return new Command('completion')
    .description('Print a shell completion script: subcommands, options, lesson numbers and exercise ids')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addHelpText('after', () => examples([
      ['source <(jwt-vs-oauth completion bash)', 'bash: add this line to ~/.bashrc'],
      ['source <(jwt-vs-oauth completion zsh)', 'zsh: add this line to ~/.zshrc, after compinit'],
      ['jwt-vs-oauth completion fish > ~/.config/fish/completions/jwt-vs-oauth.fish', 'fish: once'],
    ], helpWidth(context.streams.stdout, context.streams.env)) + helpText('\nThe script lists what this version knows; run it again after an upgrade (the source lines above do).\n', helpWidth(context.streams.stdout, context.streams.env)))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript } = await import('./completion.js');
      context.streams.stdout.write(await completionScript(shell, program));
    });
}

/** `help [command...]`: the same help as `<command> --help`; an unknown name is a usage error with a suggestion. */
function helpCommand(context: CommandContext, program: Command): Command {
  return new Command('help')
    .description('Show help for a command (help exercises show for a nested one)')
    .argument('[command...]', 'the command')
    .addHelpText('after', () => examples([
      ['jwt-vs-oauth help decode', 'the same as jwt-vs-oauth decode --help'],
      ['jwt-vs-oauth help exercises check', 'a subcommand\'s help'],
    ], helpWidth(context.streams.stdout, context.streams.env)))
    .action((names: string[]) => {
      let target = program;
      for (const name of names) {
        const next = target.commands.find((command) => command.name() === name || command.aliases().includes(name));
        if (!next) {
          return unknownCommand(target, name);
        }
        target = next;
      }
      target.help();
    });
}

/** "error: unknown command 'decdoe'" and the nearest name, or the names there are; exit 2. */
function unknownCommand(command: Command, name: string): never {
  const visible = command.createHelp().visibleCommands(command);
  const where = command.parent ? ` for '${command.name()}'` : '';
  const nearest = suggestSimilar(name, visible.flatMap((each) => [each.name(), ...each.aliases()]));
  const commands = nearest || `\n(Commands: ${visible.map((each) => each.name()).join(', ')}.)`;
  return command.error(`error: unknown command '${name}'${where}${commands}`, { code: 'commander.unknownCommand', exitCode: EXIT.usage });
}

/**
 * A command that has subcommands and its own action (the menu at the top, the exercises menu)
 * would take a mistyped subcommand as a stray argument ("too many arguments"). These commands
 * accept stray words and unknown options in parsing and refuse them here, before their action,
 * as commander does for commands without an action: "unknown command 'decdoe'" with the nearest
 * name, exit 2.
 */
function suggestUnknownSubcommands(command: Command): void {
  for (const subcommand of command.commands) suggestUnknownSubcommands(subcommand);
  if (command.commands.length === 0 || command.registeredArguments.length > 0) return;
  command.allowExcessArguments().allowUnknownOption().hook('preAction', (thisCommand, actionCommand) => {
    if (actionCommand !== thisCommand) return;
    const [first] = command.args;
    if (first === undefined) return;
    if (!/^-./.test(first)) unknownCommand(command, first);
    const known: string[] = [];
    for (let each: Command | null = command; each; each = each.parent) {
      known.push(...each.createHelp().visibleOptions(each).flatMap((option) => (option.long ? [option.long] : [])));
    }
    command.error(`error: unknown option '${first.replace(/=.*/s, '')}'${suggestSimilar(first.replace(/=.*/s, ''), known)}`, { code: 'commander.unknownOption', exitCode: EXIT.usage });
  });
}

/** The command tree for one command line: only the commands it names in full; `decdoe --help` refused. */
async function programFor(context: CommandContext, argv: readonly string[]): Promise<Command> {
  const program = await buildProgram(context, commandsNeeded(argv));
  refuseHelpForUnknownCommand(program, argv);
  return program;
}
useProgram(programFor);

/**
 * Commander is configured here once, for the whole tree: every command, nested ones included,
 * ends through run() instead of process.exit and writes to our streams. Commander's errors quote
 * the user's argv (an unknown option, a stray argument), so what it writes to stderr is shown
 * terminal-safe, line by line. test/cli/commander-everywhere.test.ts checks every command.
 */
function routeCommanderOutput(command: Command, streams: Streams): void {
  command.exitOverride();
  command.configureOutput({
    // Help and its notes, every command's, laid out to the help's width (lines that fit are kept as they are).
    writeOut: (text) => streams.stdout.write(layoutText(text, helpWidth(streams.stdout, streams.env))),
    writeErr: (text) => streams.stderr.write(layoutText(terminalSafeLines(text), outputWidth(streams.stderr, streams.env))),
    // commander's own part of --help (usage, options, commands) at the width our examples use.
    getOutHelpWidth: () => helpWidth(streams.stdout, streams.env),
    getErrHelpWidth: () => helpWidth(streams.stderr, streams.env),
  });
  // Wrap descriptions even when their column is narrow (commander's default leaves them whole below 40).
  command.configureHelp({ ...command.configureHelp(), minWidthToWrap: 24 });
  for (const subcommand of command.commands) routeCommanderOutput(subcommand, streams);
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
