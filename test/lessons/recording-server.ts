// A loopback HTTP server that records every request it gets and answers an empty JWK Set: for
// tests that show a refused command reached no network.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingServer {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The path of each request, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startRecordingServer(): Promise<RecordingServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
