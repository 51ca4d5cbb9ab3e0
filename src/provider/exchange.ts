// What every endpoint handler receives: the request, the response, the provider state, and a
// way to say in words what happened (the request log line).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProviderState } from './state.js';

export interface Exchange {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  state: ProviderState;
  /** Sets the plain-words summary shown in the request log. */
  say(message: string): void;
}

export type Handler = (exchange: Exchange) => Promise<void>;
