// The shape of one step of the demo, shared by the flow, the attacks and the renderer.

import type { VerifyResult } from '../jwt/verify.js';
import type { RecordedExchange } from './user-agent.js';

export type Party = 'browser' | 'app' | 'provider' | 'attacker';

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
  exchanges: ShownExchange[];
  verification?: { result: VerifyResult; nonceMatches: boolean };
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
  consent(client: string, scopes: string[]): Promise<boolean>;
  note(text: string): void;
}
