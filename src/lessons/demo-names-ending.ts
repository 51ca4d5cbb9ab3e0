// The named demos of lesson 15 (ending things: logout, revocation, introspection, key rotation, object-level checks): each with its args and the
// saved tokens it makes and reads (demo-names.ts joins this list to the others; demos-ending.ts runs them).

import { none, type DemoSpec } from './demo-spec.js';

export const ENDING_DEMOS = {
  'logout-and-revoke': {
    description: 'Signs Asha in at Mock Google with a refresh token; RP-initiated logout at /logout, then the refresh token revoked at /revoke: introspection of the access token turns active false, while a local check of the JWT still says valid.',
    args: {},
    makes: none,
    reads: none,
  },
  'key-rotation': {
    description: 'A verifier that caches Mock Google\'s JWKS (jose createRemoteJWKSet) checks token 1; Mock Google rotates its keys; token 2\'s unknown kid makes it fetch the JWKS once more; token 1 still verifies; 20 forged tokens with unknown kids fetch nothing (the cooldown). Counts the fetches.',
    args: {},
    makes: none,
    reads: none,
  },
  'object-level-check': {
    description: 'A small orders API reads orders by id for tokens with scope orders:read: checking only the scope it gives Asha Meera\'s order (200); checking the owner too it answers 403, and still gives each user their own.',
    args: {},
    makes: none,
    reads: none,
  },
} as const satisfies Record<string, DemoSpec>;
