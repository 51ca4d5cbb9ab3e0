// Types for the load driver's HTTP client (bench/http-client.mjs), so its tests are typed.

export interface DriverResponse {
  status: number;
  /** Lower-case names; set-cookie is a list. */
  headers: Record<string, string> & { 'set-cookie'?: string[] };
  body: string;
}

export class Client {
  /** `localAddress`: the address to connect from, such as 127.0.3.4. */
  constructor(options?: { localAddress?: string });
  send(method: string, url: string, options?: { headers?: Record<string, string>; body?: string }): Promise<DriverResponse>;
  close(): void;
}
