// The shape of one step of the demo, shared by the flow, the attacks and the renderer.

import type { VerifyResult } from '../jwt/verify.js';
import type { RecordedExchange } from './user-agent.js';

/**
 * Who takes part. The code flow's are browser, app and provider (and an attacker); the device
 * flow has the device and the user's phone; client credentials a backend service and the orders
 * API; `api` is the userinfo endpoint drawn as an API of its own.
 */
export type Party = 'browser' | 'app' | 'provider' | 'attacker' | 'device' | 'phone' | 'service' | 'orders' | 'api';

/** How each party is named on the diagram, unless a step names it otherwise (laneNames). */
export const PARTY_NAMES: Record<Party, string> = { browser: 'Browser', app: 'App (Swaad)', provider: 'Mock Google', attacker: 'Attacker', device: 'TV app', phone: 'Your phone', service: 'Backend service', orders: 'Orders API', api: 'API (userinfo)' };

/** The name `party` has on `step`'s diagram. */
export function partyName(party: Party, step?: Pick<Step, 'laneNames'>): string {
  return step?.laneNames?.[party] ?? PARTY_NAMES[party];
}

export interface Arrow {
  from: Party;
  to: Party;
  label: string;
}

export interface ShownExchange {
  /** Whose request it is, in words: "the browser", "the app (back channel)", "the attacker". */
  who: string;
  exchange: RecordedExchange;
}

export interface Step {
  number: number;
  total: number;
  title: string;
  text: string[];
  /** Name/value lines, each with what it means. */
  facts?: Array<{ name: string; value: string; meaning: string }>;
  arrows: Arrow[];
  /** The sequence diagram's lifelines, left to right; default browser, app, provider (and the attacker when one appears). */
  lanes?: Party[];
  /** Names for lifelines that differ from PARTY_NAMES in this scene ("Asha's phone" for phone). */
  laneNames?: Partial<Record<Party, string>>;
  exchanges: ShownExchange[];
  /** The ID token's verification; nonceMatches is absent where the flow sends no nonce (the device grant). */
  verification?: { result: VerifyResult; nonceMatches?: boolean };
  /** Checks run for the step and shown as a table: each row passed (ok) or not, in words. */
  checks?: CheckTable[];
  tokens?: Array<{ label: string; token: string; claims: Record<string, unknown>; header: Record<string, unknown> }>;
}

export interface CheckTable {
  heading: string;
  /** ok: the outcome the defence wants; `result` says it in a word, so no mark or colour carries meaning alone. */
  rows: Array<{ ok: boolean; result: string; detail: string }>;
}

export interface Outcome {
  /** What happened, in one line. */
  summary: string;
  /** 0: the demo did what it shows (signed in, denied and handled, attack stopped); 1: it did not. */
  ok: boolean;
}

/** How the narration talks to the person watching: pauses and questions. */
export interface Narrator {
  show(step: Step): void;
  /** Waits before the next step (a no-op in --auto). */
  pause(): Promise<void>;
  credentials(loginHint: string, users: Array<{ email: string; password: string; name: string }>): Promise<{ email: string; password: string }>;
  /** Allow or deny; `caution`, when given, is said before the question (the device grant's warning). */
  consent(client: string, scopes: string[], caution?: string): Promise<boolean>;
  note(text: string): void;
}

/** A maker of one flow's steps: each numbered out of `total`, drawn on `lanes`, named as `laneNames` says. */
export function stepsOf(total: number, lanes?: Party[], laneNames?: Partial<Record<Party, string>>): (number: number, title: string, parts: Partial<Step>) => Step {
  return (number, title, parts) => ({ number, total, title, text: [], arrows: [], exchanges: [], ...(lanes && { lanes }), ...(laneNames && { laneNames }), ...parts });
}
