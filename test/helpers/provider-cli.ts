// For tests that run Mock Google through the CLI in-process: a free loopback port to give it, and
// a wait until it answers there. (test/exercises/start-port.test.ts, test/provider/boundary.test.ts
// and test/e2e/readme-curl.test.ts have their own copies, to be moved here.)

import { createServer } from 'node:net';

/** A loopback port free a moment ago: listened on, then let go. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers 2xx; throws after 15 s. */
export async function waitUntilAnswering(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} never answered`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
