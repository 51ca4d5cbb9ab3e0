// What each JWS algorithm is, in words, and which kind of key it needs (RFC 7518, RFC 8037).

export type KeyFamily = 'secret' | 'RSA' | 'EC' | 'OKP' | 'none';

export interface AlgorithmInfo {
  family: KeyFamily;
  /** Bits of the hash; an HMAC secret should be at least this long (RFC 7518 §3.2). */
  hashBits: number;
  description: string;
}

// The registered names only (RFC 7518 §3.1): "HS999" or "ES" is not an algorithm, so it is not described as one.
const REGISTERED_HASH_BITS = new Map<string, number>(['HS', 'RS', 'PS', 'ES'].flatMap((prefix) => [256, 384, 512].map((bits): [string, number] => [`${prefix}${bits}`, bits])));

export const SUPPORTED_ALGORITHMS = [
  'HS256', 'HS384', 'HS512',
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA', 'Ed25519',
] as const;

export type SupportedAlgorithm = (typeof SUPPORTED_ALGORITHMS)[number];

export function isSupportedAlgorithm(alg: string): alg is SupportedAlgorithm {
  return (SUPPORTED_ALGORITHMS as readonly string[]).includes(alg);
}

/** Explains an `alg` header value; unknown values are described as such, never guessed. */
export function describeAlgorithm(alg: unknown): AlgorithmInfo {
  if (typeof alg !== 'string') {
    return { family: 'none', hashBits: 0, description: 'missing or not a string: a verifier must reject this token' };
  }
  if (alg.toLowerCase() === 'none') {
    return {
      family: 'none',
      hashBits: 0,
      description: 'no signature at all, an Unsecured JWT (RFC 7519 §6): anyone could have written this token, so a verifier must reject it (RFC 8725 §3.2)',
    };
  }
  const bits = REGISTERED_HASH_BITS.get(alg) ?? 0;
  switch (bits === 0 ? '' : alg.slice(0, 2)) {
    case 'HS':
      return {
        family: 'secret',
        hashBits: bits,
        description: `HMAC with SHA-${bits}: one shared secret both signs and checks, so whoever can check a token could also have made it`,
      };
    case 'RS':
      return {
        family: 'RSA',
        hashBits: bits,
        description: `RSA signature (PKCS#1 v1.5) with SHA-${bits}: a private key signs, the public key checks`,
      };
    case 'PS':
      return {
        family: 'RSA',
        hashBits: bits,
        description: `RSA-PSS signature with SHA-${bits}: a private key signs, the public key checks`,
      };
    case 'ES':
      return {
        family: 'EC',
        hashBits: bits,
        description: `ECDSA on curve ${curveForEs(alg)} with SHA-${bits}: a private key signs, the public key checks`,
      };
  }
  if (alg === 'EdDSA' || alg === 'Ed25519') {
    return {
      family: 'OKP',
      hashBits: 0,
      description: 'Ed25519 signature: a private key signs, the public key checks (EdDSA is the older name, RFC 8037; Ed25519 the newer one, RFC 9864)',
    };
  }
  return { family: 'none', hashBits: 0, description: `"${alg}" is not a JWS algorithm this tool knows` };
}

function curveForEs(alg: string): string {
  return { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg] ?? 'unknown';
}

/** The algorithms that fit a key of this family: a verifier pins these and nothing else. */
export function algorithmsForFamily(family: KeyFamily, namedCurve?: string): SupportedAlgorithm[] {
  switch (family) {
    case 'secret':
      return ['HS256', 'HS384', 'HS512'];
    case 'RSA':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'EC':
      if (namedCurve === 'P-256') return ['ES256'];
      if (namedCurve === 'P-384') return ['ES384'];
      if (namedCurve === 'P-521') return ['ES512'];
      // Any other curve (secp256k1 is ES256K, RFC 8812) fits none of JOSE's ES algorithms.
      return [];
    case 'OKP':
      return ['EdDSA', 'Ed25519'];
    default:
      return [];
  }
}
