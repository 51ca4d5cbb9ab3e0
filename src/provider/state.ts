// The provider's state and the operations every endpoint shares: issuing tokens, revoking a
// grant, and checking whether a token was revoked.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { claimsForScopes, type Client, type User } from './directory.js';
import { signJwt, type ProviderKeys } from './signing.js';
import { ExpiringStore } from './store.js';

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

export class ProviderState {
  readonly clients: Map<string, Client>;
  readonly interactions: ExpiringStore<Interaction>;
  readonly codes: ExpiringStore<CodeRecord>;
  readonly refreshTokens: ExpiringStore<RefreshRecord>;
  readonly revokedGrants: ExpiringStore<true>;
  readonly revokedAccessTokens: ExpiringStore<true>;

  constructor(
    readonly config: ProviderConfig,
    readonly keys: ProviderKeys,
    readonly nowMs: () => number,
  ) {
    this.clients = new Map(config.clients.map((client) => [client.client_id, client]));
    this.interactions = new ExpiringStore(nowMs);
    this.codes = new ExpiringStore(nowMs);
    this.refreshTokens = new ExpiringStore(nowMs);
    this.revokedGrants = new ExpiringStore(nowMs);
    this.revokedAccessTokens = new ExpiringStore(nowMs);
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** The audience of our access tokens: the one API this provider hosts. */
  get accessTokenAudience(): string {
    return `${this.config.issuer}/userinfo`;
  }

  findUser(hint: string): User | undefined {
    const wanted = hint.trim().toLowerCase();
    return this.config.users.find((user) => user.email.toLowerCase() === wanted || user.sub === hint.trim());
  }

  userBySub(sub: string): User | undefined {
    return this.config.users.find((user) => user.sub === sub);
  }

  async issueTokens(grant: { client: Client; sub: string; scopes: string[]; authTime: number; grantId: string; nonce?: string; withRefreshToken: boolean; withIdToken: boolean }): Promise<IssuedTokens> {
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
      auth_time: grant.authTime,
      sid: grant.grantId,
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
      const refreshToken = randomToken();
      this.refreshTokens.set(refreshToken, { clientId: grant.client.client_id, sub: grant.sub, scopes: grant.scopes, authTime: grant.authTime, grantId: grant.grantId, used: false }, this.config.refreshTokenTtl);
      tokens.refresh_token = refreshToken;
    }
    return tokens;
  }

  /** Revokes every token of one sign-in: access tokens (by sid) and the refresh token chain. */
  revokeGrant(grantId: string): void {
    this.revokedGrants.set(grantId, true, Math.max(this.config.accessTokenTtl, this.config.refreshTokenTtl, this.config.idTokenTtl));
  }

  isGrantRevoked(grantId: unknown): boolean {
    return typeof grantId === 'string' && this.revokedGrants.get(grantId) === true;
  }

  sweep(): void {
    for (const store of [this.interactions, this.codes, this.refreshTokens, this.revokedGrants, this.revokedAccessTokens]) store.sweep();
  }

  /** How many entries are held, for the benchmark's memory figures and tests. */
  sizes(): Record<string, number> {
    return {
      interactions: this.interactions.size,
      codes: this.codes.size,
      refreshTokens: this.refreshTokens.size,
      revokedGrants: this.revokedGrants.size,
      revokedAccessTokens: this.revokedAccessTokens.size,
    };
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
