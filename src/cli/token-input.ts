// Where a token comes from: the argument; stdin when the argument is "-" or stdin is piped;
// else a paste prompt on a terminal. Never waits for input that cannot come.

import type { CommandContext } from './context.js';
import { InputError } from '../errors.js';
import { MAX_TOKEN_BYTES } from '../jwt/pasted-input.js';

export async function readTokenInput(argument: string | undefined, context: CommandContext): Promise<string> {
  if (argument !== undefined && argument !== '-') return argument;
  const { stdin } = context.streams;
  if (argument === '-' || !stdin.isTTY) return readAll(stdin);
  const { input } = await import('@inquirer/prompts');
  return input(
    { message: 'Paste a token (a JWT, a "Bearer …" header, or a URL holding one):', required: true },
    { input: stdin, output: context.streams.stderr },
  );
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
