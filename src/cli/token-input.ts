// Where a token comes from: the argument; stdin when the argument is "-" or stdin is piped;
// else a paste prompt on a terminal. Never waits for input that cannot come.

import type { CommandContext } from './context.js';
import { InputError } from '../errors.js';
import { MAX_TOKEN_BYTES } from '../jwt/pasted-input.js';
import { promptTheme } from './prompt-theme.js';
import { joinBrokenLines, truncateToWidth } from '../text/layout.js';

/** The token from the argument, stdin, or (on a terminal) a paste prompt; see the top of this file. */
export async function readTokenInput(argument: string | undefined, context: CommandContext): Promise<string> {
  if (argument !== undefined && argument !== '-') return argument;
  const { stdin } = context.streams;
  if (argument === '-' || !stdin.isTTY) return readAll(stdin);
  return promptForToken({ input: stdin, output: context.streams.stderr });
}

/** What the paste prompt asks, saying that a token our views broke over lines may be pasted whole. */
export const PASTE_MESSAGE = 'Paste a token (a JWT, a "Bearer …" header, or a URL holding one; one broken over lines with "\\" pastes whole):';

/** What a paste prompt says when Enter is pressed on nothing, and while a broken paste continues. */
export interface PasteWording {
  empty: string;
  continues: string;
}

const TOKEN_WORDING: PasteWording = {
  empty: 'Paste a token, or press Ctrl-C to stop.',
  continues: '… (the token continues: its next line, or Enter to end)',
};

/**
 * Asks for a token on a terminal (or, with other `wording`, any answer that may be a token). Our views break a long token over lines, each ending in "\\";
 * a line that ends in "\\" does not answer the prompt: the next line is read too (a paste
 * arrives all at once, so one prompt reads every line of it), and the lines are joined as a
 * shell joins them. Answered, it shows our neutral "›" (promptTheme), never inquirer's ✔.
 */
export async function promptForToken(io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal?: AbortSignal }, message = PASTE_MESSAGE, wording: PasteWording = TOKEN_WORDING): Promise<string> {
  const { createPrompt, isEnterKey, makeTheme, useKeypress, usePrefix, useRef, useState } = await import('@inquirer/core');
  const prompt = createPrompt<string, { message: string }>((config, done) => {
    const theme = makeTheme(promptTheme);
    const [status, setStatus] = useState<'idle' | 'done'>('idle');
    // Refs, not state, for what the keys build: a paste's keys all come in one go.
    const lines = useRef<string[]>([]);
    const typed = useRef('');
    const answer = useRef('');
    const [current, setCurrent] = useState('');
    // How many lines so far (the lines themselves stay in the ref: a long paste is not copied per line).
    const [shownCount, setShownCount] = useState(0);
    const size = useRef(0);
    const [error, setError] = useState<string | undefined>(undefined);
    const prefix = usePrefix({ status, theme });
    useKeypress((key, rl) => {
      if (answer.current) return;
      if (!isEnterKey(key)) {
        typed.current = rl.line;
        setCurrent(rl.line);
        setError(undefined);
        return;
      }
      const line = typed.current;
      typed.current = '';
      setCurrent('');
      if (/\\\s*$/.test(line)) {
        size.current += line.length + 1;
        // Bounded like piped input: a paste of a log or a file by mistake is refused, not kept.
        if (size.current > MAX_TOKEN_BYTES) {
          lines.current = [];
          size.current = 0;
          setShownCount(0);
          return setError('The paste is larger than 1 MB; no real token is that big. Paste the token again.');
        }
        lines.current.push(line.trimEnd());
        setShownCount(lines.current.length);
        return;
      }
      const text = joinBrokenLines([...lines.current, line].join('\n'));
      if (text.trim() === '') return setError(wording.empty);
      answer.current = text;
      setStatus('done');
      done(text);
    });
    const title = theme.style.message(config.message, status);
    if (status === 'done') {
      // The answer cut short: a whole token is wider than the screen and would wrap mid-word.
      const joined = lines.current.length ? theme.style.help(` (${lines.current.length + 1} lines joined)`) : '';
      return `${prefix} ${title} ${theme.style.answer(truncateToWidth(answer.current.trim(), 24))}${joined}`;
    }
    if (!shownCount) return [`${prefix} ${title} ${current}`, error ? theme.style.error(error) : ''];
    // Only the last lines are drawn again on each key, with a count of the others.
    const earlier = shownCount > 3 ? [theme.style.help(`… ${shownCount - 3} earlier lines`)] : [];
    return [`${prefix} ${title}\n${[...earlier, ...lines.current.slice(-3)].join('\n')}\n${current}`, theme.style.help(wording.continues)];
  });
  return prompt({ message }, io);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > MAX_TOKEN_BYTES) {
      throw new InputError('ERR_TOKEN_TOO_LARGE', 'The input is larger than 1 MB; no real token is that big.');
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    throw new InputError('ERR_TOKEN_EMPTY', 'No token was given: stdin was empty.', 'Pass the token as an argument or pipe it in: echo "$TOKEN" | jwt-vs-oauth decode');
  }
  return text;
}
