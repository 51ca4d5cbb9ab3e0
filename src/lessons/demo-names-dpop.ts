// The named demos of lesson 14 (sender-constrained tokens: DPoP step by step): each with its args and the
// saved tokens it makes and reads (demo-names.ts joins this list to the others; demos-dpop.ts runs them).

import { none, type DemoSpec } from './demo-spec.js';

export const DPOP_DEMOS = {
  'dpop-token-request': {
    description: 'Starts Mock Google and signs Asha in; Swaad\'s server makes a P-256 key pair and a DPoP proof for POST /token, refreshes with it (token_type DPoP, cnf.jkt = the key\'s RFC 7638 thumbprint, compared on screen), then calls userinfo with Authorization: DPoP and a proof with ath (200); saves the proof as "proof".',
    args: {},
    makes: () => ['proof'],
    reads: none,
  },
  'stolen-dpop-token': {
    description: 'Signs Asha in at a fresh Mock Google and gets a bearer token and a DPoP-bound one; a thief copies both: the bearer token works for him (200), the DPoP token does not, as Bearer, with a proof by his own key, or with the app\'s proof replayed (401 each, WWW-Authenticate shown).',
    args: {},
    makes: none,
    reads: none,
  },
} as const satisfies Record<string, DemoSpec>;
