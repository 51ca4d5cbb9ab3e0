// Attacks replayed against the demo, each stopped by a defence that a standard requires: a
// replayed code, a code redeemed without PKCE, the attacker's callback in the victim's browser
// (CSRF: state, and PKCE behind it), a response from another issuer (mix-up), an
// attacker-supplied redirect_uri; and (attacks-beyond.ts) refresh-token reuse, device phishing
// and a stolen DPoP-bound access token.

import { randomBytes } from 'node:crypto';
import { DEFAULT_USERS } from '../provider/directory.js';
import { newCodeVerifier, s256Challenge } from '../protocol/pkce.js';
import { authorizationUrl } from './client-protocol.js';
import type { Narrator, Outcome, Step } from './steps.js';
import { signInAtProvider, UserAgent, type RecordedExchange } from './user-agent.js';
import { DEMO_CLIENT, issuedTokens, lastEvent, type DemoWorld } from './world.js';
import type { Pacing } from './device-flow.js';
import { devicePhishing, refreshReuse, stolenDpopToken } from './attacks-beyond.js';

export const ATTACKS = {
  'stolen-code': 'a code replayed by someone who copied it from a log or browser history',
  'no-pkce': 'an intercepted code redeemed without the PKCE verifier',
  csrf: 'the attacker\'s own callback opened in the victim\'s browser: login CSRF, or code injection',
  'mix-up': 'a response that claims to come from another issuer',
  'attacker-redirect-uri': 'an authorization request with an attacker-supplied redirect_uri',
  'refresh-reuse': 'a stolen copy of a refresh token used after the app already rotated it',
  'device-phishing': 'a device flow started by an attacker, its user code sent to the victim',
  'stolen-dpop-token': 'a DPoP-bound access token copied from a log, used without the app\'s key',
} as const;

export type AttackName = keyof typeof ATTACKS;

/**
 * Old names that still work. `open-redirect` named the wrong attack: an open redirector (RFC 9700
 * §4.11) is a page that forwards to any address; this one is an attacker-supplied redirect_uri (§4.1).
 */
export const ATTACK_ALIASES: Record<string, AttackName> = { 'open-redirect': 'attacker-redirect-uri' };

/** The attack a name (or an old alias) stands for, or undefined. */
export function attackNamed(name: string): AttackName | undefined {
  if (Object.hasOwn(ATTACKS, name)) return name as AttackName;
  return Object.hasOwn(ATTACK_ALIASES, name) ? ATTACK_ALIASES[name] : undefined;
}

const ASHA = { email: DEFAULT_USERS[0]!.email, password: DEFAULT_USERS[0]!.password, allow: true };
const RAVI = { email: DEFAULT_USERS[1]!.email, password: DEFAULT_USERS[1]!.password, allow: true };
const basic = `Basic ${Buffer.from(`${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`).toString('base64')}`;

function attackStep(number: number, total: number, title: string, parts: Partial<Step>): Step {
  return { number, total, title, text: [], arrows: [], exchanges: [], ...parts };
}

/** Runs the victim's sign-in up to the redirect back, without letting the browser deliver it. */
async function codeForVictim(world: DemoWorld, agent: UserAgent, user = ASHA): Promise<{ callbackUrl: string; exchanges: RecordedExchange[] }> {
  const toApp = await agent.request('GET', `${world.app.url}/login`);
  const signedIn = await signInAtProvider(agent, toApp.response.headers.location!, user);
  return { callbackUrl: signedIn.callbackUrl!, exchanges: [toApp, ...signedIn.exchanges] };
}

function tokenRequest(world: DemoWorld, attacker: UserAgent, code: string, verifier: string | undefined, redirectUri: string): Promise<RecordedExchange> {
  const form: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
  if (verifier !== undefined) form.code_verifier = verifier;
  return attacker.request('POST', `${world.provider.issuer}/token`, { form, headers: { authorization: basic, accept: 'application/json' } });
}

/** A normal sign-in; the code is copied and replayed after the app used it. */
async function stolenCode(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const victim = world.agent('browser');
  const attacker = world.agent('attacker');
  const { callbackUrl } = await codeForVictim(world, victim);
  await victim.request('GET', callbackUrl);
  const code = new URL(callbackUrl).searchParams.get('code')!;
  const verifier = lastEvent(world, 'login-started')!.login.codeVerifier;
  narrator.show(attackStep(1, 3, 'Asha signs in; the app redeems its code', {
    text: ['A normal sign-in. The code in the redirect URL ends up in the browser history, and in a proxy log. The attacker copies it, and (worst case) even the PKCE verifier and the app\'s credentials.'],
    arrows: [{ from: 'app', to: 'provider', label: 'POST /token (first use) → 200' }],
    exchanges: [{ who: 'the app (back channel)', exchange: lastEvent(world, 'token-exchange')!.exchange }],
  }));
  await narrator.pause();
  const replay = await tokenRequest(world, attacker, code, verifier, world.app.redirectUri);
  narrator.show(attackStep(2, 3, 'The attacker replays the same code', {
    text: ['Codes are single use. The provider refuses the second use with invalid_grant, and because a replay means the code leaked, it also revokes every token issued from it (RFC 6749 §4.1.2).'],
    arrows: [{ from: 'attacker', to: 'provider', label: 'POST /token (same code) → 400 invalid_grant' }],
    exchanges: [{ who: 'the attacker', exchange: replay }],
  }));
  await narrator.pause();
  const accessToken = issuedTokens(world).access_token;
  const after = await world.agent('app').request('GET', `${world.provider.issuer}/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } });
  narrator.show(attackStep(3, 3, 'The tokens from that code are dead too', {
    text: ['Even the access token the app got from the first use is refused now: the replay gains the attacker nothing and costs the user one more sign-in.'],
    arrows: [{ from: 'app', to: 'provider', label: 'GET /userinfo → 401 revoked' }],
    exchanges: [{ who: 'the app (back channel)', exchange: after }],
  }));
  const stopped = replay.response.status === 400 && after.response.status === 401;
  return { ok: stopped, summary: stopped ? 'Stopped: single-use codes, and revocation of everything issued from a replayed code (RFC 6749 §4.1.2).' : 'NOT stopped: the replayed code was accepted.' };
}

/** A code intercepted on its way back, redeemed with the client's credentials but no verifier. */
async function noPkce(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const victim = world.agent('browser');
  const attacker = world.agent('attacker');
  const { callbackUrl } = await codeForVictim(world, victim);
  const code = new URL(callbackUrl).searchParams.get('code')!;
  narrator.show(attackStep(1, 3, 'The code is intercepted on its way back', {
    text: ['On a phone, a malicious app can register the same redirect scheme and receive the code meant for the real app. Suppose the attacker even knows the client credentials: a public client has none, and a confidential client\'s secret can leak.'],
    arrows: [{ from: 'provider', to: 'attacker', label: '303 …/callback?code=… (intercepted)' }],
  }));
  await narrator.pause();
  const theft = await tokenRequest(world, attacker, code, undefined, world.app.redirectUri);
  narrator.show(attackStep(2, 3, 'The attacker redeems it without the verifier', {
    text: [
      'The code was issued with a PKCE challenge, so it is bound to the one sign-in that made the code_verifier, and the token endpoint demands that verifier. It never left the real app\'s server. Without it: invalid_grant (RFC 7636 §4.6).',
      'PKCE is required for public clients and RECOMMENDED for confidential ones (RFC 9700 §2.1.1); Mock Google requires it of every client. For a confidential client like Swaad, the secret already keeps a thief who lacks it from redeeming a code; PKCE\'s main job there is to stop a code injected into the real app (RFC 9700 §4.5; see --attack csrf).',
    ],
    arrows: [{ from: 'attacker', to: 'provider', label: 'POST /token (no code_verifier) → 400' }],
    exchanges: [{ who: 'the attacker', exchange: theft }],
  }));
  await narrator.pause();
  const delivered = await victim.request('GET', callbackUrl);
  const signedIn = lastEvent(world, 'signed-in');
  narrator.show(attackStep(3, 3, 'The real app still signs Asha in', {
    text: [signedIn ? `The real app holds the verifier, so its own exchange works: signed in as ${signedIn.name}.` : 'The real app could not finish.'],
    arrows: [{ from: 'browser', to: 'app', label: 'GET /callback → app redeems with its verifier → 200' }],
    exchanges: [{ who: 'the browser', exchange: delivered }],
  }));
  const stopped = theft.response.status === 400;
  return { ok: stopped && Boolean(signedIn), summary: stopped ? 'Stopped: PKCE. The code is bound to the sign-in that made the code_verifier; without it, even the client\'s credentials cannot redeem the code (RFC 7636 §4.6, RFC 9700 §4.5).' : 'NOT stopped: the code was redeemed without PKCE.' };
}

/**
 * The attacker's own callback opened in the victim's browser. The app's state check refuses it
 * first; the demo then replays what an app without that check would send, to show PKCE stop it too.
 */
async function csrf(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const victim = world.agent('browser');
  const attacker = world.agent('attacker');
  const attackerCode = await codeForVictim(world, attacker, RAVI);
  narrator.show(attackStep(1, 4, 'The attacker gets a code for the attacker\'s own account', {
    text: ['Ravi (the attacker) starts a sign-in at Swaad with his own account and stops before his browser returns to the app. He now holds a valid callback URL with his code and his state.'],
    arrows: [{ from: 'attacker', to: 'provider', label: 'sign in as ravi → callback URL kept' }],
  }));
  await narrator.pause();
  await victim.request('GET', `${world.app.url}/login`);
  const ashasVerifier = lastEvent(world, 'login-started')!.login.codeVerifier;
  const forged = await victim.request('GET', attackerCode.callbackUrl);
  const refused = lastEvent(world, 'callback-not-ours');
  narrator.show(attackStep(2, 4, 'He makes Asha\'s browser open it', {
    text: ['Asha has started a sign-in at Swaad. A hidden image or link on a page she visits loads Ravi\'s callback URL in her browser. If the app accepted it, Asha would be signed in as Ravi, and whatever she saved (a card, an address) would land in his account: login CSRF, done by injecting his code into her sign-in (RFC 9700 §4.5, §4.7).'],
    arrows: [{ from: 'browser', to: 'app', label: 'GET /callback?code=ravi\'s&state=ravi\'s' }],
    exchanges: [{ who: 'Asha\'s browser', exchange: forged }],
  }));
  await narrator.pause();
  narrator.show(attackStep(3, 4, 'The app refuses it: state caught it first', {
    text: [refused ? `This answer does not belong to a sign-in started in this browser: ${refused.why}. The app checks state before it uses any code, so this is the check that stopped it here.` : 'The app did not refuse it.'],
    arrows: [{ from: 'app', to: 'browser', label: '400 sign-in refused' }],
  }));
  await narrator.pause();
  const ravisCode = new URL(attackerCode.callbackUrl).searchParams.get('code')!;
  const withoutState = await tokenRequest(world, world.agent('app (replayed without its state check)'), ravisCode, ashasVerifier, world.app.redirectUri);
  narrator.show(attackStep(4, 4, 'Without the state check, PKCE would have stopped it', {
    text: [
      'Swaad uses PKCE too. An app that skipped the state check would redeem Ravi\'s code with the verifier of Asha\'s sign-in, and the provider refuses it, because the code is bound to the sign-in that made Ravi\'s verifier. The demo sends that request now.',
      'That is why RFC 9700 lets a client that uses PKCE rely on it against CSRF (§2.1, §4.7.1): state is the defence for a client without PKCE, and is still useful to carry the app\'s own context. The nonce would catch it as well: Ravi\'s ID token carries his sign-in\'s nonce, not Asha\'s.',
    ],
    arrows: [{ from: 'app', to: 'provider', label: 'POST /token ravi\'s code + asha\'s verifier → 400' }],
    exchanges: [{ who: 'what an app without the state check would send (replayed by the demo)', exchange: withoutState }],
  }));
  const stateStopped = forged.response.status === 400 && !lastEvent(world, 'signed-in');
  const pkceStopped = withoutState.response.status === 400;
  if (!stateStopped) return { ok: false, summary: 'NOT stopped: the forged callback was accepted.' };
  return pkceStopped
    ? { ok: true, summary: 'Stopped: state caught it first; PKCE would have stopped it anyway (Ravi\'s code with Asha\'s verifier: invalid_grant). RFC 9700 §4.7.1, §4.5.' }
    : { ok: false, summary: 'Stopped by state only: Ravi\'s code was redeemed with Asha\'s verifier, so PKCE did not bind it.' };
}

/** A callback naming another issuer: the app checks iss before it uses the code. */
async function mixUp(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const victim = world.agent('browser');
  const { callbackUrl } = await codeForVictim(world, victim);
  const tampered = new URL(callbackUrl);
  tampered.searchParams.set('iss', 'https://evil-idp.example');
  narrator.show(attackStep(1, 2, 'A response that names another provider', {
    text: ['An app that supports several providers can be tricked into sending a code from one provider to another one controlled by the attacker. The defence: every response names its issuer (iss), and the app checks it against the provider it started with.'],
    arrows: [{ from: 'browser', to: 'app', label: 'GET /callback?code&state&iss=https://evil-idp.example' }],
  }));
  await narrator.pause();
  const response = await victim.request('GET', tampered.href);
  const rejected = lastEvent(world, 'callback-rejected');
  narrator.show(attackStep(2, 2, 'The app refuses it before using the code', {
    text: [rejected ? `${rejected.reason} ${rejected.defence} (${rejected.reference}).` : 'The app did not refuse it.'],
    arrows: [{ from: 'app', to: 'browser', label: '400 sign-in refused' }],
    exchanges: [{ who: 'the browser', exchange: response }],
  }));
  const stopped = response.response.status === 400 && !lastEvent(world, 'signed-in');
  return { ok: stopped, summary: stopped ? 'Stopped: the iss response parameter (RFC 9207), checked by the app.' : 'NOT stopped.' };
}

/** A real authorization link for the app, with the attacker's address as redirect_uri. */
async function attackerRedirectUri(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const victim = world.agent('browser');
  const url = authorizationUrl(`${world.provider.issuer}/authorize`, { clientId: DEMO_CLIENT.id, redirectUri: 'https://evil.example/steal', scope: 'openid email', state: randomBytes(16).toString('base64url'), codeChallenge: s256Challenge(newCodeVerifier()) });
  narrator.show(attackStep(1, 2, 'A link that would send the code to the attacker', {
    text: ['The attacker mails Asha a real-looking "Login with Google" link for Swaad, but with redirect_uri=https://evil.example/steal: an attacker-supplied redirect_uri (RFC 9700 §4.1). If the provider followed it, the code (or an error page full of details) would go to the attacker.'],
    arrows: [{ from: 'browser', to: 'provider', label: 'GET /authorize?redirect_uri=https://evil.example/steal' }],
  }));
  await narrator.pause();
  const response = await victim.request('GET', url);
  narrator.show(attackStep(2, 2, 'The provider shows an error page and redirects nowhere', {
    text: [
      'redirect_uri is compared exactly with the addresses registered for demo-app (RFC 9700 §2.1). It does not match, so the provider cannot trust any redirect, not even one carrying an error: it shows an error page itself (RFC 6749 §4.1.2.1).',
      'Only a native app\'s loopback address (http://127.0.0.1 or [::1]) may vary its port (RFC 8252 §7.3); localhost is NOT RECOMMENDED for it (§8.3). Mock Google lets every loopback redirect_uri vary its port, localhost included, so that its demo apps run on any free port; a web app in production registers its exact https address, port included.',
      'A different attack is an open redirector (RFC 9700 §4.11): a page that forwards the browser to any address it is given. At the app, it can carry a code away through a registered redirect_uri (§4.11.1), and exact matching does not stop that: the app must not have one. A provider that redirected to an unregistered address would be one itself (§4.11.2), which is why Mock Google shows an error page here.',
    ],
    arrows: [{ from: 'provider', to: 'browser', label: '400 error page, no Location' }],
    exchanges: [{ who: 'the browser', exchange: response }],
  }));
  const stopped = response.response.status === 400 && response.response.headers.location === undefined;
  return { ok: stopped, summary: stopped ? 'Stopped: exact redirect_uri matching, and an error page instead of a redirect (RFC 9700 §2.1, §4.1).' : 'NOT stopped: the provider redirected.' };
}

const RUNNERS: Record<AttackName, (world: DemoWorld, narrator: Narrator, pacing: Pacing) => Promise<Outcome>> = {
  'stolen-code': stolenCode,
  'no-pkce': noPkce,
  csrf,
  'mix-up': mixUp,
  'attacker-redirect-uri': attackerRedirectUri,
  'refresh-reuse': refreshReuse,
  'device-phishing': devicePhishing,
  'stolen-dpop-token': stolenDpopToken,
};

/** Runs one attack's scene; `pacing` says whether a device's polling interval is really waited. */
export function runAttack(name: AttackName, world: DemoWorld, narrator: Narrator, pacing: Pacing = { waitForReal: false }): Promise<Outcome> {
  return RUNNERS[name](world, narrator, pacing);
}
