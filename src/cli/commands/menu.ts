// The menu shown by `jwt-vs-oauth` with no command on a terminal: every command that exists, again
// after each one ends, until Quit (or q, Esc). Ctrl-C at any prompt exits 130, as everywhere.
// A token minted here comes with its secret shown (and saved if asked), so it can be verified.

import { randomBytes } from 'node:crypto';
import { link, open, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createPrompt, isEnterKey, makeTheme, useKeypress, useState } from '@inquirer/core';
import type { CommandContext } from '../context.js';
import type { Streams } from '../output.js';
import { promptTheme } from '../prompt-theme.js';
import { isLeaveKey, selectPrompt } from '../select-prompt.js';
import { EXIT } from '../../errors.js';
import { layoutCommand, outputWidth, truncateToWidth, wrapParagraph } from '../../text/layout.js';
import { promptForToken } from '../token-input.js';
import { openProgressSayingNotices } from '../progress-open.js';
import { terminalSafe } from '../../text/terminal-safe.js';

/** Runs one command line on a fresh command tree; says whether the user cancelled it (Ctrl-C). */
export type RunAction = (argv: string[], streams?: Partial<Streams>) => Promise<{ code: number; cancelled: boolean }>;

type Choice = 'tutorial' | 'decode' | 'mint' | 'verify' | 'oauth' | 'exercises' | 'provider' | 'quit';

/** A token minted in this menu, with the secret that signed it. */
interface Minted {
  token: string;
  secret: string;
  subject: string;
}

/**
 * Commands that print a result and end: the menu waits for Enter after them, so the result is
 * read before the menu is drawn below it. The others are interactive and end on the user's own
 * key, so the menu comes back at once.
 */
const RESULT_COMMANDS: ReadonlySet<Choice> = new Set(['decode', 'mint', 'verify']);

/** After a result: Enter goes back to the menu, q or Esc quits. */
const backPrompt = createPrompt<'menu' | 'quit', Record<string, never>>((_config, done) => {
  const theme = makeTheme(promptTheme);
  const [answered, setAnswered] = useState(false);
  useKeypress((key) => {
    if (key.ctrl || answered) return;
    if (isEnterKey(key) || isLeaveKey(key.name)) {
      setAnswered(true);
      done(isEnterKey(key) ? 'menu' : 'quit');
    }
  });
  return answered ? '' : theme.style.help('Press Enter to go back to the menu, q to quit.');
});

/** Shows the menu until Quit; returns the exit code (130 when an action was cancelled with Ctrl-C). */
export async function runMenu(context: CommandContext, runAction: RunAction): Promise<number> {
  const { input, password, select } = await import('@inquirer/prompts');
  const output = context.output();
  const io = { input: context.streams.stdin, output: context.streams.stderr };
  let minted: Minted | undefined;
  for (;;) {
    // Read again each time round: a lesson finished in the tutorial changes "continue lesson N".
    // A progress file moved aside is said here, where it happened, not silently.
    const store = await openProgressSayingNotices(context);
    const resume = store.progress.tutorial.position;
    // ↑/↓ or a number, and Enter; q or Esc picks Quit.
    const choice = await selectPrompt<Choice>({
      message: 'What would you like to do?',
      choices: [
        { name: resume ? `Tutorial (continue lesson ${resume.lesson})` : 'Tutorial', value: 'tutorial', description: 'Ten short hands-on lessons: JWT first, then OAuth' },
        { name: 'Decode a token', value: 'decode', description: 'Paste a JWT and see what each part means' },
        { name: 'Mint a token', value: 'mint', description: 'Make a real signed JWT; its secret is shown, to verify it with' },
        { name: 'Verify a token', value: 'verify', description: 'Check a JWT the way a careful server does' },
        { name: 'OAuth demo', value: 'oauth', description: 'Step through "Login with Google", every request shown' },
        { name: 'Exercises', value: 'exercises', description: 'Classroom exercises that check themselves' },
        { name: 'Start the provider', value: 'provider', description: 'Run Mock Google, a local OpenID Connect provider (Ctrl-C stops it and comes back here)' },
        { name: 'Quit', value: 'quit' },
      ],
      leave: 'quit',
      keys: '[↑↓] choose  [Enter] open  [q/Esc] quit',
      numberKeys: true,
    }, io);
    if (choice === 'quit') return EXIT.ok;

    let result;
    if (choice === 'mint') {
      const subject = await input({ message: 'Who is the token about (sub)?', default: 'asha@example.com', theme: promptTheme }, io);
      // The menu makes the secret, so it can show it: a token whose secret is lost can never be verified.
      const secret = randomBytes(32).toString('base64url');
      let printed = '';
      let assigned = false;
      // Mint ends with "See inside: jwt-vs-oauth decode "$TOKEN"", but nothing set $TOKEN in the
      // user's shell: the line that sets it is shown first, just before that paragraph.
      const showAssignmentOnce = () => {
        const token = tokenIn(printed);
        if (assigned || !token) return;
        assigned = true;
        showAssignment(context, token);
      };
      result = await runAction(['mint', '--sub', subject, '--secret', secret], {
        stdout: recordingStream(context.streams.stdout, (text) => (printed += text)),
        stderr: recordingStream(context.streams.stderr, (text) => {
          if (/^(?:\u001b\[[0-9;]*m)*Minted /.test(text)) showAssignmentOnce();
        }),
      });
      const token = tokenIn(printed);
      if (result.code === 0 && token) {
        minted = { token, secret, subject };
        // Mint said nothing of "$TOKEN" (its wording changed, or stderr is not a terminal): shown here.
        showAssignmentOnce();
        showSecret(context, minted);
        await offerToSave(context, minted, input);
      }
    } else if (choice === 'verify') {
      const argv = await verifyArguments(minted, { input, password, select }, io);
      // Esc at one of its questions: back to the menu, nothing run.
      if (!argv) continue;
      result = await runAction(['verify', ...argv]);
    } else {
      result = await runAction([choice]);
    }
    // Ctrl-C at one of the action's prompts exits, as it does in the menu; the provider's Ctrl-C only stops the provider.
    if (result.cancelled) return EXIT.cancelled;
    if (RESULT_COMMANDS.has(choice) && (await backPrompt({}, io)) === 'quit') return EXIT.ok;
  }
}

/** The token in mint's stdout: on a terminal mint colours its parts, so it is what is left without the colour codes. */
function tokenIn(printed: string): string | undefined {
  return /[\w-]+\.[\w-]+\.[\w-]+/.exec(printed.replace(/\u001b\[[0-9;]*m/g, ''))?.[0];
}

/**
 * The line that keeps the token in the user's shell as $TOKEN, on stderr: no "$ " prompt to
 * copy by mistake, and a token wider than the screen broken with "\\", its later pieces at
 * column 0, so pasted it is still one assignment.
 */
function showAssignment(context: CommandContext, token: string): void {
  const width = outputWidth(context.streams.stderr, context.streams.env);
  talkProse(context)('To use "$TOKEN" in the commands below, paste this line into your shell first:', context.output().talkColour.bold);
  for (const line of layoutCommand(`TOKEN=${token}`, width, { lead: '', hang: '' })) context.output().talk(line);
}

/** The secret of a token minted here, on stderr (the token alone is on stdout), and the command that verifies it. */
function showSecret(context: CommandContext, minted: Minted): void {
  const output = context.output();
  const c = output.talkColour;
  const prose = talkProse(context);
  output.talk('');
  prose('The secret that signed it (HS256, a shared secret: whoever holds it can mint tokens too, so keep it private):', c.bold);
  output.talk(`  ${minted.secret}`);
  prose('Check the token with it:', c.bold);
  talkCommand(context, verifyCommandLine(minted.token, ['--secret', minted.secret, '--alg', 'HS256']));
  prose('Or pick "Verify a token" in this menu: it offers this token and its secret.', c.dim);
}

/** Says a paragraph on stderr, laid out to its width, each line styled. */
function talkProse(context: CommandContext): (text: string, style?: (line: string) => string) => void {
  const output = context.output();
  const width = outputWidth(context.streams.stderr, context.streams.env);
  return (text, style = (line) => line) => {
    for (const line of wrapParagraph(text, width)) output.talk(style(line));
  };
}

/**
 * A command on stderr laid out to its width: broken between arguments with " \\", the token
 * broken at its dots with "\\" and its later pieces at column 0, so the lines pasted into a
 * shell are the one command (and `decode` or the paste prompts join them too).
 */
function talkCommand(context: CommandContext, command: string): void {
  const width = outputWidth(context.streams.stderr, context.streams.env);
  for (const line of layoutCommand(command, width, { lead: '  ', hang: '    ' })) context.output().talk(line);
}

/** `jwt-vs-oauth verify <token> …`, ready to copy: each word that is not plain is single-quoted. */
function verifyCommandLine(token: string, options: string[]): string {
  return terminalSafe(['jwt-vs-oauth', 'verify', token, ...options].map(shellWord).join(' '));
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:\/@=+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

type InputPrompt = typeof import('@inquirer/prompts').input;

/** Asks for a file to keep the secret in (Enter skips); asks again when the name is taken or cannot be written. */
async function offerToSave(context: CommandContext, minted: Minted, input: InputPrompt): Promise<void> {
  const output = context.output();
  const io = { input: context.streams.stdin, output: context.streams.stderr };
  let message = 'Save the secret as a JWK file, to verify the token later? A file name, or Enter to skip:';
  for (;;) {
    const path = (await input({ message, theme: promptTheme }, io)).trim();
    if (path === '') return;
    // A JWK: verify --key and mint --key read it, and its "alg" pins HS256.
    const jwk = { kty: 'oct', k: Buffer.from(minted.secret, 'utf8').toString('base64url'), alg: 'HS256' };
    const problem = await createFileAtomically(path, `${JSON.stringify(jwk, null, 2)}\n`);
    if (!problem) {
      talkProse(context)(`Saved to ${terminalSafe(path)} (mode 0600). Check the token with it:`);
      talkCommand(context, verifyCommandLine(minted.token, ['--key', path]));
      return;
    }
    talkProse(context)(`! ${terminalSafe(problem)}`, output.talkColour.yellow);
    message = 'Another file name, or Enter to skip:';
  }
}

/**
 * Writes a new file, mode 0600, all at once and never over an existing one: the content goes to
 * a temporary file beside it, which is then hard-linked to the name (link fails if the name is
 * taken, where rename would replace it). Returns what went wrong, in words, or undefined.
 */
export async function createFileAtomically(path: string, content: string): Promise<string | undefined> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temporary, path);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return `${path} already exists; nothing was overwritten.`;
    if (code === 'ENOENT') return `Cannot write ${path}: its folder does not exist.`;
    return `Cannot write ${path}: ${(error as Error).message}.`;
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Said under the verify questions' choices: the keys, in the words and look of the menu's own lists. */
const escapeTheme = {
  ...promptTheme,
  style: { keysHelpTip: () => makeTheme(promptTheme).style.help('[↑↓] choose  [Enter] go  [Esc] back to the menu') },
};

/**
 * The token and key for "Verify a token": the one minted here with its secret, or a pasted one
 * with a secret or key file. Esc at any of its questions goes back to the menu (undefined).
 */
async function verifyArguments(
  minted: Minted | undefined,
  prompts: Pick<typeof import('@inquirer/prompts'), 'input' | 'password' | 'select'>,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream },
): Promise<string[] | undefined> {
  const escape = new AbortController();
  // The prompts' readline reports each key on the input stream: Esc aborts whichever prompt is open.
  const onKey = (_text: unknown, key: { name?: string } | undefined) => {
    if (key?.name === 'escape') escape.abort();
  };
  io.input.on('keypress', onKey);
  try {
    return await askVerifyArguments(minted, prompts, { ...io, signal: escape.signal });
  } catch (error) {
    if (escape.signal.aborted && (error as Error)?.name === 'AbortPromptError') return undefined;
    throw error;
  } finally {
    io.input.off('keypress', onKey);
  }
}

async function askVerifyArguments(
  minted: Minted | undefined,
  prompts: Pick<typeof import('@inquirer/prompts'), 'input' | 'password' | 'select'>,
  io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal: AbortSignal },
): Promise<string[]> {
  const { input, password, select } = prompts;
  if (minted) {
    const which = await select({
      message: 'Which token?',
      theme: escapeTheme,
      choices: [
        // Short enough for a 60-column line with its "❯ ": a long subject is cut short.
        { name: `The one minted just now (sub ${truncateToWidth(terminalSafe(minted.subject), 24)})`, value: 'minted', description: 'Checked with the secret that signed it' },
        { name: 'Paste a token', value: 'paste' },
      ],
    }, io);
    if (which === 'minted') return ['--secret', minted.secret, '--secret-from', 'the menu (the secret minted just now)', '--alg', 'HS256', '--', minted.token];
  }
  // A token shown broken over lines (each ending in "\\") is asked for line by line and joined.
  const token = await promptForToken(io, 'Paste the token (one broken over lines with "\\" pastes whole; Esc goes back):');
  const keyKinds = [
    { name: 'An HMAC secret (HS256, HS384, HS512)', value: 'secret' },
    { name: 'A key file: a PEM or JWK public key, or a saved secret JWK', value: 'key' },
    ...(minted ? [{ name: 'The secret of the token minted just now', value: 'minted' }] : []),
  ];
  const kind = await select({ message: 'Check its signature with', theme: escapeTheme, choices: keyKinds }, io);
  // The token last, after --: a pasted text that starts with "-" is still the token, not an option.
  if (kind === 'minted') return ['--secret', minted!.secret, '--secret-from', 'the menu (the secret minted just now)', '--alg', 'HS256', '--', token];
  if (kind === 'key') return ['--key', await input({ message: 'The key file:', required: true, theme: promptTheme }, io), '--', token];
  return ['--secret', await password({ message: 'The HMAC secret it was signed with:', mask: '*', theme: promptTheme }, io), '--secret-from', 'the menu (the secret you typed)', '--', token];
}

/** `stream` as it is (a terminal stays a terminal), with every write also handed to `record`. */
function recordingStream(stream: Streams['stdout'], record: (text: string) => void): Streams['stdout'] {
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') {
        return (chunk: string | Uint8Array, ...rest: unknown[]) => {
          record(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
          return (target.write as (...args: unknown[]) => boolean)(chunk, ...rest);
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
