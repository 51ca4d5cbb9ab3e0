// The menu shown by `jwt-vs-oauth` with no command on a terminal: every command that exists.

import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { warnAll } from '../output.js';
import { promptTheme } from '../prompt-theme.js';

export async function runMenu(context: CommandContext, program: Command): Promise<void> {
  const [{ select, input, password }, paths, { openProgress }] = await Promise.all([import('@inquirer/prompts'), import('../../lessons/paths.js'), import('../../lessons/progress.js')]);
  const store = openProgress(paths.homeFolder(context.streams.env));
  // A progress file moved aside is said here, where it happened, not silently.
  const output = context.output();
  warnAll(output, store.notices);
  const resume = store.progress.tutorial.position;
  const io = { input: context.streams.stdin, output: context.streams.stderr };
  const choice = await select(
    {
      message: 'What would you like to do?',
      pageSize: 10,
      theme: promptTheme,
      choices: [
        { name: resume ? `Tutorial (continue lesson ${resume.lesson})` : 'Tutorial', value: 'tutorial', description: 'Ten short hands-on lessons: JWT first, then OAuth' },
        { name: 'Decode a token', value: 'decode', description: 'Paste a JWT and see what each part means' },
        { name: 'Mint a token', value: 'mint', description: 'Make a real signed JWT' },
        { name: 'Verify a token', value: 'verify', description: 'Check a JWT the way a careful server does' },
        { name: 'OAuth demo', value: 'oauth', description: 'Step through "Login with Google", every request shown' },
        { name: 'Exercises', value: 'exercises', description: 'Classroom exercises that check themselves' },
        { name: 'Start the provider', value: 'provider', description: 'Run Mock Google, a local OpenID Connect provider (Ctrl-C stops it)' },
        { name: 'Quit', value: 'quit' },
      ],
    },
    io,
  );
  if (choice === 'quit') return;
  const argv: string[] = [choice];
  if (choice === 'mint') {
    const subject = await input({ message: 'Who is the token about (sub)?', default: 'asha@example.com', theme: promptTheme }, io);
    argv.push('--sub', subject);
  }
  if (choice === 'verify') {
    const token = await input({ message: 'Paste the token:', required: true, theme: promptTheme }, io);
    const secret = await password({ message: 'The HMAC secret it was signed with (for a public key, run verify --key):', mask: '*', theme: promptTheme }, io);
    argv.push(token, '--secret', secret);
  }
  await program.parseAsync(argv, { from: 'user' });
}
