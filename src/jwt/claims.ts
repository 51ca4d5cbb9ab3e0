// One-line plain meanings of the claims and header parameters a learner meets most often
// (RFC 7519 §4.1, RFC 7515 §4.1, OpenID Connect Core §2 and §5.1, RFC 9068 §2.2, RFC 9449 §4.2).

export const CLAIM_MEANINGS: Record<string, string> = {
  iss: 'Issuer: who made and signed this token',
  sub: 'Subject: who the token is about (unique within the issuer)',
  aud: 'Audience: who the token is meant for; anyone else must reject it',
  exp: 'Expires at: on or after this time the token must be rejected (RFC 7519 §4.1.4)',
  nbf: 'Not before: before this time the token must be rejected (RFC 7519 §4.1.5)',
  iat: 'Issued at: when the token was made',
  jti: 'JWT ID: a unique id, so a server can spot a replayed or revoked token',
  azp: 'Authorized party: the client the ID token was issued to',
  nonce: 'Nonce: the random value the app sent, tying this ID token to its own login request',
  auth_time: 'Authentication time: when the user actually signed in',
  acr: 'Authentication context class: how strong the sign-in was',
  amr: 'Authentication methods: how the user signed in; registered values include pwd, otp, mfa, hwk, face (RFC 8176)',
  at_hash: 'Access token hash: ties this ID token to the access token issued with it',
  c_hash: 'Code hash: ties this ID token to the authorization code',
  sid: 'Session id: the provider-side session this token belongs to',
  scope: 'Scope: what the client may do with this access token',
  scp: 'Scopes (non-standard spelling of scope): what the client may do',
  client_id: 'Client id: the app this access token was issued to',
  email: 'Email address of the user (an app must not use it as the user key: use iss + sub)',
  email_verified: 'Whether the provider has verified the email address',
  name: 'Full name of the user',
  given_name: 'Given (first) name',
  family_name: 'Family (last) name',
  preferred_username: 'The name the user prefers to be shown (not unique, not a key)',
  picture: 'URL of a profile picture',
  locale: 'Preferred language and region',
  zoneinfo: 'Time zone',
  phone_number: 'Phone number',
  phone_number_verified: 'Whether the provider has verified the phone number',
  roles: 'Roles (an application-specific claim)',
  groups: 'Groups (an application-specific claim)',
  cnf: 'Confirmation (RFC 7800): the key this token is bound to. Its jkt is the SHA-256 thumbprint of the client\'s DPoP key (RFC 9449 §6.1): the token is accepted only with a DPoP proof signed by that key',
  htm: 'HTTP method of the request this DPoP proof is for (RFC 9449 §4.2)',
  htu: 'HTTP URI of the request this DPoP proof is for, without its query and fragment (RFC 9449 §4.2)',
  ath: 'Access token hash: base64url SHA-256 of the access token this DPoP proof is sent with (RFC 9449 §4.2)',
  act: 'Actor: who is acting on behalf of the subject (token exchange)',
};

export const HEADER_MEANINGS: Record<string, string> = {
  alg: 'Algorithm used to sign ("none" means an Unsecured JWT, with no signature: RFC 7519 §6)',
  typ: 'Type of token (JWT; at+jwt marks an OAuth access token, RFC 9068)',
  cty: 'Content type of the payload (JWT when a JWT is nested inside)',
  kid: 'Key id: which of the issuer\'s keys signed it; untrusted input until the signature checks',
  jku: 'JWK Set URL: where to fetch keys; a verifier must never trust it blindly (RFC 8725 §3.10)',
  jwk: 'An embedded public key; trusting it would let anyone sign (RFC 8725 §3.10)',
  x5u: 'X.509 certificate URL; untrusted input',
  x5c: 'X.509 certificate chain',
  x5t: 'X.509 certificate thumbprint (SHA-1)',
  'x5t#S256': 'X.509 certificate thumbprint (SHA-256)',
  crit: 'Extensions the verifier must understand or reject the token',
  enc: 'Content encryption algorithm (JWE)',
  zip: 'Compression applied before encryption (JWE)',
  b64: 'Whether the payload is base64url-encoded (RFC 7797)',
};

/** A DPoP proof's media type (RFC 9449 §4.2). Not taken from src/protocol/dpop.ts: that would load all of jose with decode. */
export const DPOP_PROOF_TYPE = 'dpop+jwt';

/** Whether a JWT's header marks it as a DPoP proof, the way a server tells one (RFC 9449 §4.3 point 4). */
export function isDpopProof(header: Record<string, unknown>): boolean {
  return header.typ === DPOP_PROOF_TYPE;
}

/** In a DPoP proof, these claims say how the server limits it to one request (RFC 9449 §4.2, §4.3, §8). */
export const DPOP_PROOF_CLAIM_MEANINGS: Record<string, string> = {
  jti: 'JWT ID: unique to this proof, as each request needs a fresh one; a server may remember the jti values it has seen and refuse a repeat, so a copied proof fails (RFC 9449 §4.2, §11.1)',
  iat: 'Issued at: when the proof was made; the server accepts it only within a window of minutes (RFC 9449 §4.3 point 11)',
  nonce: 'Nonce: the value the server gave in its DPoP-Nonce header, so the proof cannot be made in advance (RFC 9449 §8)',
};

/** In a DPoP proof, the header's key is the one to check it with, not one to distrust (RFC 9449 §4.3 point 6). */
export const DPOP_PROOF_HEADER_MEANINGS: Record<string, string> = {
  typ: 'Type of token: dpop+jwt, a DPoP proof (RFC 9449 §4.2)',
  jwk: 'The public key this proof is signed with: the server checks the signature with it (RFC 9449 §4.3 point 6). Anyone can sign a proof with a key of their own; what stops a forged one is that the access token is bound to this key\'s thumbprint (cnf.jkt, §6.1)',
};

/** In a JWE, alg and enc mean something else than in a JWS (RFC 7516 §4.1). */
export const JWE_HEADER_MEANINGS: Record<string, string> = {
  alg: 'Key-management algorithm: how the content key is wrapped or agreed; dir: a shared key used directly (RFC 7516 §4.1.1)',
  enc: 'Content encryption algorithm: encrypts the content and protects it from change (RFC 7516 §4.1.2)',
  epk: 'Ephemeral public key the sender made for ECDH-ES key agreement (RFC 7518 §4.6.1.1)',
  apu: 'Agreement PartyUInfo: information about the sender, mixed into ECDH-ES key derivation',
  apv: 'Agreement PartyVInfo: information about the recipient, mixed into ECDH-ES key derivation',
  iv: 'Initialization vector used to wrap the content key (AES-GCM key wrap)',
  tag: 'Authentication tag of the wrapped content key (AES-GCM key wrap)',
  p2s: 'PBES2 salt input for deriving the wrapping key from a password',
  p2c: 'PBES2 iteration count for deriving the wrapping key from a password',
};

/** Claims holding NumericDate values (seconds since 1970). */
export const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time', 'updated_at']);

/** A claim's meaning; in a DPoP proof, its proof-specific meaning where it has one. */
export function meaningOfClaim(name: string, dpopProof = false): string | undefined {
  if (dpopProof && Object.hasOwn(DPOP_PROOF_CLAIM_MEANINGS, name)) return DPOP_PROOF_CLAIM_MEANINGS[name];
  return Object.hasOwn(CLAIM_MEANINGS, name) ? CLAIM_MEANINGS[name] : undefined;
}

/** A header parameter's meaning, by the kind of token it heads (a JWE, a DPoP proof, or any other). */
export function meaningOfHeader(name: string, type?: 'JWT' | 'JWS' | 'JWE', dpopProof = false): string | undefined {
  if (type === 'JWE' && Object.hasOwn(JWE_HEADER_MEANINGS, name)) return JWE_HEADER_MEANINGS[name];
  if (dpopProof && Object.hasOwn(DPOP_PROOF_HEADER_MEANINGS, name)) return DPOP_PROOF_HEADER_MEANINGS[name];
  return Object.hasOwn(HEADER_MEANINGS, name) ? HEADER_MEANINGS[name] : undefined;
}
