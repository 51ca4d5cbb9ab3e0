// The demo's world: Mock Google and the Swaad app, both on loopback ports, with every app event
// collected so the narration can show what really happened.

import { startProvider, type RequestEvent, type RunningProvider } from '../provider/server.js';
import { startDemoApp, type AppEvent, type DemoApp } from './demo-app.js';
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
  /** Resolves with the next app event of one of these kinds. */
  nextAppEvent(kinds: AppEvent['kind'][], timeoutMs?: number): Promise<AppEvent>;
  close(): Promise<void>;
}

export const DEMO_CLIENT = { id: 'demo-app', secret: 'demo-secret' };

export async function startDemoWorld(): Promise<DemoWorld> {
  const providerLog: RequestEvent[] = [];
  const transcript: DemoWorld['transcript'] = [];
  const appEvents: AppEvent[] = [];
  const waiters: Array<{ kinds: AppEvent['kind'][]; resolve: (event: AppEvent) => void }> = [];
  const provider = await startProvider({ port: 0, onRequest: (event) => providerLog.push(event) });
  let app: DemoApp;
  try {
    app = await startDemoApp({
      issuer: provider.issuer,
      clientId: DEMO_CLIENT.id,
      clientSecret: DEMO_CLIENT.secret,
      onBackChannel: (exchange) => transcript.push({ who: 'app', exchange }),
      onEvent: (event) => {
        appEvents.push(event);
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
    nextAppEvent: (kinds, timeoutMs = 10 * 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Nothing came back within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
        timer.unref();
        waiters.push({ kinds, resolve: (event) => { clearTimeout(timer); resolve(event); } });
      }),
    close: async () => {
      await app.close();
      await provider.close();
    },
  };
}

export function lastEvent<Kind extends AppEvent['kind']>(world: DemoWorld, kind: Kind): Extract<AppEvent, { kind: Kind }> | undefined {
  return [...world.appEvents].reverse().find((event) => event.kind === kind) as Extract<AppEvent, { kind: Kind }> | undefined;
}
