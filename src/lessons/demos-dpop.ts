// The demos of lesson 14 (sender-constrained tokens: DPoP step by step), listed in demo-names-dpop.ts.
// Each runs the project's real code in-process and returns data; src/cli lays it out.

import { generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { decodeToken } from '../jwt/decode.js';
import { blank, paragraph, recorded, showing, withDemoWorld, type Demo, type DemoPart } from './demo-parts.js';
import type { DPOP_DEMOS } from './demo-names-dpop.js';
import type { RecordedExchange, UserAgent } from '../oauth/user-agent.js';
import type { DemoWorld } from '../oauth/world.js';

type DpopModule = typeof import('../protocol/dpop.js');
type TokenFlows = typeof import('../oauth/token-flows.js');

/** A client's DPoP key: the private half signs proofs, the public JWK goes in each proof's header. */
interface ClientKey {
  privateKey: KeyObject;
  publicJwk: JsonWebKey;
  /** The public key's RFC 7638 thumbprint: what a token bound to it carries as cnf.jkt. */
  jkt: string;
}

/** A fresh P-256 key pair and its thumbprint. */
async function newClientKey(dpop: DpopModule): Promise<ClientKey> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const publicJwk = publicKey.export({ format: 'jwk' });
  return { privateKey, publicJwk, jkt: await dpop.jwkThumbprint(publicJwk) };
}

/** A proof by `key` for one request (with `ath` when it goes with an access token). */
function proofFor(dpop: DpopModule, key: ClientKey, htm: 'GET' | 'POST', htu: string, accessToken?: string): Promise<string> {
  return dpop.createDpopProof({ privateKey: key.privateKey, publicJwk: key.publicJwk, alg: 'ES256', htm, htu, ...(accessToken !== undefined && { accessToken }) });
}

/** A GET of userinfo with the token under `scheme` (Bearer or DPoP), and a DPoP header when a proof is given. */
function userinfo(world: DemoWorld, agent: UserAgent, scheme: 'Bearer' | 'DPoP', accessToken: string, proof?: string): Promise<RecordedExchange> {
  return agent.request('GET', `${world.provider.issuer}/userinfo`, { headers: { authorization: `${scheme} ${accessToken}`, ...(proof !== undefined && { dpop: proof }), accept: 'application/json' } });
}

/** Asha's sign-in, without showing the steps (a Bearer access token and a refresh token), then a refresh with a DPoP proof by `key`. */
async function signInThenBind(world: DemoWorld, app: UserAgent, flows: TokenFlows, dpop: DpopModule, key: ClientKey) {
  const signIn = await flows.signInWithRefreshToken(world, app);
  const first = signIn.response.status === 200 ? flows.tokenAnswer(signIn) : undefined;
  const tokenUrl = `${world.provider.issuer}/token`;
  const proof = await proofFor(dpop, key, 'POST', tokenUrl);
  // The client's own authentication, as at every token request of a confidential client (RFC 6749 §6).
  const { DEMO_CLIENT } = await import('../oauth/world.js');
  const basic = `Basic ${Buffer.from(`${DEMO_CLIENT.id}:${DEMO_CLIENT.secret}`).toString('base64')}`;
  const bound = first?.refresh_token === undefined ? undefined : await app.request('POST', tokenUrl, {
    form: { grant_type: 'refresh_token', refresh_token: first.refresh_token },
    headers: { authorization: basic, dpop: proof, accept: 'application/json' },
  });
  const tokens = bound?.response.status === 200 ? flows.tokenAnswer(bound) : undefined;
  return { signIn, first, proof, bound, tokens };
}

/** The cnf.jkt in a JWT access token's payload, or undefined. */
function boundTo(accessToken: string, now: number): string | undefined {
  const cnf = (decodeToken(accessToken, now).payload as { cnf?: { jkt?: unknown } }).cnf;
  return typeof cnf?.jkt === 'string' ? cnf.jkt : undefined;
}

/** The WWW-Authenticate header of an answer, as a remark (or that there was none). */
const challenge = (exchange: RecordedExchange): DemoPart => ({ kind: 'remark', lead: '', text: `WWW-Authenticate: ${exchange.response.headers['www-authenticate'] ?? '(none)'}` });

/** The members of a proof's header and payload, each with what it is for. */
function proofRows(proof: string, now: number): string[][] {
  const { header, payload } = decodeToken(proof, now) as { header?: Record<string, unknown>; payload: Record<string, unknown> };
  const jwk = (header?.jwk ?? {}) as Record<string, unknown>;
  return [
    ['typ', `${JSON.stringify(header?.typ)}: a DPoP proof, nothing else`],
    ['alg', `${JSON.stringify(header?.alg)}: signed with the private key`],
    ['jwk', `${String(jwk.kty)} ${String(jwk.crv)} public key (x, y; no private "d")`],
    ['htm', `${JSON.stringify(payload.htm)}: the request's method`],
    ['htu', `${JSON.stringify(payload.htu)}: its URI`],
    ['iat', `${String(payload.iat)}: made now`],
    ['jti', `${JSON.stringify(payload.jti)}: new for each proof`],
  ];
}

/** Every demo demo-names-dpop.ts lists, and no other. */
export const DPOP_DEMOS_RUN: { [Name in keyof typeof DPOP_DEMOS]: Demo } = {
  'dpop-token-request': async (context) => withDemoWorld(async (world, flows) => {
    const dpop = await import('../protocol/dpop.js');
    const app = world.agent('app');
    const key = await newClientKey(dpop);
    const { signIn, proof, bound, tokens } = await signInThenBind(world, app, flows, dpop, key);
    if (bound === undefined || tokens === undefined) return showing([recorded('', bound ?? signIn)], 'Mock Google gave no DPoP-bound token, so there is nothing to show.');
    const jkt = boundTo(tokens.access_token, context.now());
    const proofAtUserinfo = await proofFor(dpop, key, 'GET', `${world.provider.issuer}/userinfo`, tokens.access_token);
    const used = await userinfo(world, app, 'DPoP', tokens.access_token, proofAtUserinfo);
    const ath = dpop.accessTokenHash(tokens.access_token);
    const sameKey = jkt === key.jkt;
    return {
      parts: [
        recorded('the code from Asha\'s sign-in, without showing the steps; no proof yet', signIn),
        { kind: 'remark', lead: '', text: 'token_type Bearer: this access token works for whoever holds it.' },
        blank,
        paragraph(`Swaad's server makes a key pair (P-256) and keeps the private key. Its public key's thumbprint (RFC 7638): ${key.jkt}`),
        paragraph('For its next token request, a refresh, it signs a proof:'),
        { kind: 'table', rows: proofRows(proof, context.now()) },
        blank,
        recorded('grant_type=refresh_token; header DPoP: the proof above', bound),
        blank,
        paragraph('The access token\'s cnf.jkt, beside the thumbprint of the app\'s key:'),
        // Short labels: a thumbprint (43 characters) stays on one line at 60 columns.
        { kind: 'table', rows: [
          ['token_type', `${tokens.token_type}: send it with a proof`],
          ['cnf.jkt', jkt ?? '(none)'],
          ['app\'s key', key.jkt],
          ['the same?', sameKey ? 'yes: the token is bound to this key' : 'NO: the token is not bound to this key'],
        ] },
        blank,
        recorded('Authorization: DPoP <token>; DPoP: a new proof, GET /userinfo, with ath', used),
        { kind: 'remark', lead: '', text: `ath ${ath}: the SHA-256 of the access token, so this proof goes with this token only.` },
        blank,
        paragraph('The proof sent to /token is kept as $PROOF: the next step decodes it.'),
      ],
      saved: { proof },
      ok: tokens.token_type === 'DPoP' && sameKey && used.response.status === 200,
    };
  }),

  'stolen-dpop-token': async (context) => withDemoWorld(async (world, flows) => {
    const dpop = await import('../protocol/dpop.js');
    const app = world.agent('app');
    const thief = world.agent('thief');
    const appKey = await newClientKey(dpop);
    const { signIn, first, bound, tokens } = await signInThenBind(world, app, flows, dpop, appKey);
    if (first === undefined || bound === undefined || tokens === undefined) return showing([recorded('', bound ?? signIn)], 'Mock Google gave no DPoP-bound token, so there is nothing to steal.');
    const userinfoUrl = `${world.provider.issuer}/userinfo`;
    const appProof = await proofFor(dpop, appKey, 'GET', userinfoUrl, tokens.access_token);
    const appCall = await userinfo(world, app, 'DPoP', tokens.access_token, appProof);
    const bearerStolen = await userinfo(world, thief, 'Bearer', first.access_token);
    const asBearer = await userinfo(world, thief, 'Bearer', tokens.access_token);
    const thiefKey = await newClientKey(dpop);
    const ownKey = await userinfo(world, thief, 'DPoP', tokens.access_token, await proofFor(dpop, thiefKey, 'GET', userinfoUrl, tokens.access_token));
    const replayed = await userinfo(world, thief, 'DPoP', tokens.access_token, appProof);
    const jkt = boundTo(tokens.access_token, context.now());
    return {
      parts: [
        paragraph(`Asha signed in; Swaad holds a bearer token (from the sign-in) and a DPoP-bound one (from a refresh with a proof, cnf.jkt ${jkt ?? '(none)'}). The app uses the DPoP one:`),
        recorded('the app: Authorization: DPoP <token>; its proof', appCall),
        blank,
        paragraph('A log line leaks both tokens, and the app\'s proof with them. The thief tries each:'),
        blank,
        recorded('the thief: the bearer token, as Bearer', bearerStolen),
        { kind: 'remark', lead: '', text: 'A bearer token works for whoever holds it (RFC 6750 §1.2).' },
        blank,
        recorded('the thief: the DPoP token, as Bearer', asBearer),
        challenge(asBearer),
        { kind: 'remark', lead: '', text: 'Mock Google supports DPoP, so it refuses a DPoP-bound token sent as Bearer (RFC 9449 §7.2). An API that knows only Bearer would likely take it.' },
        blank,
        recorded('the thief: the DPoP token; a proof by his own key', ownKey),
        challenge(ownKey),
        { kind: 'remark', lead: '', text: `His key's thumbprint is ${thiefKey.jkt}, not the token's cnf.jkt.` },
        blank,
        recorded('the thief: the DPoP token; the app\'s proof, copied', replayed),
        challenge(replayed),
        { kind: 'remark', lead: '', text: 'Mock Google remembers the jti values it has seen and refuses a repeat (§11.1). The app makes a fresh proof for each request (§4.2).' },
        blank,
        { kind: 'table', headings: ['what the thief sent', 'answer'], rows: [
          ['the bearer token', String(bearerStolen.response.status)],
          ['the DPoP token, as Bearer', String(asBearer.response.status)],
          ['the DPoP token, his own key', String(ownKey.response.status)],
          ['the DPoP token, a copied proof', String(replayed.response.status)],
        ] },
        blank,
        paragraph('Without the app\'s private key the DPoP token is useless to him. The key never left Swaad\'s server; the proofs it signs each go with one request.'),
      ],
      saved: {},
      ok: appCall.response.status === 200 && bearerStolen.response.status === 200 && [asBearer, ownKey, replayed].every((exchange) => exchange.response.status === 401),
    };
  }),
};
