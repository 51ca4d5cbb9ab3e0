// Attacks on the flows beyond the article, each a scene stopped on screen: a stolen refresh token
// used after rotation (the whole family revoked, RFC 9700 §4.14.2) and a device flow's user code
// sent to a victim (stopped only by the victim reading the consent page, RFC 8628 §5.4); and a
// copied DPoP-bound access token, useless without the app's key (RFC 9449 §6, §7.1).

import { DEFAULT_USERS } from '../provider/directory.js';
import { pollError, pollToken, requestDeviceCodes, waitInterval, type Pacing } from './device-flow.js';
import { bindingFacts, boundThumbprint, dpopProof, newDpopKey } from './dpop-client.js';
import { shorten } from './flow.js';
import { stepsOf, type Narrator, type Outcome } from './steps.js';
import { callUserinfo, refreshFacts, signInWithRefreshToken, tokenAnswer, tokenEndpoint } from './token-flows.js';
import { approveDeviceAtProvider, decodeEntities, signInAtProvider } from './user-agent.js';
import { DEMO_CLIENT, lastEvent, TV_CLIENT, type DemoWorld } from './world.js';

const APP = 'the app, server to server (back channel)';

/** The app refreshes (rotation); the attacker's copy of the old refresh token comes back; the whole sign-in is revoked. */
export async function refreshReuse(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const step = stepsOf(4, ['app', 'provider', 'attacker']);
  const app = world.agent('app');
  const attacker = world.agent('attacker');
  const signIn = await signInWithRefreshToken(world, app);
  const first = tokenAnswer(signIn);
  narrator.show(step(1, 'Asha signs in; the attacker copies the refresh token', {
    text: ['Asha signs in to Swaad with offline_access (the code flow, run quietly), and the app gets a refresh token. The attacker copies it: from a log line, a backup of the app\'s database, or a phone\'s storage. A refresh token works for a day here, much longer than an access token, so it is worth stealing.'],
    facts: refreshFacts(first),
    arrows: [
      { from: 'app', to: 'provider', label: 'POST /token code → 200 {refresh_token}' },
      { from: 'app', to: 'attacker', label: 'refresh_token copied (leak)' },
    ],
    exchanges: [{ who: APP, exchange: signIn }],
  }));
  await narrator.pause();
  const refresh = await tokenEndpoint(world, app, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
  const second = tokenAnswer(refresh);
  narrator.show(step(2, 'The app refreshes: the refresh token rotates', {
    text: ['Fifteen minutes later the app refreshes, as it should. Mock Google answers with a new access token and a new refresh token, and retires the one the app sent: the one the attacker holds.'],
    arrows: [{ from: 'app', to: 'provider', label: 'POST /token refresh → 200 new pair' }],
    exchanges: [{ who: APP, exchange: refresh }],
  }));
  await narrator.pause();
  const reuse = await tokenEndpoint(world, attacker, { grant_type: 'refresh_token', refresh_token: first.refresh_token! });
  narrator.show(step(3, 'The attacker uses the stolen copy', {
    text: [
      'The attacker sends the old refresh token, with the client\'s credentials (a stolen secret, or none at all for a public client). Mock Google knows that token: it was already used. An old refresh token coming back means two parties hold it, and the provider cannot tell which one is the thief. So it answers invalid_grant and revokes the whole family: every refresh token and access token of this sign-in (RFC 9700 §4.14.2).',
    ],
    arrows: [{ from: 'attacker', to: 'provider', label: 'POST /token old copy → 400 invalid_grant' }],
    exchanges: [{ who: 'the attacker', exchange: reuse }],
  }));
  await narrator.pause();
  const appRefresh = await tokenEndpoint(world, app, { grant_type: 'refresh_token', refresh_token: second.refresh_token! });
  const appApi = await callUserinfo(world, app, second.access_token);
  narrator.show(step(4, 'The app\'s own tokens stop working too', {
    text: [
      `The app's current refresh token (${shorten(second.refresh_token!, 6)}) is refused now, and so is its access token at userinfo: Mock Google checks revocation there. An API that only verifies the JWT would still take that access token until it expires, at most ${first.expires_in / 60} minutes.`,
      'Asha signs in again; the attacker holds nothing that works. Had the attacker refreshed first, he would have got the new pair, and the app\'s next refresh, with the old token, would have been the reuse that ends it: either way the theft is cut short at the next refresh.',
    ],
    arrows: [
      { from: 'app', to: 'provider', label: 'POST /token current refresh_token → 400' },
      { from: 'app', to: 'provider', label: 'GET /userinfo current access token → 401' },
    ],
    exchanges: [{ who: APP, exchange: appRefresh }, { who: APP, exchange: appApi }],
  }));
  const stopped = refresh.response.status === 200 && reuse.response.status === 400 && appRefresh.response.status === 400 && appApi.response.status === 401;
  return { ok: stopped, summary: stopped ? 'Stopped: refresh token rotation with reuse detection. The reused token revoked the whole family, the app\'s current tokens included (RFC 9700 §4.14.2).' : 'NOT stopped: the reused refresh token was accepted, or the family lived on.' };
}

/** The words of an HTML element's content, tags dropped and entities decoded. */
function pageWords(html: string, pattern: RegExp): string {
  return decodeEntities((pattern.exec(html)?.[1] ?? '').replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
}

/** An attacker starts a device flow and sends Asha the code; the consent page warns, Asha denies. */
export async function devicePhishing(world: DemoWorld, narrator: Narrator, pacing: Pacing): Promise<Outcome> {
  // The phone is Asha's here, not the reader's: the lane says so, as the text and exchanges do.
  const step = stepsOf(4, ['attacker', 'phone', 'provider'], { phone: 'Asha\'s phone' });
  const attacker = world.agent('the attacker (as the TV app)');
  const codes = await requestDeviceCodes(world, attacker);
  narrator.show(step(1, 'The attacker starts a device flow', {
    text: [`Anyone can start a device flow: the TV app is a public client, and its client_id (${TV_CLIENT.client_id}) is no secret. The attacker asks for codes as if he were a TV, and gets the user code ${codes.user_code}.`],
    arrows: [{ from: 'attacker', to: 'provider', label: 'POST /device_authorization → user_code' }],
    exchanges: [{ who: 'the attacker', exchange: codes.exchange }],
  }));
  await narrator.pause();
  const asha = DEFAULT_USERS[0]!;
  const exchanges = await approveDeviceAtProvider(world.agent('Asha\'s phone'), codes.verification_uri, codes.user_code, { email: asha.email, password: asha.password, allow: false });
  const consent = exchanges.find((exchange) => /\/login$/.test(new URL(exchange.request.url).pathname));
  const html = consent?.response.body ?? '';
  const heading = pageWords(html, /<h1>([\s\S]*?)<\/h1>/);
  const warning = pageWords(html, /<div class="warning"[^>]*>([\s\S]*?)<\/div>/);
  narrator.show(step(2, 'He sends Asha the code; she signs in', {
    text: [
      `A message reaches Asha: "Swaad: your free biryani is waiting! Go to ${codes.verification_uri} and enter ${codes.user_code}." The address is Mock Google's real one, so nothing looks wrong. She types the code and signs in. This is remote phishing with a user code (RFC 8628 §5.4).`,
      'Mock Google\'s consent page says:',
      `  • "${heading}"`,
      `  • "${warning}"`,
    ],
    arrows: [
      { from: 'attacker', to: 'phone', label: 'message: go to /device, enter the code' },
      { from: 'phone', to: 'provider', label: 'code, email + password → consent page' },
    ],
    exchanges: exchanges.slice(0, -1).map((exchange) => ({ who: 'Asha\'s phone', exchange })),
  }));
  await narrator.pause();
  narrator.show(step(3, 'Asha reads the page and denies', {
    text: ['No device in front of her shows that code, and she started nothing: she chooses Deny. The page names the client and the scopes, and warns about a code someone sent; it cannot know who holds the device.'],
    arrows: [{ from: 'phone', to: 'provider', label: 'POST decision=deny' }],
    exchanges: exchanges.slice(-1).map((exchange) => ({ who: 'Asha\'s phone', exchange })),
  }));
  await narrator.pause();
  const waited = await waitInterval(world, codes.interval, pacing, true);
  const poll = await pollToken(world, attacker, codes.device_code);
  const error = pollError(poll);
  narrator.show(step(4, `The attacker's poll: ${error ?? 'tokens'}`, {
    text: [
      `${waited} The attacker's next poll gets ${error ?? 'the tokens'}.`,
      'Be clear about what stopped it: Asha, reading the page. Nothing in the protocol can tell her own TV from the attacker\'s laptop; had she chosen Allow, the attacker would now hold her tokens (RFC 8628 §5.4). What helps is the page\'s words (the client, the code, the warning) and short-lived codes (10 minutes here).',
    ],
    arrows: [{ from: 'attacker', to: 'provider', label: `POST /token device_code → ${poll.response.status} ${error ?? ''}`.trimEnd() }],
    exchanges: [{ who: 'the attacker', exchange: poll }],
  }));
  const stopped = error === 'access_denied' && warning !== '';
  return { ok: stopped, summary: stopped ? 'Stopped by Asha: the consent page named the device\'s client and warned about a code someone sent; she denied, and the attacker got access_denied (RFC 8628 §5.4).' : 'NOT stopped: the attacker\'s device got tokens, or the page gave no warning.' };
}

/** Asha signs in; the app redeems the code with a DPoP proof; the attacker's copy of the access token is refused, as Bearer and with his own key. */
export async function stolenDpopToken(world: DemoWorld, narrator: Narrator): Promise<Outcome> {
  const step = stepsOf(4, ['app', 'provider', 'attacker']);
  const app = world.agent('app');
  const attacker = world.agent('attacker');
  const appKey = await newDpopKey();
  // The code flow of --flow code, its browser not shown; the app's back channel then sends a proof with the code.
  const browser = world.agent('the browser (quiet sign-in)');
  const login = await browser.request('GET', `${world.app.url}/login`);
  const asha = DEFAULT_USERS[0]!;
  const signedIn = await signInAtProvider(browser, login.response.headers.location!, { email: asha.email, password: asha.password, allow: true });
  const code = signedIn.callbackUrl ? new URL(signedIn.callbackUrl).searchParams.get('code') : null;
  if (!code) throw new Error(`The quiet sign-in did not come back with a code (${signedIn.errorPage?.status ?? 'no answer'}).`);
  const tokenUrl = `${world.provider.issuer}/token`;
  const tokenProof = await dpopProof(appKey, 'POST', tokenUrl);
  const basic = `Basic ${Buffer.from(`${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`).toString('base64')}`;
  const redeem = await app.request('POST', tokenUrl, {
    form: { grant_type: 'authorization_code', code, redirect_uri: world.app.redirectUri, code_verifier: lastEvent(world, 'login-started')!.login.codeVerifier },
    headers: { authorization: basic, dpop: tokenProof, accept: 'application/json' },
  });
  const tokens = tokenAnswer(redeem);
  const jkt = boundThumbprint(tokens.access_token);
  narrator.show(step(1, 'Asha signs in; the app redeems the code with a DPoP proof', {
    text: [
      'Asha signs in to Swaad (the code flow, its browser run quietly). Swaad\'s server holds a key pair of its own, and sends the code to /token with a DPoP header: a proof, a small JWT signed with its private key, the public key in its header (RFC 9449 §4, §5).',
      'Mock Google binds the access token to that key: it puts the key\'s thumbprint in the token as cnf.jkt and answers token_type DPoP (§5, §6.1).',
    ],
    facts: bindingFacts(tokens.token_type, tokens.access_token, appKey, 'app'),
    arrows: [{ from: 'app', to: 'provider', label: `POST /token code + DPoP proof → ${redeem.response.status} token_type ${String(tokens.token_type)}` }],
    exchanges: [{ who: APP, exchange: redeem }],
  }));
  await narrator.pause();
  const appCall = await callUserinfo(world, app, tokens.access_token, appKey);
  narrator.show(step(2, 'The app calls userinfo with the token and a proof', {
    text: ['For every call the app makes a new proof for that request (htm GET, htu /userinfo), with ath, the hash of the access token, and signs it with its key. Mock Google checks the proof and that its key is the one in cnf.jkt (§4.3, §7.1).'],
    arrows: [{ from: 'app', to: 'provider', label: `GET /userinfo DPoP token + proof → ${appCall.response.status}` }],
    exchanges: [{ who: APP, exchange: appCall }],
  }));
  await narrator.pause();
  const asBearer = await attacker.request('GET', `${world.provider.issuer}/userinfo`, { headers: { authorization: `Bearer ${tokens.access_token}`, accept: 'application/json' } });
  narrator.show(step(3, 'The attacker copies the token and sends it as Bearer', {
    text: [
      'The access token shows up in a log line, and the attacker copies it. Were it a bearer token, that would be enough: whoever holds a bearer token can use it, no questions asked (RFC 6750 §1.2).',
      'This one is bound. Sent as Bearer, Mock Google refuses it and says how it must be sent:',
      `  WWW-Authenticate: ${asBearer.response.headers['www-authenticate'] ?? '(none)'}`,
    ],
    arrows: [
      { from: 'app', to: 'attacker', label: 'access token copied (leak)' },
      { from: 'attacker', to: 'provider', label: `GET /userinfo Bearer token → ${asBearer.response.status}` },
    ],
    exchanges: [{ who: 'the attacker', exchange: asBearer }],
  }));
  await narrator.pause();
  const attackerKey = await newDpopKey();
  const ownProof = await callUserinfo(world, attacker, tokens.access_token, attackerKey);
  const ownKeyRefused = ownProof.response.status === 401 && /Invalid DPoP key binding/.test(ownProof.response.headers['www-authenticate'] ?? '');
  narrator.show(step(4, 'The attacker signs a proof with a key of his own', {
    text: [
      'The attacker makes a key pair and a proof that is right in every other way: htm, htu, a fresh jti, and ath, the hash of the stolen token. But the proof\'s key has another thumbprint than the token\'s cnf.jkt, and the app\'s private key never left its server. Mock Google answers invalid_token, "Invalid DPoP key binding" (§7.1):',
      `  WWW-Authenticate: ${ownProof.response.headers['www-authenticate'] ?? '(none)'}`,
      'DPoP does not stop a thief who also takes the private key, or who can make the app sign proofs for him: keep the key out of logs and backups, as the token should be (§11).',
    ],
    facts: [{ name: 'attacker key', value: attackerKey.jkt, meaning: 'the thumbprint of the attacker\'s key: not the cnf.jkt' }],
    arrows: [{ from: 'attacker', to: 'provider', label: `GET /userinfo DPoP token + own proof → ${ownProof.response.status}` }],
    exchanges: [{ who: 'the attacker', exchange: ownProof }],
  }));
  const stopped = tokens.token_type === 'DPoP' && jkt === appKey.jkt && appCall.response.status === 200 && asBearer.response.status === 401 && ownKeyRefused;
  return { ok: stopped, summary: stopped ? 'Stopped: the token is bound to the app\'s key (cnf.jkt, RFC 9449 §6, §7.1); a copy is useless without it.' : 'NOT stopped: the token was not bound, or a copy of it was accepted without the app\'s key.' };
}
