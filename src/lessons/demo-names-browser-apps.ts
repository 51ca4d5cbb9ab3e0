// The named demos of lesson 13 (browser apps: tokens in JavaScript vs a backend-for-frontend): each with its args and the
// saved tokens it makes and reads (demo-names.ts joins this list to the others; demos-browser-apps.ts runs them).

import { none, type DemoSpec } from './demo-spec.js';

export const BROWSER_APP_DEMOS = {
  'bff-page': {
    description: 'Starts Mock Google and Swaad\'s backend-for-frontend (BFF); Asha signs in through it, the page gets only an HttpOnly, SameSite=Strict session cookie, and /api/me (called with the Swaad-Request header the BFF requires) is answered by the BFF calling userinfo with the access token it keeps; a call without the header is refused (403); shows that no token reached the browser.',
    args: {},
    makes: none,
    reads: none,
  },
  'bff-injected-script': {
    description: 'Asha signs in through Swaad\'s BFF; a script injected into the page calls /api/me through the session (200); later the BFF refreshes the access token on the server; Asha signs out (the refresh token revoked) and the script gets 401.',
    args: {},
    makes: none,
    reads: none,
  },
} as const satisfies Record<string, DemoSpec>;
