// A minimal browser over plain HTTP, for when the terminal plays the browser: it keeps cookies,
// never follows redirects on its own (so each hop can be shown), records every exchange, and
// fills in the provider's sign-in and consent forms.

export interface RecordedExchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

interface StoredCookie {
  name: string;
  value: string;
  origin: string;
  path: string;
}

export class UserAgent {
  private cookies: StoredCookie[] = [];
  readonly exchanges: RecordedExchange[] = [];

  constructor(private readonly onExchange?: (exchange: RecordedExchange) => void) {}

  async request(method: 'GET' | 'POST', url: string, options: { form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<RecordedExchange> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'text/html,application/json', ...options.headers };
    const cookieHeader = this.cookies
      .filter((cookie) => cookie.origin === target.origin && (target.pathname === cookie.path || target.pathname.startsWith(`${cookie.path.replace(/\/$/, '')}/`)))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
    if (cookieHeader) headers.cookie = cookieHeader;
    let body: string | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const response = await fetch(target, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
    const responseBody = await response.text();
    for (const line of response.headers.getSetCookie()) this.storeCookie(target, line);
    const exchange: RecordedExchange = {
      request: { method, url: target.href, headers, ...(body !== undefined ? { body } : {}) },
      response: { status: response.status, headers: Object.fromEntries(response.headers), body: responseBody },
    };
    this.exchanges.push(exchange);
    this.onExchange?.(exchange);
    return exchange;
  }

  private storeCookie(from: URL, line: string): void {
    const [pair, ...attributes] = line.split(';');
    const separator = pair!.indexOf('=');
    const name = pair!.slice(0, separator).trim();
    const value = pair!.slice(separator + 1).trim();
    const path = attributes.map((attribute) => attribute.trim()).find((attribute) => /^path=/i.test(attribute))?.slice(5) ?? '/';
    const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
    this.cookies = this.cookies.filter((cookie) => !(cookie.name === name && cookie.path === path && cookie.origin === from.origin));
    if (!expired) this.cookies.push({ name, value, origin: from.origin, path });
  }
}

/** The first form's action, resolved against the page URL, and its input fields. */
export function formOf(html: string, pageUrl: string): { action: string; fields: string[] } | undefined {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const action = new URL(decodeEntities(form[1]!), pageUrl).href;
  const fields = [...form[2]!.matchAll(/<(?:input|button)[^>]*name="([^"]+)"/gi)].map((match) => match[1]!);
  return { action, fields };
}

export function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

export interface SignInResult {
  /** Where the provider finally sent the browser: the app's redirect_uri with code or error. */
  callbackUrl?: string;
  /** The page shown instead when the provider refused to redirect (an unknown client, say). */
  errorPage?: { status: number; body: string };
  exchanges: RecordedExchange[];
}

/** Plays the user at the provider: opens the authorization URL, signs in, then allows or denies. */
export async function signInAtProvider(agent: UserAgent, authorizationUrl: string, user: { email: string; password: string; allow: boolean }): Promise<SignInResult> {
  const start = agent.exchanges.length;
  const done = (result: Omit<SignInResult, 'exchanges'>): SignInResult => ({ ...result, exchanges: agent.exchanges.slice(start) });
  let page = await agent.request('GET', authorizationUrl);
  let pageUrl = authorizationUrl;
  for (let step = 0; step < 4; step++) {
    const { status, headers, body } = page.response;
    if (status >= 300 && status < 400 && headers.location) return done({ callbackUrl: new URL(headers.location, pageUrl).href });
    const form = status === 200 ? formOf(body, pageUrl) : undefined;
    if (!form) return done({ errorPage: { status, body } });
    const fields: Record<string, string> = form.fields.includes('password')
      ? { email: user.email, password: user.password }
      : { decision: user.allow ? 'allow' : 'deny' };
    page = await agent.request('POST', form.action, { form: fields });
    pageUrl = form.action;
  }
  return done({ errorPage: { status: page.response.status, body: page.response.body } });
}

/** Opens the verification page and types the user code (RFC 8628 §3.3): the page, then the answer (the sign-in page), when the page had its form. */
export async function enterUserCode(agent: UserAgent, verificationUri: string, userCode: string): Promise<RecordedExchange[]> {
  const page = await agent.request('GET', verificationUri);
  const formToken = decodeEntities(/name="form_token" value="([^"]*)"/.exec(page.response.body)?.[1] ?? '');
  const codeForm = formOf(page.response.body, verificationUri);
  if (!codeForm) return [page];
  return [page, await agent.request('POST', codeForm.action, { form: { form_token: formToken, user_code: userCode } })];
}

/**
 * Plays the user at /device: opens the verification URI, confirms or types the code, signs in,
 * then allows or denies; `allow` may be a question, asked only once the consent page is there.
 */
export async function approveDeviceAtProvider(agent: UserAgent, verificationUri: string, userCode: string, user: { email: string; password: string; allow: boolean | (() => Promise<boolean>) }): Promise<RecordedExchange[]> {
  const start = agent.exchanges.length;
  const entered = await enterUserCode(agent, verificationUri, userCode);
  if (entered.length < 2) return agent.exchanges.slice(start);
  let next = entered.at(-1)!;
  const answers: Array<() => Promise<Record<string, string>>> = [
    async () => ({ email: user.email, password: user.password }),
    async () => ({ decision: (typeof user.allow === 'function' ? await user.allow() : user.allow) ? 'allow' : 'deny' }),
  ];
  for (const fields of answers) {
    const form = next.response.status === 200 ? formOf(next.response.body, next.request.url) : undefined;
    if (!form) break;
    next = await agent.request('POST', form.action, { form: await fields() });
  }
  return agent.exchanges.slice(start);
}
