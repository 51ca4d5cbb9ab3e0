// The parts every lesson demo is built from: what a demo returns (exchanges, remarks, tables,
// values) and the helpers that start the worlds it runs in (the practice API, Mock Google and Swaad).
// The demos themselves are in demos.ts and the demos-*.ts files beside it, one per group of lessons.

import { PRACTICE_API, startPracticeApi } from './practice-api.js';
import type { Narrator, Step } from '../oauth/steps.js';
import type { RecordedExchange } from '../oauth/user-agent.js';
import type { DemoWorld } from '../oauth/world.js';
export interface Exchange {
  method: string;
  path: string;
  /** What the request carried, in words ("no credentials"), or "". */
  note: string;
  status: number;
  body: unknown;
}

/** A piece of what a demo shows, in order. */
export type DemoPart =
  | { kind: 'exchange'; exchange: Exchange }
  /** A remark under an exchange, after a short lead ("1-4: "). */
  | { kind: 'remark'; lead: string; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; rows: string[][]; headings?: string[] }
  /** A label, then a value (a token) on a line of its own. */
  | { kind: 'value'; label: string; value: string }
  /** Lines shown as they are (a request line, a header). */
  | { kind: 'lines'; lines: string[] }
  /** Lines of code, each laid out between its words. */
  | { kind: 'code'; heading: string; lines: string[] }
  | { kind: 'blank' };

export interface DemoResult {
  parts: DemoPart[];
  /** Tokens to keep for later steps, by saved name. */
  saved: Record<string, string>;
  /** For the flow: whether it did what it shows. */
  ok?: boolean;
}

/** The demo flow's steps as they happen: the CLI draws each and waits between them. */
export interface FlowCallbacks {
  show(step: Step): void;
  pause(): Promise<void>;
}

export interface DemoContext {
  now(): number;
  /** Tokens earlier steps saved (read only: what a demo makes it returns). */
  saved: ReadonlyMap<string, string>;
  args: Readonly<Record<string, string>>;
  flow: FlowCallbacks;
}

/** The tokens of a sign-in at Mock Google. */
export interface SignInTokens {
  accessToken: string;
  idToken: string;
}

export async function call(url: string, method: string, options: { token?: string; json?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export const exchange = (method: string, path: string, note: string, answer: { status: number; body: unknown }): DemoPart => ({ kind: 'exchange', exchange: { method, path, note, status: answer.status, body: answer.body } });
export const paragraph = (text: string): DemoPart => ({ kind: 'paragraph', text });
export const blank: DemoPart = { kind: 'blank' };
/** What a demo shows, then its closing paragraph after a blank line; it saves nothing. */
export const showing = (parts: DemoPart[], closing: string): DemoResult => ({ parts: [...parts, blank, paragraph(closing)], saved: {} });

export async function withPracticeApi<T>(now: () => number, run: (url: string) => Promise<T>): Promise<T> {
  const api = await startPracticeApi(now);
  try {
    return await run(api.url);
  } finally {
    await api.close();
  }
}

export const asha = PRACTICE_API.users[0]!;

export async function loginAsAsha(url: string): Promise<{ login: Awaited<ReturnType<typeof call>>; token: string }> {
  const login = await call(`${url}/login`, 'POST', { json: { email: asha.email, password: asha.password } });
  return { login, token: String(login.body.token) };
}

/** A narrator for the demo flow that answers for Asha (the first user, consent given). */
export function answeringNarrator(flow: FlowCallbacks): Narrator {
  // The flow pauses after most steps, but signs in and consents (answered here, not asked) right
  // after step 2: a step not yet paused after is paused after before the flow goes on, so each
  // pause shows one step.
  let unpaused = false;
  const pause = async () => {
    unpaused = false;
    await flow.pause();
  };
  return {
    show: (step) => {
      flow.show(step);
      unpaused = true;
    },
    pause,
    credentials: async (_hint, users) => {
      if (unpaused) await pause();
      return { email: users[0]!.email, password: users[0]!.password };
    },
    consent: async () => {
      if (unpaused) await pause();
      return true;
    },
    note: () => undefined,
  };
}

export const QUIET: FlowCallbacks = { show: () => undefined, pause: async () => undefined };

/** Starts Mock Google and Swaad, signs Asha in (quietly, or through `flow`), and runs `use` while the provider still answers. */
export async function withSignIn<T>(use: (tokens: SignInTokens, world: DemoWorld, outcome: { ok: boolean; summary: string }) => Promise<T>, flow: FlowCallbacks = QUIET): Promise<T> {
  const [{ startDemoWorld, issuedTokens }, { runTerminalFlow }] = await Promise.all([import('../oauth/world.js'), import('../oauth/flow.js')]);
  const world = await startDemoWorld();
  try {
    const outcome = await runTerminalFlow(world, answeringNarrator(flow), { deny: false });
    const tokens = issuedTokens(world);
    return await use({ accessToken: tokens.access_token, idToken: tokens.id_token }, world, outcome);
  } finally {
    await world.close();
  }
}

/** A sign-in's tokens: the saved ones, else a quiet sign-in's. */
export async function signInTokens(saved: ReadonlyMap<string, string>): Promise<{ tokens: SignInTokens; fresh: boolean }> {
  const accessToken = saved.get('accessToken');
  const idToken = saved.get('idToken');
  if (accessToken !== undefined && idToken !== undefined) return { tokens: { accessToken, idToken }, fresh: false };
  return { tokens: await withSignIn(async (tokens) => tokens), fresh: true };
}

export const signInSaved = (tokens: SignInTokens): Record<string, string> => ({ accessToken: tokens.accessToken, idToken: tokens.idToken });

/** Starts Mock Google and Swaad (the demo's world, with its TV app registered) for `use`, and closes them after. */
export async function withDemoWorld<T>(use: (world: DemoWorld, flows: typeof import('../oauth/token-flows.js')) => Promise<T>): Promise<T> {
  const [{ startDemoWorld }, flows] = await Promise.all([import('../oauth/world.js'), import('../oauth/token-flows.js')]);
  const world = await startDemoWorld();
  try {
    return await use(world, flows);
  } finally {
    await world.close();
  }
}

/** A recorded exchange as a demo shows it: its path, a note, its status and its JSON answer. */
export function recorded(note: string, { request, response }: RecordedExchange): DemoPart {
  let body: unknown = response.body;
  try {
    body = JSON.parse(response.body);
  } catch {
    // Not JSON (a page): shown as the text it is.
  }
  return exchange(request.method, new URL(request.url).pathname, note, { status: response.status, body });
}

/** A browser's exchange in a table row: the request with its form fields (a password hidden), and the status with the page's title. */
export function pageRow({ request, response }: RecordedExchange): string[] {
  const fields = [...new URLSearchParams(request.body ?? '')].filter(([name]) => name !== 'form_token').map(([name, value]) => (name === 'password' ? 'password=…' : `${name}=${value}`));
  const title = /<title>([^<–]*)/.exec(response.body)?.[1]?.trim() ?? '';
  return [`${request.method} ${new URL(request.url).pathname}${fields.length ? ` ${fields.join(' ')}` : ''}`, `${response.status} ${title}`.trim()];
}

/** The first characters of an opaque token, to tell one from another. */
export const opening = (token: string) => `${token.slice(0, 6)}…`;

/** A demo: it runs with the saved tokens and its args, and returns what to show and what to keep. */
export type Demo = (context: DemoContext) => Promise<DemoResult>;
