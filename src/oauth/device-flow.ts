// The device authorization grant (RFC 8628) step by step: the TV app asks for codes, polls, the
// user types the code on a phone, signs in and consents there, and the TV collects its tokens.
// The terminal can play the phone (UserAgent), or a real browser can while the TV polls. With
// DPoP (RFC 9449), the TV binds its tokens to a key pair it makes first.

import { discoverIssuer } from '../jwt/remote-keys.js';
import { jsonBodyOf, type AnyTokenResponse } from './client-protocol.js';
import { bindingFacts, DPOP_KEY_ALGORITHM, dpopProof, newDpopKey, type DpopKey } from './dpop-client.js';
import { verifyToken } from '../jwt/verify.js';
import { scopeLines, shorten, signInAndConsentArrows, signInWithTries } from './flow.js';
import { callUserinfo } from './token-flows.js';
import { stepsOf, type Narrator, type Outcome, type Party, type ShownExchange, type Step } from './steps.js';
import { enterUserCode, formOf, type RecordedExchange, type UserAgent } from './user-agent.js';
import { TV_CLIENT, type DemoWorld } from './world.js';

export const DEVICE_STEPS = 7;
export const DEVICE_LANES: Party[] = ['device', 'phone', 'provider'];
export const DEVICE_SCOPES = ['openid', 'profile', 'email'];
export const DEVICE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:device_code';

/** What the device authorization endpoint answered (RFC 8628 §3.2). */
export interface DeviceCodes {
  exchange: RecordedExchange;
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval: number;
}

/**
 * How the device waits between polls: for real (someone is watching), or by moving Mock Google's
 * clock on (--auto). `wait` is the watcher's own wait (the CLI's: q or Esc stops the demo there).
 */
export interface Pacing {
  waitForReal: boolean;
  wait?: (seconds: number) => Promise<void>;
}

/** The device asks for a device code and a user code, as the public client swaad-tv. */
export async function requestDeviceCodes(world: DemoWorld, device: UserAgent, scopes = DEVICE_SCOPES): Promise<DeviceCodes> {
  const exchange = await device.request('POST', `${world.provider.issuer}/device_authorization`, { form: { client_id: TV_CLIENT.client_id, scope: scopes.join(' ') }, headers: { accept: 'application/json' } });
  if (exchange.response.status !== 200) throw new Error(`The device authorization endpoint answered ${exchange.response.status}: ${exchange.response.body}`);
  return { exchange, ...jsonBodyOf<Omit<DeviceCodes, 'exchange'>>(exchange) };
}

/** One poll of the token endpoint with the device code (RFC 8628 §3.4); with `dpopKey`, a fresh proof by that key goes along (RFC 9449 §5). */
export async function pollToken(world: DemoWorld, device: UserAgent, deviceCode: string, dpopKey?: DpopKey): Promise<RecordedExchange> {
  const url = `${world.provider.issuer}/token`;
  return device.request('POST', url, { form: { grant_type: DEVICE_GRANT_TYPE, device_code: deviceCode, client_id: TV_CLIENT.client_id }, headers: { accept: 'application/json', ...(dpopKey && { dpop: await dpopProof(dpopKey, 'POST', url) }) } });
}

/** The OAuth error code of a refused poll, or undefined for a 200. */
export function pollError(exchange: RecordedExchange): string | undefined {
  if (exchange.response.status === 200) return undefined;
  try {
    return String(jsonBodyOf<{ error?: unknown }>(exchange).error);
  } catch {
    return `HTTP ${exchange.response.status}`;
  }
}

/** Waits `seconds` before a poll (`first`: the device's first): really, or by moving Mock Google's clock on; returns what it did, in words. */
export async function waitInterval(world: DemoWorld, seconds: number, pacing: Pacing, first = false): Promise<string> {
  if (pacing.waitForReal) {
    await (pacing.wait ?? ((wait: number) => new Promise<void>((resolve) => setTimeout(resolve, wait * 1000))))(seconds);
    return `The device waited ${seconds} seconds, the polling interval, before ${first ? 'its first poll' : 'asking again'} (RFC 8628 §3.5).`;
  }
  world.clock.skip(seconds);
  return `The device waits ${seconds} seconds, the polling interval, before each poll (RFC 8628 §3.5); without a person watching, the demo moves Mock Google's clock on ${seconds} seconds instead of waiting.`;
}

const step = stepsOf(DEVICE_STEPS, DEVICE_LANES);

const tv = (exchange: RecordedExchange): ShownExchange => ({ who: 'the TV app', exchange });
const phone = (exchange: RecordedExchange): ShownExchange => ({ who: 'your phone\'s browser', exchange });

/** Step 1: the codes; with `dpopKey`, the key pair the TV made first is told too. */
export function deviceStepOne(codes: DeviceCodes, dpopKey?: Pick<DpopKey, 'jkt'>): Step {
  return step(1, 'The TV app asks Mock Google for a code', {
    text: [
      'The Swaad app on your TV has no good way to take a password, and no browser to send you to a sign-in page. So it asks Mock Google\'s device authorization endpoint for a pair of codes (RFC 8628 §3.1, §3.2). Software on a TV cannot keep a secret, so it is a public client: it sends only its client_id.',
      ...(dpopKey ? [`With DPoP (RFC 9449), the TV app first makes a key pair of its own (${DPOP_KEY_ALGORITHM}, a P-256 key). The private key stays on the TV and is never sent; the public key goes out in each proof the TV signs. Its thumbprint, below as "DPoP key", is what the tokens will name in step 5. A public client has no secret, but it can still hold a key.`] : []),
    ],
    facts: [
      { name: 'device_code', value: shorten(codes.device_code), meaning: 'the TV\'s own handle on this sign-in: it never shows it, and only it polls with it' },
      { name: 'user_code', value: codes.user_code, meaning: 'short, for a person to type: consonants only, no vowels or look-alikes (RFC 8628 §6.1)' },
      { name: 'verification_uri', value: codes.verification_uri, meaning: 'where you go, on another device, to type the code' },
      ...(codes.verification_uri_complete ? [{ name: 'verification_uri_complete', value: codes.verification_uri_complete, meaning: 'the same address with the code filled in, for a QR code (§3.3.1)' }] : []),
      { name: 'expires_in', value: String(codes.expires_in), meaning: `seconds both codes work (${Math.round(codes.expires_in / 60)} minutes)` },
      { name: 'interval', value: String(codes.interval), meaning: 'seconds the TV must wait between polls (§3.2)' },
      ...(dpopKey ? [{ name: 'DPoP key', value: shorten(dpopKey.jkt), meaning: 'the RFC 7638 thumbprint of the TV\'s public key; the private key never leaves the TV' }] : []),
    ],
    arrows: [
      ...(dpopKey ? [{ from: 'device' as const, to: 'device' as const, label: 'DPoP key pair' }] : []),
      { from: 'device', to: 'provider', label: 'POST /device_authorization client_id, scope' },
      { from: 'provider', to: 'device', label: '200 {device_code, user_code, …}' },
    ],
    exchanges: [tv(codes.exchange)],
  });
}

/** Step 2: the first poll; `dpop`: each poll carries a proof. */
export function deviceStepTwo(codes: DeviceCodes, poll: RecordedExchange, waited: string, dpop = false): Step {
  return step(2, 'The TV shows the code and polls', {
    text: [
      `The TV shows: "On your phone, go to ${codes.verification_uri} and enter ${codes.user_code}". Meanwhile it polls the token endpoint with grant_type=${DEVICE_GRANT_TYPE} and its device_code (§3.4). ${waited}`,
      'Until you have answered, the answer is authorization_pending (§3.5). A device that polls faster than the interval gets slow_down, and its interval grows by 5 seconds for good; access_denied means you said no, expired_token that the codes ran out.',
      ...(dpop ? ['With DPoP, every poll carries a DPoP header: a fresh proof, signed by the TV\'s key for that one request (htm POST, htu the token endpoint, iat, a new jti). Any poll may be the one that gets the tokens, and they are bound to the key of its proof (RFC 9449 §5).'] : []),
    ],
    arrows: [
      { from: 'device', to: 'provider', label: dpop ? 'POST /token device_code + DPoP proof' : 'POST /token device_code' },
      { from: 'provider', to: 'device', label: `${poll.response.status} ${pollError(poll) ?? 'tokens'}` },
    ],
    exchanges: [tv(poll)],
  });
}

export function deviceStepThree(codes: DeviceCodes, exchanges: RecordedExchange[]): Step {
  return step(3, 'On your phone: the address and the code', {
    text: [
      `On another device with a real browser (your phone, a laptop), you open ${codes.verification_uri} and type the code (§3.3). Mock Google finds the sign-in that code belongs to. Codes are short, so wrong ones are limited: five a minute from one address (§5.1). Then it shows its sign-in page: your password is typed here, on the phone, at Mock Google. The TV never sees it.`,
    ],
    arrows: [
      { from: 'phone', to: 'provider', label: 'GET /device, POST user_code' },
      { from: 'provider', to: 'phone', label: '200 sign-in page' },
    ],
    exchanges: exchanges.map(phone),
  });
}

/**
 * Step 4: signing in on the phone and the consent page. `allowed` undefined: shown before the
 * answer (the terminal asks it next, and step 5 shows it); else the answer is part of the step.
 */
export function deviceStepFour(codes: DeviceCodes, exchanges: RecordedExchange[], allowed: boolean | undefined, scopes: string[]): Step {
  const arrows = signInAndConsentArrows('phone', '200 consent page (device, code)', allowed ?? false);
  return step(4, allowed === undefined ? 'Sign in, and the consent page' : allowed ? 'Sign in and consent: you allow it' : 'Sign in and consent: you deny it', {
    text: [
      `Signed in, Mock Google asks whether ${TV_CLIENT.client_name} may have, from a device:`,
      ...scopeLines(scopes),
      `The page names the device's client and its code, ${codes.user_code}, and warns: allow this only if you started it yourself, on a device in front of you that shows this code. That warning is the defence against someone sending you their code (RFC 8628 §5.4; see --attack device-phishing).`,
      ...(allowed === undefined ? [] : [allowed ? 'You chose Allow.' : 'You chose Deny.']),
    ],
    arrows: allowed === undefined ? arrows.slice(0, 2) : arrows,
    exchanges: exchanges.map(phone),
  });
}

/** What the terminal says before it asks Allow? on the phone's behalf: the code, and the page's warning. */
export function deviceConsentCaution(codes: DeviceCodes): string {
  return `The page shows the code ${codes.user_code}. Allow only if you started it yourself, on a device in front of you that shows this code.`;
}

/** Step 5: the TV's next poll; `decision`, when step 4 did not show it, is your answer on the phone, sent first; `dpopKey`: the key the TV's proofs are signed with. */
export function deviceStepFive(poll: RecordedExchange, waited: string, decision?: { allowed: boolean; exchange: RecordedExchange }, dpopKey?: Pick<DpopKey, 'jkt'>): Step {
  const error = pollError(poll);
  const tokens = dpopKey && !error ? jsonBodyOf<AnyTokenResponse>(poll) : undefined;
  const pageTitle = decision?.allowed ? 'Device connected' : 'Device not connected';
  const answered = decision ? `You chose ${decision.allowed ? 'Allow' : 'Deny'}: your phone sends decision=${decision.allowed ? 'allow' : 'deny'}, and Mock Google's page says "${pageTitle}". ` : '';
  const polled = error ? `the TV's next poll: ${error}` : 'the TV\'s next poll gets the tokens';
  return step(5, decision ? `You ${decision.allowed ? 'allow' : 'deny'} it; ${polled}` : polled.replace(/^t/, 'T'), {
    text: error
      ? [`${answered}${waited} This time Mock Google answers ${error}: you denied it, so the TV stops polling and stays signed out.`]
      : [
          `${answered}${waited} This time Mock Google answers with tokens, the same kind of token response as the code flow's (§3.5). The device code is now used up: a second poll with it gets invalid_grant.`,
          ...(tokens ? ['The tokens are bound to the TV\'s key: the answer says token_type DPoP, and the access token names the key\'s thumbprint in its cnf.jkt claim (RFC 9449 §5, §6.1). It works only with a fresh proof signed by that key, so a copy without the private key is useless (see --attack stolen-dpop-token).'] : []),
        ],
    ...(tokens && dpopKey && { facts: bindingFacts(tokens.token_type, tokens.access_token, dpopKey, 'TV') }),
    arrows: [
      ...(decision ? signInAndConsentArrows('phone', '', decision.allowed).slice(2) : []),
      ...(decision ? [{ from: 'provider' as const, to: 'phone' as const, label: `${decision.exchange.response.status} "${pageTitle}"` }] : []),
      { from: 'device', to: 'provider', label: dpopKey ? 'POST /token device_code + DPoP proof' : 'POST /token device_code' },
      { from: 'provider', to: 'device', label: error ? `400 ${error}` : dpopKey ? '200 {access_token, id_token} token_type DPoP' : '200 {access_token, id_token}' },
    ],
    exchanges: [...(decision ? [phone(decision.exchange)] : []), tv(poll)],
  });
}

/**
 * Step 6: the TV calls userinfo, then checks both answers before it greets you: the ID token (no
 * nonce: none was sent), and userinfo's sub against the ID token's (OIDC Core §5.3.2).
 */
export async function deviceStepSix(world: DemoWorld, device: UserAgent, tokens: { access_token: string; id_token: string }, dpopKey?: DpopKey): Promise<Step> {
  const { keys } = await discoverIssuer(world.provider.issuer);
  const result = await verifyToken(tokens.id_token, { keys, algorithms: ['RS256'], tokenType: 'JWT', issuer: world.provider.issuer, audience: [TV_CLIENT.client_id], clockTolerance: 0, now: Math.floor(world.clock.nowMs() / 1000) });
  const userinfo = await callUserinfo(world, device, tokens.access_token, dpopKey);
  const idTokenSub = typeof result.payload === 'object' ? result.payload.sub : undefined;
  const userinfoSub = userinfo.response.status === 200 ? jsonBodyOf<{ sub?: unknown }>(userinfo).sub : undefined;
  const same = userinfoSub !== undefined && userinfoSub === idTokenSub;
  return step(6, 'The TV calls the API and checks both answers', {
    text: [
      dpopKey
        ? 'The TV calls userinfo with the access token, with the DPoP scheme (Authorization: DPoP <token>, not Bearer) and a new proof for this request that carries ath, the hash of the token (RFC 9449 §7.1; the exchange below). Before it greets you by name, it checks both answers it holds.'
        : 'The TV calls userinfo with the access token, as a Bearer token (the exchange below). Before it greets you by name, it checks both answers it holds.',
      'First the ID token, as any client does: its signature with the keys at /jwks, iss, aud (its own client_id, swaad-tv), exp. There is no nonce to check: the device grant sends no authorization request through a browser, so there is none to carry one. What ties these tokens to this TV is the device_code, which never left it.',
      'Then userinfo\'s answer: the TV takes it only if it is about the user who signed in, its sub equal to the ID token\'s sub (OIDC Core §5.3.2).',
    ],
    verification: { result },
    arrows: [
      { from: 'device', to: 'provider', label: dpopKey ? 'GET /userinfo DPoP <access token> + proof' : 'GET /userinfo Bearer <access token>' },
      { from: 'provider', to: 'device', label: `${userinfo.response.status} {sub, name, email}` },
      { from: 'device', to: 'device', label: 'verify the ID token with /jwks; same sub?' },
    ],
    exchanges: [tv(userinfo)],
    checks: [{
      heading: 'The TV checks the userinfo answer:',
      rows: [{ ok: same, result: same ? 'same sub' : 'another sub', detail: `userinfo sub ${JSON.stringify(userinfoSub)}, ID token sub ${JSON.stringify(idTokenSub)}` }],
    }],
  });
}

/** Step 7, the recap; `dpop`: the key binding is part of it. */
export function deviceStepSeven(signedIn: boolean, dpop = false): Step {
  return step(7, 'Recap', {
    text: [
      'What happened, and where:',
      '  The TV asked for codes              → step 1 (POST /device_authorization)',
      '  You typed the code on your phone    → steps 3 and 4 (sign-in and consent at Mock Google)',
      '  The TV polled until you answered    → steps 2 and 5',
      ...(signedIn ? ['  The TV used its tokens             → step 6'] : []),
      'What each part is for:',
      '  • The password is typed on the phone, at the provider: the TV never sees it.',
      '  • Only the device that holds the device_code can collect the tokens, and only once.',
      '  • User codes are short, so wrong guesses are limited (RFC 8628 §5.1) and codes expire (expires_in, §3.2).',
      '  • What the protocol cannot stop: someone sending you their code (§5.4). Only reading the consent page does.',
      ...(dpop && signedIn ? ['  • DPoP binds the access token to the TV\'s key (cnf.jkt): a copy without the private key is refused (RFC 9449 §7.1). Try: --attack stolen-dpop-token'] : []),
    ],
  });
}

/**
 * What the phone does: the terminal plays it, or a real browser does while the TV polls. `open`
 * answers false when no browser could be opened: then the terminal plays the phone after all.
 */
export type DeviceUser =
  | { kind: 'terminal'; deny: boolean }
  | { kind: 'browser'; deny: boolean; open: (url: string) => Promise<boolean> };

/**
 * The whole device flow, narrated; the outcome says whether the TV signed in (or handled a
 * denial). `dpop`: the TV makes a key pair first and binds its tokens to it (RFC 9449).
 */
export async function runDeviceFlow(world: DemoWorld, narrator: Narrator, user: DeviceUser, pacing: Pacing, options: { dpop?: boolean } = {}): Promise<Outcome> {
  const device = world.agent('the TV app');
  const dpopKey = options.dpop ? await newDpopKey() : undefined;
  const codes = await requestDeviceCodes(world, device);
  const poll = () => pollToken(world, device, codes.device_code, dpopKey);
  narrator.show(deviceStepOne(codes, dpopKey));
  await narrator.pause();
  // The browser plays the phone from now on, while the TV polls; if none opened, the terminal does.
  const browserPlays = user.kind === 'browser' && (await user.open(codes.verification_uri_complete ?? codes.verification_uri));
  if (browserPlays) narrator.note(`Confirm the code ${codes.user_code} in your browser, sign in and answer the consent page; the TV polls every ${codes.interval} seconds meanwhile.`);
  let interval = codes.interval;
  let waited = await waitInterval(world, interval, pacing, true);
  const firstPoll = await poll();
  narrator.show(deviceStepTwo(codes, firstPoll, waited, Boolean(dpopKey)));
  await narrator.pause();

  let allowed: boolean;
  let lastPoll: RecordedExchange;
  let decision: { allowed: boolean; exchange: RecordedExchange } | undefined;
  if (!browserPlays) {
    narrator.note(`On your phone, you would open ${codes.verification_uri} and type ${codes.user_code}. This is a local demo, so the terminal plays your phone and answers what its pages ask.`);
    // Each page is explained as it comes: step 3 before the password is asked, step 4 before Allow?.
    const phoneAgent = world.agent('your phone\'s browser');
    const codePages = await enterUserCode(phoneAgent, codes.verification_uri, codes.user_code);
    narrator.show(deviceStepThree(codes, codePages));
    await narrator.pause();
    const signIn = await signInWithTries(world, narrator, phoneAgent, codePages.at(-1)!, codePages.at(-1)!.request.url);
    if (!signIn.consentPage) return { ok: false, summary: 'Three wrong passwords: the sign-in on the phone stopped, and the TV is still waiting.' };
    narrator.show(deviceStepFour(codes, signIn.loginExchanges, undefined, DEVICE_SCOPES));
    allowed = user.deny ? false : await narrator.consent(`${TV_CLIENT.client_name}, code ${codes.user_code},`, DEVICE_SCOPES, deviceConsentCaution(codes));
    const consentForm = formOf(signIn.consentPage.response.body, signIn.consentPage.request.url)!;
    decision = { allowed, exchange: await phoneAgent.request('POST', consentForm.action, { form: { decision: allowed ? 'allow' : 'deny' } }) };
    waited = await waitInterval(world, interval, pacing);
    lastPoll = await poll();
  } else {
    // Poll until the answer is not "pending": slow_down adds 5 seconds for good (§3.5); expired_token ends it.
    lastPoll = firstPoll;
    for (let error = pollError(lastPoll); error === 'authorization_pending' || error === 'slow_down'; error = pollError(lastPoll)) {
      if (error === 'slow_down') interval += 5;
      waited = await waitInterval(world, interval, pacing);
      lastPoll = await poll();
      if (pollError(lastPoll) !== undefined) narrator.note(`Poll: ${pollError(lastPoll)}.`);
    }
    const error = pollError(lastPoll);
    if (error === 'expired_token') return { ok: false, summary: `The codes expired before the browser answered (${Math.round(codes.expires_in / 60)} minutes). Run it again, or use --no-browser.` };
    allowed = error === undefined;
    narrator.show(deviceStepThree(codes, []));
    narrator.show(deviceStepFour(codes, [], allowed, DEVICE_SCOPES));
  }
  narrator.show(deviceStepFive(lastPoll, waited, decision, dpopKey));
  await narrator.pause();
  const error = pollError(lastPoll);
  if (error !== undefined) {
    narrator.show(deviceStepSeven(false, Boolean(dpopKey)));
    const handled = error === 'access_denied' && !allowed;
    return { ok: handled, summary: handled ? 'Denied: the TV got access_denied at its next poll and stays signed out.' : `The TV got ${error}.` };
  }
  const tokens = jsonBodyOf<{ access_token: string; id_token: string }>(lastPoll);
  const sixth = await deviceStepSix(world, device, tokens, dpopKey);
  narrator.show(sixth);
  await narrator.pause();
  narrator.show(deviceStepSeven(true, Boolean(dpopKey)));
  const userinfo = sixth.exchanges[0]!.exchange;
  const profile = userinfo.response.status === 200 ? jsonBodyOf<{ name?: string; email?: string }>(userinfo) : {};
  const sameSub = sixth.checks![0]!.rows[0]!.ok;
  const ok = sixth.verification!.result.valid && userinfo.response.status === 200 && sameSub;
  const refused = sameSub ? 'The TV got tokens it could not use.' : 'The TV refused the sign-in: userinfo answered about another user than the ID token names (OIDC Core §5.3.2).';
  return { ok, summary: ok ? `The TV is signed in to Swaad as ${profile.name} (${profile.email}); your password never reached it.` : refused };
}
