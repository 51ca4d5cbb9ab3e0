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
/** A client assertion is a signed JWT (an RS512 signature alone is 683 characters): 8 KiB. It is never kept. */
export const MAX_CLIENT_ASSERTION_BYTES = 8192;

function parameterLimit(name: string): number {
  if (name === 'client_assertion') return MAX_CLIENT_ASSERTION_BYTES;
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

export type StoreName = 'interactions' | 'codes' | 'grants' | 'revokedGrants' | 'refreshTokens' | 'retiredRefreshTokens' | 'revokedAccessTokens' | 'deviceCodes' | 'userCodes' | 'userCodeGuesses' | 'dpopProofs' | 'dpopProofsPerKey' | 'clientAssertions';

/**
 * What each store may hold, in entries and in estimated bytes (counted high: two bytes a
 * character, 160 bytes of overhead an entry; see store.ts). Together 88.75 MiB of estimate; with the
 * process itself (about 55 MB RSS) and the garbage collector's room, the provider stays under a
 * 256 MB RSS budget. `npm run bench` (bench/memory.mjs) fills every store and reports the peak.
 * Entry sizes below are the estimates with every parameter at its limit.
 */
export const DEFAULT_LIMITS: Record<StoreName, StoreLimits> = {
  // Sign-ins waiting at the pages (10 minutes; a full store forgets the oldest): 10 000, or about
  // 2 000 of 7 KB (state, nonce, login_hint at 1 KiB, with dpop_jkt).
  interactions: { maxEntries: 10_000, maxBytes: 13.5 * 1024 * 1024 },
  // Codes (60 seconds; kept once used, shrunk to 542 bytes, to catch a replay): 45 000, or about 7 200 of 2.9 KB (nonce at 1 KiB, with dpop_jkt).
  codes: { maxEntries: 45_000, maxBytes: 20 * 1024 * 1024 },
  // Sign-ins with live tokens (the access-token lifetime, 15 minutes by default, after their last
  // tokens; 24 hours with a refresh token; a full store forgets the oldest): 406 bytes each.
  grants: { maxEntries: 20_000, maxBytes: 8 * 1024 * 1024 },
  // Revoked sign-ins, until their access tokens expire (15 minutes by default): 256 bytes each. Room
  // is kept here for every active grant: beyond 4 000 revoked, each one more shrinks the room for sign-ins.
  revokedGrants: { maxEntries: 24_000, maxBytes: 6 * 1024 * 1024 },
  // Live refresh tokens (24 hours): at most one per active grant, so never full: 628 bytes each
  // (with the DPoP key thumbprint a public client's refresh token is bound to).
  refreshTokens: { maxEntries: 20_000, maxBytes: 12.5 * 1024 * 1024 },
  // Rotated refresh tokens and those of revoked grants (24 hours; a full store forgets the oldest): 414 bytes each.
  retiredRefreshTokens: { maxEntries: 10_000, maxBytes: 4 * 1024 * 1024 },
  // Access tokens revoked one by one, until they expire (15 minutes by default): 256 bytes each.
  revokedAccessTokens: { maxEntries: 30_000, maxBytes: 8 * 1024 * 1024 },
  // Device authorizations (RFC 8628; 10 minutes, kept 10 more to answer expired_token; a full
  // store forgets the oldest, like waiting sign-ins): 2 000 of 756 bytes at most.
  deviceCodes: { maxEntries: 2_000, maxBytes: 1.5 * 1024 * 1024 },
  // The user codes typed at /device, each naming its device code (10 minutes): 208 bytes each.
  userCodes: { maxEntries: 2_000, maxBytes: 0.5 * 1024 * 1024 },
  // Wrong user codes per client address, for a minute (RFC 8628 §5.1): at most 332 bytes each.
  userCodeGuesses: { maxEntries: 1_000, maxBytes: 0.5 * 1024 * 1024 },
  // DPoP proofs seen (their jti, hashed), for as long as a proof is accepted (RFC 9449 §11.1: 5
  // minutes old, 1 ahead); full, a new proof is refused with 503 rather than a replay let in: 270 bytes each.
  dpopProofs: { maxEntries: 20_000, maxBytes: 5.5 * 1024 * 1024 },
  // Accepted DPoP proofs per key thumbprint, for a 5-minute window (dpop-binding.ts
  // MAX_PROOFS_PER_KEY): one per key with a recent proof, as many as proofs (a full store forgets
  // the oldest count): 318 bytes each.
  dpopProofsPerKey: { maxEntries: 20_000, maxBytes: 6.25 * 1024 * 1024 },
  // private_key_jwt assertions seen (client and jti, hashed), until they expire (at most 5 minutes,
  // RFC 7523 §3 point 7); full, 503 as for proofs: 270 bytes each.
  clientAssertions: { maxEntries: 9_000, maxBytes: 2.5 * 1024 * 1024 },
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
  /** Sign-ins waiting at the pages at once; beyond it the oldest is forgotten, so memory has a ceiling. */
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
  /** RFC 9449 §10: the thumbprint of the DPoP key the code must be redeemed with. */
  dpopJkt?: string;
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
  /** RFC 9449 §10: the DPoP key (thumbprint) it must be redeemed with, from `dpop_jkt`. */
  dpopJkt?: string;
  used: boolean;
}

/** A live refresh token: the one that works now for its grant (rotation replaces it). */
export interface RefreshRecord {
  clientId: string;
  sub: string;
  scopes: string[];
  authTime: number;
  grantId: string;
  /** A public client's refresh token is bound to the DPoP key it was issued with (RFC 9449 §5). */
  jkt?: string;
}

/**
 * A refresh token that no longer works: rotated (presenting it again means two parties hold it,
 * and the grant is revoked), or the last one of a revoked grant.
 */
export interface RetiredRefreshToken {
  clientId: string;
  grantId: string;
}

/** A sign-in with live tokens, and its live refresh token if it has one (retired with the grant). */
export interface ActiveGrant {
  refreshToken?: string;
}

/**
 * A device authorization (RFC 8628 §3.2): pending until its user decides at /device, then
 * redeemed once at the token endpoint.
 */
export interface DeviceRecord {
  clientId: string;
  scopes: string[];
  /** Eight letters of the RFC 8628 §6.1 alphabet, without the dash. */
  userCode: string;
  /** When the codes stop working; the entry is kept longer, to answer expired_token. */
  expiresAtMs: number;
  /** Seconds the device must wait between polls; each slow_down adds 5 (RFC 8628 §3.5). */
  interval: number;
  lastPollMs: number;
  status: 'pending' | 'approved' | 'denied' | 'used';
  /** The browser going through the pages for this code (its cookie), and who signed in there. */
  browser?: { id: string; sub?: string; authTime?: number };
  /** Once approved: the user and the sign-in the tokens will belong to. */
  sub?: string;
  authTime?: number;
  grantId?: string;
}

/** Wrong user codes typed from one address in the current minute, which ends at `untilMs`. */
export interface UserCodeGuesses {
  wrong: number;
  untilMs: number;
}

/** Proofs accepted from one DPoP key in the current window, which ends at `untilMs`. */
export interface KeyProofCount {
  accepted: number;
  untilMs: number;
}

export interface IssuedTokens {
  access_token: string;
  /** DPoP when the access token is bound to a key (RFC 9449 §5). */
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
}

const OBJECT_BYTES = 32;
const FIELD_BYTES = 8;
/** Scope lists hold the shared strings of SUPPORTED_SCOPES; only the array is counted. */
const scopeListBytes = (scopes: string[]) => OBJECT_BYTES + FIELD_BYTES * scopes.length;

/** A browser id (43 characters, as randomToken makes them) and a grant id (a 36-character UUID). */
const BROWSER_AND_GRANT_ID_BYTES = stringBytes('b'.repeat(43)) + stringBytes('g'.repeat(36));

/** A SHA-256 thumbprint, base64url (43 characters): `cnf.jkt`. */
const JKT_BYTES = stringBytes('j'.repeat(43));

/** The estimated bytes of each store's values, counted high; the strings kept are own copies. */
const VALUE_BYTES = {
  interactions: (interaction: Interaction) =>
    OBJECT_BYTES + 10 * FIELD_BYTES + scopeListBytes(interaction.scopes) + stringBytes(interaction.redirectUri) + stringBytes(interaction.state) + stringBytes(interaction.nonce) + stringBytes(interaction.codeChallenge) + stringBytes(interaction.loginHint) + stringBytes(interaction.dpopJkt) + 16,
  codes: (code: CodeRecord) => OBJECT_BYTES + 9 * FIELD_BYTES + scopeListBytes(code.scopes) + stringBytes(code.redirectUri) + stringBytes(code.nonce) + stringBytes(code.codeChallenge) + stringBytes(code.grantId) + stringBytes(code.dpopJkt) + 16,
  grants: (grant: ActiveGrant) => OBJECT_BYTES + FIELD_BYTES + stringBytes(grant.refreshToken),
  revokedGrants: () => 0,
  // Counted with a key thumbprint (43 characters) always: a record is copied to its successor as it is.
  refreshTokens: (refresh: RefreshRecord) => OBJECT_BYTES + 5 * FIELD_BYTES + scopeListBytes(refresh.scopes) + stringBytes(refresh.grantId) + JKT_BYTES + 16,
  retiredRefreshTokens: (retired: RetiredRefreshToken) => OBJECT_BYTES + 2 * FIELD_BYTES + stringBytes(retired.grantId),
  revokedAccessTokens: () => 0,
  // Counted with the browser's id and the grant id present: both are added in place later.
  deviceCodes: (record: DeviceRecord) => 2 * OBJECT_BYTES + 14 * FIELD_BYTES + scopeListBytes(record.scopes) + stringBytes(record.userCode) + BROWSER_AND_GRANT_ID_BYTES,
  // The value is the device code string, the same one the deviceCodes store holds as its key.
  userCodes: () => FIELD_BYTES,
  userCodeGuesses: () => OBJECT_BYTES + 2 * FIELD_BYTES,
  // Keys are SHA-256 hashes (43 characters), whatever the jti sent: the value is nothing.
  dpopProofs: () => 0,
  // Keyed by the key's thumbprint (43 characters, whatever the key).
  dpopProofsPerKey: () => OBJECT_BYTES + 2 * FIELD_BYTES,
  clientAssertions: () => 0,
} satisfies Record<StoreName, (value: never) => number>;

export class ProviderState {
  readonly clients: Map<string, Client>;
  /** The issuer's path ("" or "/base"): every endpoint, the sign-in pages included, is served under it. */
  readonly basePath: string;
  /** The issuer's origin, parsed once: every request target is joined to it. */
  readonly origin: string;
  readonly interactions: ExpiringStore<Interaction>;
  readonly codes: ExpiringStore<CodeRecord>;
  readonly grants: ExpiringStore<ActiveGrant>;
  readonly revokedGrants: ExpiringStore<true>;
  readonly refreshTokens: ExpiringStore<RefreshRecord>;
  readonly retiredRefreshTokens: ExpiringStore<RetiredRefreshToken>;
  readonly revokedAccessTokens: ExpiringStore<true>;
  /** Device authorizations by device code; user codes (normalised) to their device code; wrong guesses by address. */
  readonly deviceCodes: ExpiringStore<DeviceRecord>;
  readonly userCodes: ExpiringStore<string>;
  readonly userCodeGuesses: ExpiringStore<UserCodeGuesses>;
  /** DPoP proofs (RFC 9449 §11.1) and client assertions (RFC 7523 §3 point 7) seen, by hashed jti: each works once. */
  readonly dpopProofs: ExpiringStore<true>;
  /** Proofs accepted per DPoP key (thumbprint) in a window: one key may not fill dpopProofs. */
  readonly dpopProofsPerKey: ExpiringStore<KeyProofCount>;
  readonly clientAssertions: ExpiringStore<true>;

  constructor(
    readonly config: ProviderConfig,
    readonly keys: ProviderKeys,
    readonly nowMs: () => number,
  ) {
    this.clients = new Map(config.clients.map((client) => [client.client_id, client]));
    const issuerUrl = new URL(config.issuer);
    this.basePath = issuerUrl.pathname.replace(/\/$/, '');
    this.origin = issuerUrl.origin;
    const limitsOf = (name: StoreName): StoreLimits => ({
      ...DEFAULT_LIMITS[name],
      ...(name === 'interactions' ? { maxEntries: config.maxPendingSignIns } : {}),
      ...config.limits?.[name],
    });
    this.interactions = new ExpiringStore(nowMs, limitsOf('interactions'), VALUE_BYTES.interactions);
    this.codes = new ExpiringStore(nowMs, limitsOf('codes'), VALUE_BYTES.codes);
    this.grants = new ExpiringStore(nowMs, limitsOf('grants'), VALUE_BYTES.grants);
    this.revokedGrants = new ExpiringStore(nowMs, limitsOf('revokedGrants'), VALUE_BYTES.revokedGrants);
    this.refreshTokens = new ExpiringStore(nowMs, limitsOf('refreshTokens'), VALUE_BYTES.refreshTokens);
    this.retiredRefreshTokens = new ExpiringStore(nowMs, limitsOf('retiredRefreshTokens'), VALUE_BYTES.retiredRefreshTokens);
    this.revokedAccessTokens = new ExpiringStore(nowMs, limitsOf('revokedAccessTokens'), VALUE_BYTES.revokedAccessTokens);
    this.deviceCodes = new ExpiringStore(nowMs, limitsOf('deviceCodes'), VALUE_BYTES.deviceCodes);
    this.userCodes = new ExpiringStore(nowMs, limitsOf('userCodes'), VALUE_BYTES.userCodes);
    this.userCodeGuesses = new ExpiringStore(nowMs, limitsOf('userCodeGuesses'), VALUE_BYTES.userCodeGuesses);
    this.dpopProofs = new ExpiringStore(nowMs, limitsOf('dpopProofs'), VALUE_BYTES.dpopProofs);
    this.dpopProofsPerKey = new ExpiringStore(nowMs, limitsOf('dpopProofsPerKey'), VALUE_BYTES.dpopProofsPerKey);
    this.clientAssertions = new ExpiringStore(nowMs, limitsOf('clientAssertions'), VALUE_BYTES.clientAssertions);
  }

  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** The audience of our access tokens: the one API this provider hosts. */
  get accessTokenAudience(): string {
    return `${this.config.issuer}/userinfo`;
  }

  /**
   * How long a grant is remembered after its last tokens were issued: as long as a token that
   * can be revoked through it lives. ID tokens are never checked for revocation. Both lifetimes
   * share one store, in order of last use: the order a full store forgets them in.
   */
  grantTtl(withRefreshToken: boolean): number {
    return withRefreshToken ? Math.max(this.config.accessTokenTtl, this.config.refreshTokenTtl) : this.config.accessTokenTtl;
  }

  findUser(hint: string): User | undefined {
    const wanted = hint.trim().toLowerCase();
    return this.config.users.find((user) => user.email.toLowerCase() === wanted || user.sub === hint.trim());
  }

  userBySub(sub: string): User | undefined {
    return this.config.users.find((user) => user.sub === sub);
  }

  /**
   * Signs the tokens of a grant. A grant from a code must be recorded first, with its refresh
   * token, by `startGrant` or `rotateRefreshToken`: synchronously, before this awaits.
   */
  async issueTokens(grant: { client: Client; sub: string; scopes: string[]; authTime?: number; grantId?: string; nonce?: string; refreshToken?: string; withIdToken: boolean; dpopJkt?: string }): Promise<IssuedTokens> {
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
      // Bound to the client's DPoP key: useless without its private half (RFC 9449 §6.1).
      ...(grant.dpopJkt !== undefined ? { cnf: { jkt: grant.dpopJkt } } : {}),
    });
    const tokens: IssuedTokens = { access_token: accessToken, token_type: grant.dpopJkt === undefined ? 'Bearer' : 'DPoP', expires_in: this.config.accessTokenTtl, scope };
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
    if (grant.refreshToken !== undefined) tokens.refresh_token = grant.refreshToken;
    return tokens;
  }

  /**
   * Records a new sign-in (from a code) and makes its refresh token if it gets one. Returns the
   * refresh token, or `retryAfter` seconds when revoked grants alone fill the room: then no
   * tokens may be issued, because their revocation could not be recorded.
   */
  startGrant(grantId: string, refresh?: RefreshRecord): { retryAfter: number; refreshToken?: string } {
    const retryAfter = this.makeRoomForGrant(grantId);
    if (retryAfter > 0) return { retryAfter };
    const refreshToken = refresh && randomToken();
    // The grant first: a grant forgotten to make room retires its refresh token before this one is added.
    this.grants.setEvictingOldest(grantId, { refreshToken }, this.grantTtl(refresh !== undefined), (_id, evicted) => this.forgetGrant(evicted));
    if (refresh) this.addRefreshToken(refreshToken!, refresh);
    return { retryAfter: 0, refreshToken };
  }

  /** Retires a live refresh token and makes its successor; the grant is remembered 24 hours again. */
  rotateRefreshToken(token: string, record: RefreshRecord): string {
    this.retireRefreshToken(token);
    const refreshToken = randomToken();
    // The grant's own entry is replaced by one of the same size: there is room.
    this.grants.set(record.grantId, { refreshToken }, this.grantTtl(true));
    this.addRefreshToken(refreshToken, record);
    return refreshToken;
  }

  /** A refresh token as the provider knows it: live, retired (rotated or revoked), or not at all. */
  findRefreshToken(token: string): { live: true; record: RefreshRecord } | { live: false; record: RetiredRefreshToken } | undefined {
    const live = this.refreshTokens.get(token);
    if (live) return { live: true, record: live };
    const retired = this.retiredRefreshTokens.get(token);
    return retired && { live: false, record: retired };
  }

  /**
   * Revokes every token of one sign-in: access tokens (by sid) and its refresh token. Returns 0,
   * or, when the revocation cannot be recorded (see below), the seconds until it can.
   */
  revokeGrant(grantId: string): number {
    if (this.revokedGrants.get(grantId)) return 0;
    const grant = this.grants.get(grantId);
    if (grant) {
      this.grants.delete(grantId);
      if (grant.refreshToken !== undefined) this.retireRefreshToken(grant.refreshToken);
      // Room was kept for it (makeRoomForGrant): revoking an active grant never waits.
      this.revokedGrants.set(grantId, true, this.config.accessTokenTtl);
      return 0;
    }
    // Forgotten: expired, or evicted with access tokens that may live up to accessTokenTtl more.
    // Recorded like a new sign-in; it waits only when revoked grants alone fill the room.
    const wait = this.makeRoomForGrant(grantId);
    if (wait === 0) this.revokedGrants.set(grantId, true, this.config.accessTokenTtl);
    return wait;
  }

  isGrantRevoked(grantId: unknown): boolean {
    return typeof grantId === 'string' && this.revokedGrants.get(grantId) === true;
  }

  isGrantActive(grantId: string): boolean {
    return this.grants.get(grantId) !== undefined;
  }

  /**
   * revokedGrants keeps room for every active grant, so that revoking one never needs room nor
   * forgets a revocation. Room for one more: the oldest active grant is forgotten if needed (its
   * refresh token stops working: that app signs the user in again; its access tokens live out
   * their hour unless revoked). Returns 0, or the seconds until the oldest revoked grant expires
   * (at most accessTokenTtl) when revoked grants alone fill the room.
   */
  private makeRoomForGrant(grantId: string): number {
    const revokedEntryBytes = this.revokedGrants.entryBytes(grantId, true);
    for (;;) {
      const wait = this.revokedGrants.secondsUntilRoom(revokedEntryBytes, this.grants.size);
      if (wait === 0) return 0;
      const oldest = this.grants.evictOldest();
      // Infinite only when one entry is larger than the whole (misconfigured) store.
      if (!oldest) return Number.isFinite(wait) ? wait : this.config.accessTokenTtl;
      this.forgetGrant(oldest.value);
    }
  }

  /** A forgotten grant's refresh token is retired: /revoke can still reach the grant through it. */
  private forgetGrant(grant: ActiveGrant): void {
    if (grant.refreshToken !== undefined) this.retireRefreshToken(grant.refreshToken);
  }

  private addRefreshToken(refreshToken: string, record: RefreshRecord): void {
    // At most one live refresh token per active grant, and the caps match: eviction here happens
    // only with smaller limits than the defaults; that app then signs the user in again.
    this.refreshTokens.setEvictingOldest(refreshToken, record, this.config.refreshTokenTtl);
  }

  /**
   * Kept to detect reuse and say why a token fails. A full store forgets the oldest: a forgotten
   * rotated token presented again is answered invalid_grant without revoking its chain.
   */
  private retireRefreshToken(token: string): void {
    const record = this.refreshTokens.get(token);
    if (!record) return;
    this.refreshTokens.delete(token);
    this.retiredRefreshTokens.setEvictingOldest(token, { clientId: record.clientId, grantId: record.grantId }, this.config.refreshTokenTtl);
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
    return {
      interactions: this.interactions,
      codes: this.codes,
      grants: this.grants,
      revokedGrants: this.revokedGrants,
      refreshTokens: this.refreshTokens,
      retiredRefreshTokens: this.retiredRefreshTokens,
      revokedAccessTokens: this.revokedAccessTokens,
      deviceCodes: this.deviceCodes,
      userCodes: this.userCodes,
      userCodeGuesses: this.userCodeGuesses,
      dpopProofs: this.dpopProofs,
      dpopProofsPerKey: this.dpopProofsPerKey,
      clientAssertions: this.clientAssertions,
    } as Record<StoreName, ExpiringStore<unknown>>;
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
