// Exercise material generated from a seed: the same seed always gives the same tokens, and
// two learners' seeds give different ones. Tokens are signed deterministically (HMAC; RS256,
// RS384 and RS512, whose PKCS#1 v1.5 signatures have no randomness; Ed25519, deterministic by
// design, RFC 8032 §5.1.6) with fixed times derived from the seed, never from the clock. ES256
// and PS256 are left out: their signatures are random, so a seed's token would change each time.
// The one exception is a state for an authorization request (oauth-state): it is not an answer,
// and a state must be new for every request, so it is fresh each time it is shown.

import { createECDH, createHash, createHmac, createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { s256Challenge } from '../protocol/pkce.js';
import { isoFromSeconds } from '../jwt/time.js';

/**
 * Subjects, audiences and issuers for read-a-token material: pools wide enough that two
 * neighbours in a class rarely share an answer. Subjects are given names from many languages.
 */
const NAMES = [
  'asha', 'ravi', 'priya', 'meera', 'arjun', 'kavya', 'rahul', 'divya', 'vikram', 'ananya',
  'wei', 'xiaoming', 'lihua', 'jing', 'haruto', 'yui', 'sakura', 'kenji', 'minjun', 'jiwoo',
  'seoyeon', 'linh', 'minh', 'somchai', 'malee', 'putri', 'budi', 'maricel', 'omar', 'layla',
  'fatima', 'yusuf', 'amira', 'dariush', 'shirin', 'emre', 'elif', 'noa', 'eitan', 'amani',
  'baraka', 'zawadi', 'adebayo', 'chiamaka', 'ngozi', 'tunde', 'kwame', 'akosua', 'abebe', 'selam',
  'mateo', 'lucia', 'valentina', 'diego', 'ximena', 'joao', 'beatriz', 'camille', 'lucien', 'lena',
  'jonas', 'zofia', 'kacper', 'dmitri', 'anya', 'eleni', 'nikos', 'siobhan', 'cian', 'aino',
  'eero', 'astrid', 'sven', 'aroha', 'tane', 'keala',
];
const AUDIENCES = [
  'food-api', 'payments-api', 'orders-api', 'rides-api', 'library-api', 'weather-api', 'maps-api', 'music-api',
  'photos-api', 'calendar-api', 'chat-api', 'billing-api', 'inventory-api', 'shipping-api', 'tickets-api', 'hotels-api',
  'flights-api', 'wallet-api', 'loyalty-api', 'recipes-api', 'grocery-api', 'pharmacy-api', 'clinic-api', 'school-api',
  'grades-api', 'fitness-api', 'news-api', 'video-api', 'podcasts-api', 'games-api', 'parking-api', 'transit-api',
  'bikes-api', 'energy-api', 'garden-api', 'pets-api', 'books-api', 'events-api', 'jobs-api', 'reviews-api',
  'search-api', 'notes-api', 'files-api', 'invoices-api', 'support-api', 'taxes-api', 'contacts-api', 'vaccines-api',
];
/** Companies whose sign-in servers issue the tokens: https://auth.<company>.example. */
const ISSUER_COMPANIES = [
  'swaad', 'chaiwala', 'dabba', 'masala', 'kimchi', 'ramen', 'bento', 'taco', 'arepa', 'injera',
  'jollof', 'pho', 'tapas', 'mezze', 'falafel', 'borscht', 'pierogi', 'paella', 'poutine', 'kofta',
  'dumpling', 'baklava', 'ceviche', 'curry', 'satay', 'churro', 'gelato', 'croissant', 'pretzel', 'hummus',
  'biryani', 'dosa', 'samosa', 'empanada', 'feijoada', 'bibimbap', 'laksa', 'tagine', 'pupusa', 'sambal',
];
/** The issuer of flawed-token material: the Swaad issuer the find-the-flaw tasks talk about. */
const FLAWED_ISSUER = 'https://auth.swaad.example';

/**
 * The classroom secrets, one per algorithm (RFC 8725 §3.1: one key, one algorithm), each as many
 * random bytes as the hash is long (RFC 7518 §3.2), made with openssl rand -base64 32, 48 and 64.
 * Demo secrets: tasks print them so learners can verify, so they are secrets no more.
 */
export const CLASSROOM_SECRETS = {
  HS256: 'TOdme/5cWHh4k0oO0tzMmmGnxpdRUOJZnz3B/xY763M=',
  HS384: 'UN08ULjOPmQ34ZI5VarONtKs2HvR2QwJCHBT2NAX3/BsGW4Sl8pJNkH+EN1GPSeD',
  HS512: 'fT0u6iU8ZICjp1Wu+Z9cH03JC932jEmOA8BU6SllA9rYthTR1J9ZBxL1Ihq0227Ax23abF8qVWW7yldQngZWjg==',
} as const;
/**
 * The private key of the Swaad issuer in the find-the-flaw exercises whose issuer signs with
 * RS256. Published here on purpose (it signs nothing but classroom tokens), and fixed so that
 * material is reproducible: RSA keys cannot be made from a seed cheaply.
 */
const CLASSROOM_ISSUER_PRIVATE_KEY = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCLcR2fyeH9DYs2',
  'MJvKJbayaYGOmiw599DfM176ak9rHQ6UgSxTaQ8El0d19ygbeKGLqVWW7nTkjPwL',
  'FPfwZWff7zA6wc/ogCqF8KydYTGXYfLi+dHLxyvrT+w6PBNeWirxtI/PtmrGPyx1',
  'Gxr9l/8lKWK1cytJp4QGgUgEfcsFBrwyex0ArkIr54lvvPqTjvkQrDVfNCkTOYQm',
  '2hbOIDEcjRUIGxjw5zQS9adV5NjJWngf0NzSVimPqJnM4pXKCbXzJj63i6MVDDhk',
  'H/dnV9yFZbWNO8aIVxaaGTqpHsMZP2ZSg1b9BZ95kce8swLHyp1WUtsc1iAss41Z',
  '9TfuAYjNAgMBAAECggEADbDgL72AACXsR+MjPgh7P66MQewb8N/Gv6N+Qn1dqYQD',
  'gnaMW5mHwp5NLeVD0tlX7daFHiSbkDUnf2RiU6rL4CN5S3ZBa5qUkkIR21dHqeK8',
  'GP0I/vEMpuCvWP29CRk2o4oO9LNRwyqWEDQbxPpqMBk4JTNW9LcLMiL6EeF9UCjh',
  'V59dz2oWOODYPUYmCt3zx57K0Kg2A25IOIS0ePGlySEZv256BnyHy/Y2IqkV/pKN',
  'pOOX6OkHuBej2fqoP5sF+8LidhX9HcmXsU1L73WYn46/38cxYDb5/5huD/O+aTI6',
  'XDOJD83B0pvrIXhHpU0Lvw2gwBwSJMWuBaNy37m4IQKBgQDDUI36LFqCO7INMr9C',
  '8VLQuOlJBbfZxB1MX4k5BjKWBrH/NrsjthDghWUPy64ZV/mpsFjoNTh0ZZ2FpKZ4',
  'xeVFxBv+2PYyLgND09gOuoCdMNr0uYfd3nmwUa3gknrunn+jzOe6c+46Sxu2Tgzb',
  'Kwrz2BQB0KB0/EfRd6MR3PWP5wKBgQC2xGeP8MOPBJ2fiR+I6bArhByUhvwY83zv',
  'QmYZLhA+Cc49Xnfgc1Xq0hLKHHCKuo9RsYPAxIt85AxNEGxnFZ+Z0fZ7IuOcCawe',
  'dfvYQP2LFkp77P1iexBypXi041NfDSFvaIQq/YV0O2NhNhKJUC0AU1Rkr76LOM8j',
  'Fe3fEiMbKwKBgQClBU6v7QGbv2w0kofeu57JEzKnq9kmePh4Ks/6Ci57a7TAeTGs',
  'fovL52j365Nxfk9G++RibXUBg0mQPQkaSbnpNESjEhURWKcRi8+kwhcguMKGuqr8',
  '3pfaTWinsZuEOQ6HCv1PH9xMDGGhqlhaZQef9xUQY4Du1qinZnm1AgfISQKBgG2M',
  'V87NL0pgJ+JiHIbCG5hZvY/BQQXrnC0FDZF2LMIiun3KS+w69XqkpCKE3Wgp3pHG',
  '5wP6Sul2/3CJsZAwQ9O9KBIynV7/5Sz05xl+Cvr9R3P0XwRSY090o185CtXkVvAi',
  'I2ZpQz6iAjVYZc/sQKz7RZB8TqfAS1fqYwPcKTK1AoGAf27Nrd0BpBQn8fbDKn5Y',
  '2WBvuRX6mPU5WCUr1hmrBTxwwBdAhH3vBoi8W+Ji8YmFBqsyg+68St/CEWEEcLwl',
  'B3tIrbaZN0npsHKXhi9XZ4g5X55K/0WTK0vF3O1hwx4vangjuB7C2+EqkI3t4Rdw',
  'nZmod5e0fSZyu6NkxjDnDbk=',
  '-----END PRIVATE KEY-----',
].join('\n');
/** The kid the classroom issuer's tokens carry (its genuine ones and the forgery alike). */
const CLASSROOM_ISSUER_KID = 'swaad-2031';
let issuerKeys: { privateKey: KeyObject; publicKeyPem: string } | undefined;
/**
 * The classroom's other signing keys for read-a-token material, one per algorithm (RFC 8725 §3.1;
 * RS256 is the Swaad issuer's key above). Published on purpose, like it: they sign nothing but
 * classroom tokens. Made with openssl genpkey (RSA 2048 bits; Ed25519).
 */
const CLASSROOM_PRIVATE_KEYS = {
  RS384: [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEuwIBADANBgkqhkiG9w0BAQEFAASCBKUwggShAgEAAoIBAQDUaa5HSqK1dOTA',
  '7OP+pKFcuvn4jVNmP2Kt0NfGmBiZuY1Jqg9rTyvutIP6WgQlCVJD3ixQBreMl/1Z',
  'zjy+uyt52my7rTCiz5+IN9znWp5AvWFyJK2MDKRKxseI1pTjhOSNMB6N097ca6Ap',
  'B2TPeNLtM28v6US3mjlbDdH5PkNS4M8K8Pk/IbQnSdqLaMJlfhAWKHDuBaGbQwHs',
  'eCZ6aigDmLe/G6Ku+VUk7Kmn3EaW+7Z781Kt4/1CDM4x3gjFBJGAlDdAPCZ+IGUv',
  'hCdlNohtL+j7k3zqaj5kQtCfFKHYpI+kMPV5vzSDJ2uOVHM+Q/XRjlNr+7gIrHiX',
  'F9dlCUphAgMBAAECgf9S+PUa5Ayq1P6GXgKxdZ2Sm3cJoCrzxc7GFs4yxTbW1aRb',
  'IhLj2AlRNTJYmNEFpp575E1q9TS9tqFAc09HMdXJw4i1xvE4p+GpVCj2Nm+a2l82',
  'Nx2Tl1yV2RAYY7nFJiQhAqrsu9ZSQ7hMTpcSdB/wiCbmkDhHf/bnmn5q3edud6vo',
  'iYAr0mwQysV1zcrIJpWdfTh22CSk5F4cmV4/pIsSNSUfI4I+kL2gaYWFWZk+nYSF',
  'BcivkMGC855Hc2lPhYUjAL0GsiWpzMQh7Yz695qj5NHMmwW/3/KkzWWRx2EyfrKa',
  'Ksi30dDS0BoQBSEJ5jAqlmf2NZDOirEVG8y/QAECgYEA92+ryGJet722hlO4JJqV',
  'McvrR+RWjoepovLCVSSpr3u4UZp/pyAwLvjJWDJlLJ3u0+40DwApMm3BUrrjwf6K',
  'OlOcV/xM1WKFKms8Bw6eu86rPSBKQzJDVJeuuOukqMSr59rR5JA9jA8DJgayNo8r',
  'Y5mP9ZslKTfmUKF7De+zOuECgYEA28OyOUoEBvC1BsWTz35Bh9lpGcwT620b5qVQ',
  'v84LPmIdSSPiDH88Yx7yTIKYE1Spp1QLSYuOJDtxjMtH3m0MsaaCbo0QJzp2Sky+',
  'sn46JKoLLKRwFPhqP4L6Y4yWgNG7fASY9QvNF3KITYdSYu8GEg0MQs9DSaeJ//Yf',
  'pfzjf4ECgYBlJWsNYNjjN1PzmSl/HQm772XgX4Dahq5bg+zYrUIIEAUKpqNkCA5q',
  'RRzZRtCA6paEX608LI6qpJ8QWIFd/dU3fpI8jVBDMiDJdEh3ggx1LUhmllqFGXjY',
  'jaDIytrmem7jOlnumt/t7v0UgEw9bU0JS+7DMYaBUO5/K2OIEOItQQKBgGwzVu2D',
  '9qWgH9D8uEDBzevf7DJKW0hfiQwvOqmk/b4yOm8HXsV+Y7H9y5hF+DAUUA9VftUw',
  'A8TtC4Qhlfn6QPS6oZ9ijqBx1UnRrVZedawVmLjbIWAByvYIO9WFo5g7Kw7tiI2l',
  'yM2Rk3Bwfuy8+IUsrWu7dkquVXCTspNcBnqBAoGBAISRrjMvKfqlewQbDy5Tq0YI',
  'h8I4BA7HRGOpL1lbaVCh89lWB2A3iFnPUtx81+XPoYoTUeK8NF/VW88FGUnKVz5X',
  'K4MVRu2vKeXxobJ3jH6lFtSoYLcrT/UcMdu3MgTDpwQGQdvOBLhraL8LlHzO5lyF',
  'eck6//2zy6pgDFDRN4XQ',
  '-----END PRIVATE KEY-----',
  ].join('\n'),
  RS512: [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC6gKoKMnlLs4lM',
  'UU/KYMx85KR/JI2xjKgQOchMcNCu7SnzlFvRDJ1+95gAQH9RJDFLxegEzmkYk77z',
  'ha9mfbVHHuaSzoARcIM90rMVvT6yCTSBBeM+Q4q+VuaqXM2Pna1INe+sPd7NIlqH',
  'Myv1EAXiOcL/6UJjnIwKU+uDq1HY93MSeNYnzwkdhZkRuhkg93k3n3xrSUHybYxE',
  'fXVWrAns7Wp60CiNK2VCVSJZslH3Xp9A/pbucvJpeiy8V3MhczPuxr/mX/HtYz/e',
  'DrLXJKQ929vniIbYxCp0IPAdl1e/9SYb2jIMnDYmsDQ7Pi2y77KdbsvmZ3sNdoqR',
  'vh3kb2g9AgMBAAECggEAFoAfWPZDRqwftw1i9aToBslZmd1BxayVOh/pLQ+58uC6',
  'BvZcfW7AMZPoIApSpz9ukxhf/Z8eyXr0YVI87xM2I6EewDzERquu/xkZx1hQOrp8',
  'PcoFYyWoP353JbvnMO8c+3FGZnQFxUniZ3KiWFaD3zSIyhx3iKetCDHyYALzRPGg',
  '5XA5JPQn/t7pt7mMdpW2vKEDDia3l8otNRqmPWgb2OChLLFfJYWaMCcTdtvBYDN1',
  'WKlY5MPScle5fHfO1y+Fum6elL+rc+rCTr8HxpEes+rv2QRti6u+ptahWC6ecAg/',
  'AnYV1WFCBoTCtJSgxHJ/tuZ3nG3w0jw94FO9uF+VIQKBgQDgJTrLXPKIeeFq1R5F',
  'IAnkqS4g4qKtNfNulpq48XUoY2qjgvBIpya6oNpxPkIN5Lmk9KRXqqtQHKTyrpuu',
  'slCHb8cPX9rqiZqdh7FkqRn0nDFL/DwArm2wiP6BngBhsd2gy2aoCWF2rEQUcyUM',
  'FH4AbUaqpYx9yXxWUIvTQfrBDwKBgQDVAe2IQBzsz/grxugwuqmhboFBJAGoNhLd',
  'CIxJeWKdeALtN68j+IOYvp8YyGdzmtHeMMQM5ygEAsTIz8kLAct7vJdxj3goV5TN',
  'Bvle6+A1Yfro5QfB0tU8RiOibXWXjkOV4+3JtMZ3ZBl03r2yNGX93RHQ3N2rJl8L',
  '3zvaLBVp8wKBgGnHKAfwxURCwG56RN66T/DpJiu+yKaVX1xBFqNQz8lPoXOox1yC',
  'BXTtlCj9CI8l8bY2/Zeho1cbLXyZij7XR8mipn5K7jTg22acMsseQnF9hIYncumf',
  'Z4R4IiNpPSTdm4nWc4u5YZVvlnFQJZud0BjDeSXvGm4CN/tD57i62mthAoGAQt6O',
  'ET3/VqCbSjLxZYrUAefNEAQbuRDwrw8l61L+EG1CjfHzO5mixmrhS0huoa4ywEwS',
  '3/IZb9jmqhwBA0GW/ctgx7fAgvmrrwnHc3MdOeT+feqYmtJzOq7SNQWj6uYwdXfO',
  'iIoF3ClCjJv4dV9ZvW6PT0BnHnm3UOTNx1obht0CgYBxWcdMYcjqToS8slB55t8r',
  'pcy50vNWmVDc2jVBWRMyi5kW0To2yOElBuR0wixiQ/NhkMK+dynDzqUfhxpDcZm2',
  'Tvb65Tg3RV23q1L44agVcKVAMloa6A6Eg4jRxnh0//Gv1VwGZ21QKHdK+m46E+Tw',
  'R1Dl9Lyx227Wd+sqNuJWDw==',
  '-----END PRIVATE KEY-----',
  ].join('\n'),
  // One Ed25519 key for EdDSA and Ed25519: two names of one algorithm (RFC 8037, RFC 9864).
  Ed25519: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIFr6hanoa9meFBC86ovsecF8wCTiK6doU2HK+6zP0tED\n-----END PRIVATE KEY-----',
} as const;

/** The classroom issuer's key pair; the public half as PEM text, exactly as a file holds it. */
export function classroomIssuerKeys(): { privateKey: KeyObject; publicKeyPem: string } {
  if (!issuerKeys) {
    const privateKey = createPrivateKey(CLASSROOM_ISSUER_PRIVATE_KEY);
    issuerKeys = { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
  }
  return issuerKeys;
}
const BASE_TIME = 1_893_456_000; // 2030-01-01T00:00:00Z: fixed, so a seed's token never changes.

/** A deterministic stream of numbers for one seed and one exercise. */
function randomFor(seed: string, exerciseId: string) {
  let counter = 0;
  return (modulo: number) => {
    const digest = createHmac('sha256', seed).update(`${exerciseId}:${counter++}`).digest();
    return digest.readUInt32BE(0) % modulo;
  };
}

const base64url = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function hmacToken(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const input = `${base64url(header)}.${base64url(payload)}`;
  const hash = `sha${String(header.alg).slice(2)}`;
  return `${input}.${createHmac(hash, secret).update(input).digest('base64url')}`;
}

function rs256Token(payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${base64url({ alg: 'RS256', typ: 'JWT', kid: CLASSROOM_ISSUER_KID })}.${base64url(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/**
 * The algorithms token-any-alg material is signed with: each signs the same way every time.
 * token material uses the HMAC ones only, since it gives the learner a {{secret}}.
 */
const READ_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'EdDSA', 'Ed25519'] as const;
const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
type ReadAlgorithm = (typeof READ_ALGORITHMS)[number];

/** An issuer for read-a-token material: https://auth.<company>.example, one of many companies. */
const issuerFrom = (random: (modulo: number) => number) => `https://auth.${ISSUER_COMPANIES[random(ISSUER_COMPANIES.length)]!}.example`;
const classroomKeyPairs = new Map<ReadAlgorithm, { privateKey: KeyObject; publicKeyPem: string }>();

/** The classroom key pair of an asymmetric algorithm; the public half as PEM text. */
function keyPairFor(alg: Exclude<ReadAlgorithm, keyof typeof CLASSROOM_SECRETS>): { privateKey: KeyObject; publicKeyPem: string } {
  if (alg === 'RS256') return classroomIssuerKeys();
  let pair = classroomKeyPairs.get(alg);
  if (!pair) {
    const privateKey = createPrivateKey(CLASSROOM_PRIVATE_KEYS[alg === 'EdDSA' ? 'Ed25519' : alg]);
    pair = { privateKey, publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString() };
    classroomKeyPairs.set(alg, pair);
  }
  return pair;
}

/**
 * A token signed with the classroom key of `alg`, and the key that verifies it: the secret for
 * HS256, HS384 and HS512 (verify --secret), the public key as PEM text for the others (verify --key).
 */
function classroomToken(alg: ReadAlgorithm, payload: Record<string, unknown>): { token: string; key: string } {
  if (alg === 'HS256' || alg === 'HS384' || alg === 'HS512') return { token: hmacToken({ alg, typ: 'JWT' }, payload, CLASSROOM_SECRETS[alg]), key: CLASSROOM_SECRETS[alg] };
  const { privateKey, publicKeyPem } = keyPairFor(alg);
  const input = `${base64url({ alg, typ: 'JWT' })}.${base64url(payload)}`;
  // Ed25519 hashes inside the algorithm (no digest name); RSxxx names its SHA-2 hash.
  const digest = alg === 'EdDSA' || alg === 'Ed25519' ? null : `sha${alg.slice(2)}`;
  return { token: `${input}.${sign(digest, Buffer.from(input), privateKey).toString('base64url')}`, key: publicKeyPem };
}

export type Material = Record<string, string>;

/** Where the DPoP proofs of dpop-request material go: a token endpoint (a proof there needs no ath, RFC 9449 §5). */
const TOKEN_PATHS = ['/token', '/oauth/token', '/oauth2/token', '/v1/token'];

/** How many public keys dpop-bound-token material offers, one of them the token's. */
const BOUND_KEY_COUNT = 3;

/**
 * A P-256 public key as a JWK with a kid, made from a seed (ECDH derives the public point of a
 * private scalar), and its RFC 7638 thumbprint: SHA-256 of the required members crv, kty, x, y
 * (never kid) in that lexical order, as JSON with no spaces, in base64url.
 */
function seededP256Key(seed: string, name: string): { jwk: string; jkt: string; kid: string } {
  const ecdh = createECDH('prime256v1');
  // A 32-byte scalar is below the curve's order but for odds of about 2^-32; then hash again.
  for (let round = 0; ; round++) {
    try {
      ecdh.setPrivateKey(createHmac('sha256', seed).update(`${name}:${round}`).digest());
      break;
    } catch {
      // Not a valid private key: try the next round's bytes.
    }
  }
  const point = ecdh.getPublicKey();
  const x = point.subarray(1, 33).toString('base64url');
  const y = point.subarray(33, 65).toString('base64url');
  const jkt = createHash('sha256').update(`{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`).digest('base64url');
  const kid = `swaad-tv-${createHmac('sha256', seed).update(`${name}:kid`).digest('hex').slice(0, 6)}`;
  return { jwk: JSON.stringify({ kty: 'EC', crv: 'P-256', kid, x, y }), jkt, kid };
}

/** How the issuer of flawed-token material signs its genuine tokens. */
type FlawedIssuer = { alg: 'HS256'; sign: (payload: Record<string, unknown>) => string } | { alg: 'RS256'; sign: (payload: Record<string, unknown>) => string; publicKeyPem: string };

function flawedIssuer(kind: string): FlawedIssuer {
  if (kind !== 'flawed-token-rs256') return { alg: 'HS256', sign: (payload) => hmacToken({ alg: 'HS256', typ: 'JWT' }, payload, CLASSROOM_SECRETS.HS256) };
  const { privateKey, publicKeyPem } = classroomIssuerKeys();
  return { alg: 'RS256', sign: (payload) => rs256Token(payload, privateKey), publicKeyPem };
}

export function generateMaterial(kind: string, seed: string, exerciseId: string, pool: string[] = []): Material {
  const random = randomFor(seed, exerciseId);
  // The draws before the flaw keep their number and order, so a seed keeps its flaw whatever the pools hold.
  const sub = NAMES[random(NAMES.length)]!;
  const aud = AUDIENCES[random(AUDIENCES.length)]!;
  // One draw serves both kinds: 24 is a multiple of 8 and of 3, so either pick is even.
  const alg = random(READ_ALGORITHMS.length * HMAC_ALGORITHMS.length);
  const iat = BASE_TIME + random(365) * 86_400 + random(86_400);
  const exp = iat + (5 + random(56)) * 60;
  if (kind === 'token') {
    // HMAC only: a pack may mint or verify with {{alg}} and {{secret}}, so the token needs one.
    const hmac = HMAC_ALGORITHMS[alg % HMAC_ALGORITHMS.length]!;
    const iss = issuerFrom(random);
    const { token, key } = classroomToken(hmac, { iss, sub, aud, iat, exp });
    return { token, sub, aud, alg: hmac, iss, exp: String(exp), expIso: isoFromSeconds(exp), secret: key };
  }
  if (kind === 'token-any-alg') {
    // Any algorithm that signs the same way every time; {{key}} verifies it (no {{secret}}).
    const any = READ_ALGORITHMS[alg % READ_ALGORITHMS.length]!;
    const iss = issuerFrom(random);
    const { token, key } = classroomToken(any, { iss, sub, aud, iat, exp });
    return { token, sub, aud, alg: any, iss, exp: String(exp), expIso: isoFromSeconds(exp), key };
  }
  if (kind === 'pkce-verifier') {
    const verifier = createHash('sha256').update(`${seed}:${exerciseId}:verifier`).digest('base64url');
    return { verifier, challenge: s256Challenge(verifier) };
  }
  if (kind === 'random-secret') {
    // A model answer for "make a random secret": 32 random bytes, new each time it is shown, so
    // the solution never prints one secret for everyone (a published secret is no secret).
    return { secret: randomBytes(32).toString('base64') };
  }
  if (kind === 'dpop-request') {
    // A proof for the token endpoint of one of many companies: POST, and a URL of the learner's own.
    const url = `${issuerFrom(random)}${TOKEN_PATHS[random(TOKEN_PATHS.length)]!}`;
    return { method: 'POST', url };
  }
  if (kind === 'dpop-bound-token') {
    // Three public keys of the learner's own, and an access token bound to one of them (cnf.jkt,
    // RFC 9449 §6.1), signed by the classroom Swaad issuer with typ at+jwt (RFC 9068 §2.1).
    const keys = Array.from({ length: BOUND_KEY_COUNT }, (_unused, index) => seededP256Key(seed, `${exerciseId}:key-${index}`));
    const bound = random(keys.length);
    const payload = { iss: FLAWED_ISSUER, sub, aud: 'https://api.swaad.example', client_id: 'swaad-tv', scope: 'orders:read', iat, exp, jti: createHash('sha256').update(`${seed}:${exerciseId}:jti`).digest('hex').slice(0, 16), cnf: { jkt: keys[bound]!.jkt } };
    const input = `${base64url({ alg: 'RS256', typ: 'at+jwt', kid: CLASSROOM_ISSUER_KID })}.${base64url(payload)}`;
    const token = `${input}.${sign('sha256', Buffer.from(input), classroomIssuerKeys().privateKey).toString('base64url')}`;
    return { token, keyA: keys[0]!.jwk, keyB: keys[1]!.jwk, keyC: keys[2]!.jwk, kid: keys[bound]!.kid, jkt: keys[bound]!.jkt };
  }
  if (kind === 'oauth-state') {
    // A state for one authorization request, 128 random bits like openssl rand -hex 16, new each
    // time it is shown: a state must never be reused (RFC 9700 §4.7.1), and it is not an answer.
    return { state: randomBytes(16).toString('hex') };
  }
  // flawed-token (an HS256 issuer with the classroom secret) or flawed-token-rs256 (an RS256
  // issuer whose public key the learner gets): one flaw from the pool, picked by the seed; the
  // API it arrives at is food-api.
  const issuer = flawedIssuer(kind);
  const flaw = pool[random(pool.length)] ?? 'expired';
  const now = BASE_TIME + 400 * 86_400;
  const iss = FLAWED_ISSUER;
  const good = { iss, sub, aud: 'food-api', iat: now - 60, exp: now + 600 };
  let token: string;
  switch (flaw) {
    case 'alg-none':
      token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(good)}.`;
      break;
    case 'expired':
      token = issuer.sign({ ...good, iat: now - 7200, exp: now - 3600 });
      break;
    case 'wrong-audience':
      token = issuer.sign({ ...good, aud: 'payments-api' });
      break;
    case 'tampered': {
      // A genuine token whose payload was changed afterwards: the old signature no longer fits.
      const [header, , signature] = issuer.sign(good).split('.');
      token = `${header}.${base64url({ ...good, sub: 'admin' })}.${signature}`;
      break;
    }
    case 'key-confusion':
      // RS256 -> HS256 key confusion (RFC 8725 §2.1): an HMAC whose secret is the issuer's public
      // key, byte for byte the PEM text a naive library reads from the key file. Only an issuer
      // with a public key can be attacked this way; the schema refuses it for an HS256 issuer.
      if (issuer.alg !== 'RS256') throw new TypeError('key-confusion material needs the kind flawed-token-rs256');
      token = hmacToken({ alg: 'HS256', typ: 'JWT', kid: CLASSROOM_ISSUER_KID }, good, issuer.publicKeyPem);
      break;
    case 'weak-secret':
      token = hmacToken({ alg: 'HS256', typ: 'JWT' }, good, 'secret');
      break;
    default:
      token = issuer.sign({ iss, sub, aud: 'food-api', iat: now - 60 });
  }
  const common = { token, flaw, now: String(now), nowIso: isoFromSeconds(now) };
  return issuer.alg === 'RS256' ? { ...common, issuerKey: issuer.publicKeyPem } : { ...common, secret: CLASSROOM_SECRETS.HS256 };
}
