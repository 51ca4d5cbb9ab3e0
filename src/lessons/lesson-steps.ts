// The tutorial's hands-on steps, run: a command step runs the jwt-vs-oauth command it shows through
// an injected CommandRunner (the CLI's in-process runner; the same type `exercises selftest` uses),
// its {{names}} filled with what earlier steps saved, so what is shown is what runs; a demo step
// runs its named demo (demos.ts). Both return data; src/cli lays it out. Tokens stay in memory.

import { demoSpec } from './demo-names.js';
import type { DemoResult, FlowCallbacks } from './demos.js';
import { ANSWER_FROM, NAMES_PROVIDED, type CommandScreen, type DemoScreen } from './schema.js';
import { notATokenProblem, savedValueOf, unsavableProblem } from './saved-tokens.js';
import type { CommandRunner } from './selftest.js';
import { lessonCommandReferences, lessonCommandWords } from './solution-commands.js';
import { decodeToken } from '../jwt/decode.js';
import { InputError } from '../errors.js';

export interface StepContext {
  now(): number;
  /** Tokens earlier steps saved, by name; a step's `save` (or a demo's tokens) goes here. */
  saved: Map<string, string>;
  /** Runs one jwt-vs-oauth command's words (with the learner's clock, colour and width). */
  runCommand: CommandRunner;
  /** Draws the demo flow's steps and waits between them (the oauth-flow demo). */
  flow?: FlowCallbacks;
}

/** What a command step did. */
export type CommandOutcome =
  | {
    kind: 'ran';
    /** The words that ran, after the program name. */
    words: string[];
    code: number;
    stdout: string;
    stderr: string;
    /** Exit 0, or verify's exit 1 with its verdict: an answer. Anything else is a failed step, shown as such. */
    answered: boolean;
    /** What the step saved (its trimmed stdout, colour codes out), when it saves and answered. */
    saved?: { name: string; value: string };
    /** Why nothing was saved although the step saves and answered (its output was not one line). */
    unsaved?: string;
    /** What each {{name}} of the command stood for. */
    values: Record<string, string>;
    /** The names this step's `with` made for it alone (Mock Google's issuer and its audience, a fresh sign-in's tokens). */
    provided: string[];
  }
  /** A {{name}} an earlier step makes has not been made since the tutorial started (after a resume). */
  | { kind: 'not-ready'; name: string }
  /** The filled command may not run (a saved value that would read as an option). */
  | { kind: 'refused'; problem: string };

export type DemoOutcome =
  | { kind: 'shown'; result: DemoResult }
  | { kind: 'not-ready'; name: string }
  /** A saved value the demo reads as a token is not one: the demo did not run. */
  | { kind: 'not-a-token'; name: string; problem: string };

/** The values a Mock Google step provides, for its command: its issuer, its API's audience, a sign-in's tokens. */
async function withMockGoogle<T>(now: () => number, use: (values: Record<string, string>) => Promise<T>): Promise<T> {
  const { withSignIn } = await import('./demos.js');
  return withSignIn(async (tokens, world) => {
    const audience = (decodeToken(tokens.accessToken, now()).payload as Record<string, unknown>).aud;
    const api = Array.isArray(audience) ? String(audience[0]) : String(audience);
    return use({ issuer: world.provider.issuer, api, accessToken: tokens.accessToken, idToken: tokens.idToken });
  });
}

/**
 * Runs a command step: fills its {{names}} (from what `with` provides for this step, else from
 * saved tokens), checks the filled words against the lesson allowlist again, runs them, and saves
 * the trimmed output under `save` when it answered. `whileRunning` sees the outcome while what
 * `with` started still runs (Mock Google), for a test that runs the shown command again.
 */
export async function runCommandStep(screen: CommandScreen, context: StepContext, whileRunning?: (outcome: CommandOutcome) => Promise<void>): Promise<CommandOutcome> {
  const run = async (provided: Record<string, string>): Promise<CommandOutcome> => {
    const values: Record<string, string> = {};
    for (const name of lessonCommandReferences(screen.command)) {
      // Own names only: a {{constructor}} is never filled from Object.prototype.
      const value = Object.hasOwn(provided, name) ? provided[name] : context.saved.get(name);
      if (value === undefined) return { kind: 'not-ready', name };
      values[name] = value;
    }
    let words: string[];
    try {
      words = lessonCommandWords(screen.command, values, { mockGoogle: screen.with === 'mock-google' });
    } catch (error) {
      if (error instanceof InputError) return { kind: 'refused', problem: error.message };
      throw error;
    }
    const result = await context.runCommand(words);
    const answered = result.code === 0 || (words[0] === 'verify' && result.code === 1 && result.stdout.trim() !== '');
    const value = savedValueOf(result.stdout);
    const unsaved = answered && screen.save ? unsavableProblem(value) : undefined;
    const saved = answered && screen.save && unsaved === undefined ? { name: screen.save, value } : undefined;
    if (saved) context.saved.set(saved.name, saved.value);
    const outcome: CommandOutcome = { kind: 'ran', words, ...result, answered, ...(saved ? { saved } : {}), ...(unsaved ? { unsaved } : {}), values, provided: Object.keys(provided).filter((name) => Object.hasOwn(values, name)) };
    await whileRunning?.(outcome);
    return outcome;
  };
  if (screen.with === 'mock-google') return withMockGoogle(context.now, run);
  if (screen.with === 'sign-in') {
    const { signInTokens } = await import('./demos.js');
    const { tokens, fresh } = await signInTokens(context.saved);
    // Kept, as the demo flow keeps them: a later step of this run reads the same sign-in.
    if (fresh) for (const name of NAMES_PROVIDED['sign-in']) context.saved.set(name, tokens[name as keyof typeof tokens]);
  }
  return run({});
}

/** Runs a demo step; a demo that reads a token no step has made since the start says so. */
export async function runDemoStep(screen: DemoScreen, context: StepContext): Promise<DemoOutcome> {
  const args = screen.args ?? {};
  const spec = demoSpec(screen.demo);
  const missing = spec.reads(args).find((name) => !context.saved.has(name));
  if (missing !== undefined) return { kind: 'not-ready', name: missing };
  // What it reads as a token must be one: a decode's output saved under a name is refused here, not mid-demo.
  for (const name of [...spec.reads(args), ...(spec.readsIfSaved ?? [])]) {
    const value = context.saved.get(name);
    const problem = value === undefined ? undefined : notATokenProblem(value);
    if (problem !== undefined) return { kind: 'not-a-token', name, problem };
  }
  const { DEMOS_RUN } = await import('./demos.js');
  const result = await DEMOS_RUN[screen.demo]({ now: context.now, saved: context.saved, args, flow: context.flow ?? { show: () => undefined, pause: async () => undefined } });
  for (const [name, value] of Object.entries(result.saved)) context.saved.set(name, value);
  return { kind: 'shown', result };
}

/**
 * Signs in again, quietly, for a resume: the demo flow's tokens, without its steps and pauses.
 * The other steps a resume runs again run as they are.
 */
export async function signInAgain(context: StepContext): Promise<void> {
  const { withSignIn } = await import('./demos.js');
  const tokens = await withSignIn(async (made) => made);
  context.saved.set('accessToken', tokens.accessToken);
  context.saved.set('idToken', tokens.idToken);
}

/** Reads a value a question asks about: "token:accessToken.payload.scope"; undefined when there is none (no such token, not a token, no such claim). */
export function valueFromReference(reference: string, context: Pick<StepContext, 'saved' | 'now'>): string | undefined {
  const match = ANSWER_FROM.exec(reference);
  if (!match) return undefined;
  const token = context.saved.get(match[1]!);
  // A saved value that is not a token has no claims: the question says its value cannot be read.
  if (!token || notATokenProblem(token) !== undefined) return undefined;
  const decoded = decodeToken(token, context.now());
  const source = (match[2] === 'header' ? decoded.header : decoded.payload) as Record<string, unknown>;
  // Own claims only: "constructor" is not a claim of every token.
  const value = Object.hasOwn(source, match[3]!) ? source[match[3]!] : undefined;
  return value === undefined ? undefined : Array.isArray(value) ? value.join(' ') : String(value);
}
