// Who exists at "Mock Google": the demo users and client apps, and what each scope means.
// Passwords here are demo passwords, shown on the login page on purpose: this is a simulation.

export interface User {
  sub: string;
  email: string;
  password: string;
  name: string;
  /** Any other claims (given_name, locale, …), released per scope. */
  [claim: string]: unknown;
}

export interface Client {
  client_id: string;
  /** Absent for a public client (a single-page or mobile app cannot keep a secret). */
  client_secret?: string;
  client_name?: string;
  redirect_uris: string[];
  post_logout_redirect_uris?: string[];
  /** The scopes it may get for itself with client_credentials (API scopes, never a user's); none when absent. */
  scopes?: string[];
  /** Its public keys, for private_key_jwt (RFC 7523 §2.2, OIDC Core §9): a client with keys is confidential. */
  jwks?: { keys: Array<Record<string, unknown>> };
}

export const DEFAULT_USERS: User[] = [
  {
    sub: '104392857361829475620',
    email: 'asha@example.com',
    email_verified: true,
    password: 'mango-lassi-42',
    name: 'Asha Rao',
    given_name: 'Asha',
    family_name: 'Rao',
    locale: 'en-IN',
  },
  {
    sub: '118273645501928374651',
    email: 'ravi@example.com',
    email_verified: true,
    password: 'filter-coffee-7',
    name: 'Ravi Kumar',
    given_name: 'Ravi',
    family_name: 'Kumar',
    locale: 'hi-IN',
  },
  {
    sub: '109876543210123456789',
    email: 'priya@example.com',
    email_verified: false,
    password: 'masala-dosa-9',
    name: 'Priya Sharma',
    given_name: 'Priya',
    family_name: 'Sharma',
    locale: 'en-IN',
  },
];

const LOOPBACK_CALLBACKS = ['http://127.0.0.1/callback', 'http://localhost/callback'];

export const DEFAULT_CLIENTS: Client[] = [
  {
    client_id: 'demo-app',
    client_secret: 'demo-secret',
    client_name: 'Swaad Food Delivery (demo-app)',
    redirect_uris: LOOPBACK_CALLBACKS,
    post_logout_redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
    // Its back office, acting for itself with client_credentials: read and update orders.
    scopes: ['orders:read', 'orders:write'],
  },
  {
    client_id: 'demo-spa',
    client_name: 'Swaad single-page app (demo-spa, public)',
    redirect_uris: LOOPBACK_CALLBACKS,
    post_logout_redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
  },
];

/** Plain words for each scope, for the consent page (OIDC Core §5.4, §11). */
export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Sign you in: learn your Mock Google account id',
  profile: 'See your name and language',
  email: 'See your email address',
  offline_access: 'Stay connected when you are not using the app (a refresh token)',
};

export const SUPPORTED_SCOPES = Object.keys(SCOPE_DESCRIPTIONS);

/** Which user claims each scope releases (OIDC Core §5.4). */
export const SCOPE_CLAIMS: Record<string, string[]> = {
  profile: ['name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
};

export function claimsForScopes(user: User, scopes: string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const scope of scopes) {
    for (const name of SCOPE_CLAIMS[scope] ?? []) {
      if (user[name] !== undefined) claims[name] = user[name];
    }
  }
  return claims;
}

/** A client that can prove who it is: with a secret, or with keys for private_key_jwt. */
export function isConfidential(client: Client): boolean {
  return typeof client.client_secret === 'string' || client.jwks !== undefined;
}
