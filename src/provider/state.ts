// The provider's state and the operations every endpoint shares: issuing tokens, revoking a
// grant, and checking whether a token was revoked. Also its limits: how long a parameter may be
// and how much each store may hold, so that memory has a ceiling whatever the requests.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { claimsForScopes, type Client, type User } from './directory.js';
import { signJwt, type ProviderKeys } from './signing.js';
import { ExpiringStore, stringBytes, type StoreLimits } from './store.js';

/** The longest value, in UTF-8 bytes, of a parameter the provider reads: 1 KiB; a redirect_uri 2 KiB. */
export const MAX_PARAMETER_BYTES = 1024;
export const MAX_REDIRECT_URI_BYTES = 2048;

export function parameterLimit(name: string): number {
  return name === 'redirect_uri' || name === 'post_logout_redirect_uri' ? MAX_REDIRECT_URI_BYTES : MAX_PARAMETER_BYTES;
}

/** The first of the named parameters that is longer than its limit, if any. */
export function oversizeParameter(parameters: Map<string, string>, names: readonly string[]): { name: string; limit: number } | undefined {
  for (const name of names) {
    const value = parameters.get(name);
    // A UTF-8 character is at most 3 bytes per UTF-16 unit: short values need no counting.
    if (value === undefined || value.length * 3 <= MAX_PARAMETER_BYTES) continue;
    const limit = parameterLimit(name);
    if (Buffer.byteLength(value, 'utf8') > limit) return { name, limit };
  }
  return undefined;
}

export function oversizeMessage(oversize: { name: string; limit: number }): string {
  return `${oversize.name} is longer than ${oversize.limit} bytes (${oversize.limit / 1024} KiB), the most Mock Google accepts for it.`;
}

export type StoreName = 'interactions' | 'codes' | 'refreshTokens' | 'grants' | 'revokedAccessTokens';

/**
 * What each store may hold, in entries and in estimated bytes (counted high: two bytes a
 * character, 160 bytes of overhead an entry; see store.ts). Together 80 MiB of estimate; with the
 * process itself (about 55 MB RSS) and the garbage collector's room, the provider stays under a
 * 256 MB RSS budget. `npm run bench` (bench/memory.mjs) fills every store and reports the peak.
 * Entry sizes below are the estimates with every parameter at its limit.
 */
export const DEFAULT_LIMITS: Record<StoreName, StoreLimits> = {
  // Sign-ins waiting at the pages (10 minutes): 10 000, or about 3 000 of 6.9 KB (state, nonce, login_hint at 1 KiB).
  interactions: { maxEntries: 10_000, maxBytes: 20 * 1024 * 1024 },
  // Codes (60 seconds; kept once used, shrunk to 542 bytes, to catch a replay): 45 000, or about 8 900 of 2.8 KB (nonce at 1 KiB).
  codes: { maxEntries: 45_000, maxBytes: 24 * 1024 * 1024 },
  // Refresh tokens (24 hours; a full store evicts the oldest): about 530 bytes each, no input is kept.
  refreshTokens: { maxEntries: 30_000, maxBytes: 16 * 1024 * 1024 },
  // Sign-ins with live tokens and whether each was revoked (24 hours after their last tokens): 256 bytes each.
  grants: { maxEntries: 45_000, maxBytes: 12 * 1024 * 1024 },
  // Access tokens revoked one by one, until they expire (at most 1 hour): 256 bytes each.
  revokedAccessTokens: { maxEntries: 30_000, maxBytes: 8 * 1024 * 1024 },
};

export interface ProviderConfig {
  issuer: string;
  users: User[];
  clients: Client[];
  autoApprove: boolean;
  accessTokenTtl: number;
  idTokenTtl: number;
  codeTtl: number;
  refreshTokenTtl: number;
  interactionTtl: number;
  /** Sign-ins waiting at the pages at once; beyond it /authorize answers 503, so memory has a ceiling. */
  maxPendingSignIns: number;
  /** Per store, what differs from DEFAULT_LIMITS (the interactions' maxEntries is maxPendingSignIns). */
  limits?: Partial<Record<StoreName, Partial<StoreLimits>>>;
}

/** An authorization request waiting for the user to sign in and consent. */
export interface Interaction {
  id: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  nonce?: string;
  codeChallenge: string;
  loginHint?: string;
  sub?: string;
  authTime?: number;
}

export interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  sub: string;
  authTime: number;
  nonce?: string;
  /** Absent only for codes made outside the HTTP flow (tests of the downgrade rule). */
  codeChallenge?: string;
  /** The sign-in this code belongs to; every token issued from it carries it as `sid`. */
  grantId: string;
  used: boolean;
}

export interface RefreshRecord {
  clientId: string;
  sub: string;
  scopes: string[];
  authTime: number;
  grantId: string;
  /** Set once rotated: presenting it again means it was stolen, and the grant is revoked. */
  used: boolean;
}

export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

/** A sign-in with live tokens. Revoking it flips the status: a revocation never needs new room. */
export type GrantStatus = 'active' | 'revoked';

const OBJECT_BYTES = 32;
const FIELD_BYTES = 8;
/** Scope lists hold the shared strings of SUPPORTED_SCOPES; only the array is counted. */
const scopeListBytes = (scopes: string[]) => OBJECT_BYTES + FIELD_BYTES * scopes.length;

/** The estimated bytes of each store's values, counted high; the strings kept are own copies. */
const VALUE_BYTES = {
  interactions: (interaction: Interaction) =>
    OBJECT_BYTES + 10 * FIELD_BYTES + scopeListBytes(interaction.scopes) + stringBytes(interaction.redirectUri) + stringBytes(interaction.state) + stringBytes(interaction.nonce) + stringBytes(interaction.codeChallenge) + stringBytes(interaction.loginHint) + 16,
  codes: (code: CodeRecord) => OBJECT_BYTES + 9 * FIELD_BYTES + scopeListBytes(code.scopes) + stringBytes(code.redirectUri) + stringBytes(code.nonce) + stringBytes(code.codeChallenge) + stringBytes(code.grantId) + 16,
  refreshTokens: (refresh: RefreshRecord) => OBJECT_BYTES + 6 * FIELD_BYTES + scopeListBytes(refresh.scopes) + stringBytes(refresh.grantId) + 16,
  grants: () => 0,
  revokedAccessTokens: () => 0,
} satisfies Record<StoreName, (value: never) => number>;

export class ProviderState {
  readonly clients: Map<string, Client>;
  /** The issuer's path ("" or "/base"): every endpoint, the sign-in pages included, is served under it. */
  readonly basePath: string;
  readonly interactions: ExpiringStore<Interaction>;
  readonly codes: ExpiringStore<CodeRecord>;
  readonly refreshTokens: ExpiringStore<RefreshRecord>;
  readonly grants: ExpiringStore<GrantStatus>;
  readonly revokedAccessTokens: ExpiringStore<true>;

  constructor(
    readonly config: ProviderConfig,
    readonly keys: ProviderKeys,
    readonly nowMs: () => number,
  ) {
    this.clients = new Map(config.clients.map((client) => [client.client_id, client]));
    this.basePath = new URL(config.issuer).pathname.replace(/\/$/, '');
    const limitsOf = (name: StoreName): StoreLimits => ({
      ...DEFAULT_LIMITS[name],
      ...(name === 'interactions' ? { maxEntries: config.maxPendingSignIns } : {}),
      ...config.limits?.[name],
    });
    this.interactions = new ExpiringStore(nowMs, limitsOf('interactions'), VALUE_BYTES.interactions);
    this.codes = new ExpiringStore(nowMs, limitsOf('codes'), VALUE_BYTES.codes);
    this.refreshTokens = new ExpiringStore(nowMs, limitsOf('refreshTokens'), VALUE_BYTES.refreshTokens);
    this.grants = new ExpiringStore(nowMs, limitsOf('grants'), VALUE_BYTES.grants);
    this.revokedAccessTokens = new ExpiringStore(nowMs, limitsOf('revokedAccessTokens'), VALUE_BYTES.revokedAccessTokens);
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** The audience of our access tokens: the one API this provider hosts. */
  get accessTokenAudience(): string {
    return `${this.config.issuer}/userinfo`;
  }

  /**
   * How long a grant is remembered after its last tokens were issued: as long as any of them
   * lives. The same for every grant, so the oldest entry is always the next to expire.
   */
  get grantTtl(): number {
    return Math.max(this.config.accessTokenTtl, this.config.refreshTokenTtl, this.config.idTokenTtl);
  }

  findUser(hint: string): User | undefined {
    const wanted = hint.trim().toLowerCase();
    return this.config.users.find((user) => user.email.toLowerCase() === wanted || user.sub === hint.trim());
  }

  userBySub(sub: string): User | undefined {
    return this.config.users.find((user) => user.sub === sub);
  }

  /**
   * Tokens for a grant. A grant with a refresh token or one that can be revoked (from a code)
   * must be recorded first with `recordGrant`, which is where a full provider says no.
   */
  async issueTokens(grant: { client: Client; sub: string; scopes: string[]; authTime?: number; grantId?: string; nonce?: string; withRefreshToken: boolean; withIdToken: boolean; refreshTokenScopes?: string[] }): Promise<IssuedTokens> {
    const now = this.nowSeconds();
    const scope = grant.scopes.join(' ');
    const accessToken = await signJwt(this.keys.accessToken, 'at+jwt', {
      iss: this.config.issuer,
      sub: grant.sub,
      aud: this.accessTokenAudience,
      exp: now + this.config.accessTokenTtl,
      iat: now,
      jti: randomUUID(),
      client_id: grant.client.client_id,
      scope,
      // A user's sign-in only: a client_credentials token has no user, so no auth_time and no sid (RFC 9068 §2.2).
      ...(grant.authTime !== undefined ? { auth_time: grant.authTime } : {}),
      ...(grant.grantId !== undefined ? { sid: grant.grantId } : {}),
    });
    const tokens: IssuedTokens = { access_token: accessToken, token_type: 'Bearer', expires_in: this.config.accessTokenTtl, scope };
    if (grant.withIdToken) {
      const user = this.userBySub(grant.sub);
      tokens.id_token = await signJwt(this.keys.idToken, 'JWT', {
        iss: this.config.issuer,
        sub: grant.sub,
        aud: grant.client.client_id,
        exp: now + this.config.idTokenTtl,
        iat: now,
        auth_time: grant.authTime,
        ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
        azp: grant.client.client_id,
        sid: grant.grantId,
        at_hash: leftHalfHash(accessToken),
        ...(user ? claimsForScopes(user, grant.scopes) : {}),
      });
    }
    if (grant.withRefreshToken) {
      if (grant.authTime === undefined || grant.grantId === undefined) throw new TypeError('A refresh token belongs to a user\'s sign-in: authTime and grantId are needed.');
      const refreshToken = randomToken();
      // A full store forgets its oldest refresh token: that app signs the user in again, and
      // nobody else is refused (refusing would lock every app out for up to a day).
      this.refreshTokens.setEvictingOldest(refreshToken, { clientId: grant.client.client_id, sub: grant.sub, scopes: grant.refreshTokenScopes ?? grant.scopes, authTime: grant.authTime, grantId: grant.grantId, used: false }, this.config.refreshTokenTtl);
      tokens.refresh_token = refreshToken;
    }
    return tokens;
  }

  /**
   * Remembers a grant for as long as its tokens can live, from now (again at every refresh).
   * Returns 0, or the seconds until there is room when the provider holds its most grants:
   * then no tokens may be issued, because a revocation must never be forgotten.
   */
  recordGrant(grantId: string): number {
    const known = this.grants.get(grantId);
    if (known === undefined) {
      const wait = this.grants.secondsUntilRoom(this.grants.entryBytes(grantId, 'active'));
      if (wait > 0) return wait;
    }
    this.grants.set(grantId, known ?? 'active', this.grantTtl);
    return 0;
  }

  /** Revokes every token of one sign-in: access tokens (by sid) and the refresh token chain. */
  revokeGrant(grantId: string): void {
    // A grant that is no longer recorded has no live tokens left: nothing to revoke.
    this.grants.replace(grantId, 'revoked');
  }

  isGrantRevoked(grantId: unknown): boolean {
    return typeof grantId === 'string' && this.grants.get(grantId) === 'revoked';
  }

  sweep(): void {
    for (const store of this.stores()) store.sweep();
  }

  /** Entries and estimated bytes held per store, for the benchmark's memory figures and tests. */
  sizes(): Record<StoreName, { entries: number; bytes: number; maxEntries: number; maxBytes: number }> {
    const sizes = {} as Record<StoreName, { entries: number; bytes: number; maxEntries: number; maxBytes: number }>;
    for (const [name, store] of Object.entries(this.storesByName()) as Array<[StoreName, ExpiringStore<unknown>]>) {
      sizes[name] = { entries: store.size, bytes: store.bytes, ...store.limits };
    }
    return sizes;
  }

  private storesByName(): Record<StoreName, ExpiringStore<unknown>> {
    return { interactions: this.interactions, codes: this.codes, refreshTokens: this.refreshTokens, grants: this.grants, revokedAccessTokens: this.revokedAccessTokens } as Record<StoreName, ExpiringStore<unknown>>;
  }

  private stores(): Array<ExpiringStore<unknown>> {
    return Object.values(this.storesByName());
  }
}

/** 256 random bits, base64url: codes, refresh tokens, interaction ids. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** at_hash: the left half of SHA-256 of the access token, base64url (OIDC Core §3.1.3.6). */
function leftHalfHash(value: string): string {
  const digest = createHash('sha256').update(value).digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
