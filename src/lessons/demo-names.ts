// The named demos a lesson's run screen may give for a step that is not a CLI command (practice-API
// requests, the OAuth flow, discovery…): each with the args it takes, what it does, and the saved
// tokens it makes and reads. Light on purpose: the lesson loader imports it; demos.ts runs them.

import { none, saveArg, signIn, SIGN_IN_NAMES, type DemoSpec } from './demo-spec.js';
import { BROWSER_APP_DEMOS } from './demo-names-browser-apps.js';
import { DPOP_DEMOS } from './demo-names-dpop.js';
import { ENDING_DEMOS } from './demo-names-ending.js';

export { SIGN_IN_NAMES };
export type { DemoArg, DemoSpec } from './demo-spec.js';

export const DEMOS = {
  'practice-requests': {
    description: 'Starts the practice API and calls /profile without a token and with Asha\'s, then /admin with hers: 401, 200, 403.',
    args: {},
    makes: none,
    reads: none,
  },
  'practice-login': {
    description: 'Logs in to the practice API as Asha (POST /login), calls /profile with the JWT it answered and without it, and saves the JWT.',
    args: { save: saveArg('the JWT', 'loginToken') },
    makes: (args) => [args.save ?? 'loginToken'],
    reads: none,
  },
  'practice-logout': {
    description: 'Logs in to the practice API, logs out (the jti goes on a deny list), and shows the same token refused.',
    args: {},
    makes: none,
    reads: none,
  },
  tamper: {
    description: 'Changes one claim in the payload of a saved token and keeps its old signature; saves the changed token.',
    args: {
      token: { type: 'string', required: true, description: 'The saved token to change, such as "token".' },
      claim: { type: 'string', required: true, description: 'The payload claim to change, such as "sub".' },
      value: { type: 'string', required: true, description: 'Its new value, such as "admin".' },
      save: { type: 'string', required: true, description: 'The name to keep the changed token under, such as "tampered": {{tampered}} in a later command.' },
    },
    makes: (args) => [args.save!],
    reads: (args) => [args.token!],
  },
  'oauth-flow': {
    description: 'Runs the whole "Login with Google" flow against Mock Google, a step per pause, and keeps its tokens as accessToken and idToken.',
    args: {},
    makes: signIn,
    reads: none,
  },
  'compare-tokens': {
    description: 'Compares the ID token and the access token of a sign-in (signing Asha in quietly when there are none yet): typ, aud, scope, nonce, email.',
    args: {},
    makes: signIn,
    reads: none,
    readsIfSaved: SIGN_IN_NAMES,
  },
  discovery: {
    description: 'Starts Mock Google and shows the main fields of its discovery document (/.well-known/openid-configuration).',
    args: {},
    makes: none,
    reads: none,
  },
  'userinfo-with-both-tokens': {
    description: 'Signs Asha in at a fresh Mock Google and calls its userinfo API with the ID token, then with the access token: 401, then 200.',
    args: {},
    makes: none,
    reads: none,
  },
  'storage-page': {
    description: 'Serves a small page that keeps a token in localStorage and sets an HttpOnly cookie, and shows what its script can read.',
    args: {},
    makes: none,
    reads: none,
  },
  'client-credentials': {
    description: 'Starts Mock Google; a backend service gets a token for itself (client_credentials, HTTP Basic), the answer has no refresh or ID token, userinfo refuses it (no user); saves the access token.',
    args: { save: saveArg('the service\'s access token', 'serviceToken') },
    makes: (args) => [args.save ?? 'serviceToken'],
    reads: none,
  },
  'device-flow': {
    description: 'The device authorization grant at Mock Google: a TV app gets a device code and a user code, its polls get authorization_pending and slow_down, a phone types the code and consents, then a poll gets tokens (sub Asha, client_id swaad-tv); saves the access token.',
    args: { save: saveArg('the TV app\'s access token', 'tvToken') },
    makes: (args) => [args.save ?? 'tvToken'],
    reads: none,
  },
  'refresh-rotation': {
    description: 'Signs Asha in with offline_access, refreshes once (a new refresh token), sends the old refresh token again (invalid_grant), then the new one (invalid_grant: the whole family was revoked).',
    args: {},
    makes: none,
    reads: none,
  },
  // Lessons 13 (browser apps), 14 (DPoP) and 15 (ending things) keep their lists in files of their own.
  ...BROWSER_APP_DEMOS,
  ...DPOP_DEMOS,
  ...ENDING_DEMOS,
} as const satisfies Record<string, DemoSpec>;

export type DemoName = keyof typeof DEMOS;

/** The demos' names, in the order above. */
export const DEMO_NAMES = Object.keys(DEMOS) as DemoName[];

/** Whether `name` is a demo (own keys only). */
export const isDemoName = (name: unknown): name is DemoName => typeof name === 'string' && Object.hasOwn(DEMOS, name);

/** The spec of a demo, typed as the common shape. */
export const demoSpec = (name: DemoName): DemoSpec => DEMOS[name];
