// The demo's world: Mock Google and the Swaad app, both on loopback ports, with every app event
// collected so the narration can show what really happened.

import { DEFAULT_CLIENTS, type Client } from '../provider/directory.js';
import { startProvider, type RequestEvent, type RunningProvider } from '../provider/server.js';
import { startDemoApp, type AppEvent, type DemoApp } from './demo-app.js';
import { tokensIn, type TokenResponse } from './client-protocol.js';
import { UserAgent, type RecordedExchange } from './user-agent.js';

export interface DemoWorld {
  provider: RunningProvider;
  app: DemoApp;
  appEvents: AppEvent[];
  providerLog: RequestEvent[];
  /** Every HTTP exchange of the run, in order, with who made it. */
  transcript: Array<{ who: string; exchange: RecordedExchange }>;
  /** A browser (or attacker) whose exchanges go into the transcript. */
  agent(who: string): UserAgent;
  /** Calls `listener` with every app event from now on; the function it returns stops that. */
  watchAppEvents(listener: (event: AppEvent) => void): () => void;
  /**
   * Mock Google's clock: the real time plus what `skip` added. `--auto` skips a device's polling
   * interval instead of waiting it out; the provider sees the time pass all the same.
   */
  clock: { nowMs(): number; skip(seconds: number): void };
  /** Resolves with the next app event of one of these kinds. */
  nextAppEvent(kinds: AppEvent['kind'][], timeoutMs?: number): Promise<AppEvent>;
  close(): Promise<void>;
}

export const DEMO_CLIENT = { id: 'demo-app', secret: 'demo-secret' };

/**
 * Swaad's TV app, for the device flow: a public client (RFC 8628 §5.6 — software on a TV cannot
 * keep a secret), with no redirect URI: the device grant never redirects.
 */
export const TV_CLIENT: Client = { client_id: 'swaad-tv', client_name: 'Swaad on your TV (swaad-tv, public)', redirect_uris: [] };

/** Callbacks that are not ours can come by the thousand from anyone; only the first few are kept. */
const NOT_OURS_KEPT = 20;

/** Starts Mock Google and Swaad; with `dpop`, Swaad binds its tokens to a key pair of its own (RFC 9449). */
export async function startDemoWorld(options: { dpop?: boolean } = {}): Promise<DemoWorld> {
  const providerLog: RequestEvent[] = [];
  const transcript: DemoWorld['transcript'] = [];
  const appEvents: AppEvent[] = [];
  const waiters: Array<{ kinds: AppEvent['kind'][]; resolve: (event: AppEvent) => void }> = [];
  const watchers = new Set<(event: AppEvent) => void>();
  let notOursSeen = 0;
  let skippedMs = 0;
  const nowMs = () => Date.now() + skippedMs;
  const provider = await startProvider({ port: 0, clients: [...DEFAULT_CLIENTS, TV_CLIENT], nowMs, onRequest: (event) => providerLog.push(event) });
  let app: DemoApp;
  try {
    app = await startDemoApp({
      issuer: provider.issuer,
      clientId: DEMO_CLIENT.id,
      clientSecret: DEMO_CLIENT.secret,
      dpop: options.dpop,
      onBackChannel: (exchange) => transcript.push({ who: 'app', exchange }),
      onEvent: (event) => {
        if (event.kind !== 'callback-not-ours' || ++notOursSeen <= NOT_OURS_KEPT) appEvents.push(event);
        for (const watcher of watchers) watcher(event);
        const waiter = waiters.find((candidate) => candidate.kinds.includes(event.kind));
        if (waiter) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      },
    });
  } catch (error) {
    await provider.close();
    throw error;
  }
  return {
    provider,
    app,
    appEvents,
    providerLog,
    transcript,
    agent: (who) => new UserAgent((exchange) => transcript.push({ who, exchange })),
    clock: { nowMs, skip: (seconds) => void (skippedMs += seconds * 1000) },
    watchAppEvents: (listener) => {
      watchers.add(listener);
      return () => void watchers.delete(listener);
    },
    nextAppEvent: (kinds, timeoutMs = 10 * 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new WaitTimedOut(`Nothing came back within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
        timer.unref();
        waiters.push({ kinds, resolve: (event) => { clearTimeout(timer); resolve(event); } });
      }),
    close: async () => {
      await app.close();
      await provider.close();
    },
  };
}

/** The app reported none of the awaited events in time (the browser never came back). */
export class WaitTimedOut extends Error {}

export function lastEvent<Kind extends AppEvent['kind']>(world: DemoWorld, kind: Kind): Extract<AppEvent, { kind: Kind }> | undefined {
  return [...world.appEvents].reverse().find((event) => event.kind === kind) as Extract<AppEvent, { kind: Kind }> | undefined;
}

/** The tokens the app got at its last token exchange (step 5); throws when the sign-in never got that far. */
export function issuedTokens(world: DemoWorld): TokenResponse {
  const tokenExchange = lastEvent(world, 'token-exchange');
  if (!tokenExchange) throw new Error('The demo sign-in ended without a token exchange.');
  return tokensIn(tokenExchange.exchange);
}
