// Reads --users and --clients files. A file that does not parse or fit is refused with an error
// that names the file, the entry and the field.

import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.js';
import { describeInvalidJson } from '../text/json-error-position.js';
import { SUPPORTED_SCOPES, type Client, type User } from './directory.js';

async function readJson(path: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError('ERR_CONFIG_FILE', `${flag} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}).`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the file; a users file holds passwords, so only the place is told.
    throw new InputError('ERR_CONFIG_FILE', `${flag} ${path}: ${describeInvalidJson(text)}.`);
  }
}

function listIn(json: unknown, key: string, path: string, flag: string): Record<string, unknown>[] {
  const list = (json as Record<string, unknown> | null)?.[key];
  if (typeof json !== 'object' || json === null || !Array.isArray(list) || list.length === 0) {
    throw new InputError('ERR_CONFIG_FILE', `${flag} ${path}: expected {"${key}": [ … ]} with at least one entry.`);
  }
  return list.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InputError('ERR_CONFIG_FILE', `${flag} ${path}: ${key}[${index}] must be an object.`);
    }
    return entry as Record<string, unknown>;
  });
}

function requireString(entry: Record<string, unknown>, field: string, where: string): string {
  const value = entry[field];
  if (typeof value !== 'string' || value === '') throw new InputError('ERR_CONFIG_FILE', `${where}: "${field}" must be a non-empty string.`);
  return value;
}

function requireUrlList(entry: Record<string, unknown>, field: string, where: string, required: boolean): string[] | undefined {
  const value = entry[field];
  if (value === undefined && !required) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.some((item) => typeof item !== 'string')) {
    throw new InputError('ERR_CONFIG_FILE', `${where}: "${field}" must be a non-empty list of URLs.`);
  }
  for (const url of value as string[]) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InputError('ERR_CONFIG_FILE', `${where}: "${field}" holds "${url}", which is not an absolute URL.`);
    }
    if (parsed.hash || url.includes('#')) throw new InputError('ERR_CONFIG_FILE', `${where}: "${field}" holds "${url}"; a redirect URI must not have a fragment (RFC 6749 §3.1.2).`);
  }
  return value as string[];
}

/** RFC 6749 §3.3: a scope token is printable ASCII without space, double quote or backslash. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

function requireScopeList(entry: Record<string, unknown>, where: string): string[] | undefined {
  const value = entry.scopes;
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new InputError('ERR_CONFIG_FILE', `${where}: "scopes" must be a list of scope names, such as ["orders:read"].`);
  const scopes: string[] = [];
  for (const scope of value as unknown[]) {
    if (typeof scope !== 'string' || !SCOPE_TOKEN.test(scope)) {
      throw new InputError('ERR_CONFIG_FILE', `${where}: "scopes" holds ${JSON.stringify(scope)}; a scope is a non-empty word of printable ASCII without spaces, quotes or backslashes (RFC 6749 §3.3).`);
    }
    if (SUPPORTED_SCOPES.includes(scope)) {
      throw new InputError('ERR_CONFIG_FILE', `${where}: "scopes" holds "${scope}", a user's scope; "scopes" lists what the app may get for itself with client_credentials, and every app may ask a user for ${SUPPORTED_SCOPES.join(' ')}.`);
    }
    if (scopes.includes(scope)) throw new InputError('ERR_CONFIG_FILE', `${where}: "scopes" holds "${scope}" twice.`);
    scopes.push(scope);
  }
  return scopes;
}

export async function loadUsers(path: string): Promise<User[]> {
  const entries = listIn(await readJson(path, '--users'), 'users', path, '--users');
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `--users ${path}: users[${index}]`;
    const user = { ...entry } as User;
    for (const field of ['sub', 'email', 'password', 'name']) requireString(entry, field, where);
    if (seen.has(user.sub)) throw new InputError('ERR_CONFIG_FILE', `${where}: "sub" ${JSON.stringify(user.sub)} is used twice; each user needs their own.`);
    seen.add(user.sub);
    return user;
  });
}

const CLIENT_FIELDS = ['client_id', 'client_secret', 'client_name', 'redirect_uris', 'post_logout_redirect_uris', 'scopes', 'jwks'];
/** A client registers a few keys (one signing, one or two on their way in or out). */
const MAX_CLIENT_KEYS = 10;
/** Members only a private or symmetric JWK has: a registered key must be public. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The client's public keys for private_key_jwt: {"keys": [JWK, …]}, each an RSA, EC or OKP public key. */
function requireJwks(entry: Record<string, unknown>, where: string): Client['jwks'] {
  const value = entry.jwks;
  if (value === undefined) return undefined;
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof value !== 'object' || value === null || !Array.isArray(keys) || keys.length === 0 || keys.length > MAX_CLIENT_KEYS) {
    throw new InputError('ERR_CONFIG_FILE', `${where}: "jwks" must be {"keys": [ … ]} with 1 to ${MAX_CLIENT_KEYS} public keys (JWK, RFC 7517 §5), for private_key_jwt.`);
  }
  return {
    keys: keys.map((key: unknown, index: number) => {
      const at = `${where}: "jwks".keys[${index}]`;
      if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new InputError('ERR_CONFIG_FILE', `${at} must be a JWK object.`);
      const jwk = key as Record<string, unknown>;
      if (!['RSA', 'EC', 'OKP'].includes(jwk.kty as string)) throw new InputError('ERR_CONFIG_FILE', `${at} has kty ${JSON.stringify(jwk.kty ?? null)}; private_key_jwt needs an asymmetric key: RSA, EC or OKP.`);
      if (PRIVATE_JWK_MEMBERS.some((member) => Object.hasOwn(jwk, member))) throw new InputError('ERR_CONFIG_FILE', `${at} holds private key material; register only the public key (the client keeps the private one).`);
      try {
        createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      } catch (error) {
        throw new InputError('ERR_CONFIG_FILE', `${at} is not a usable public key (${(error as Error).message}).`);
      }
      return { ...jwk };
    }),
  };
}

export async function loadClients(path: string): Promise<Client[]> {
  const entries = listIn(await readJson(path, '--clients'), 'clients', path, '--clients');
  const seen = new Set<string>();
  return entries.map((entry, index) => {
    const where = `--clients ${path}: clients[${index}]`;
    // A misspelt field ("scope" for "scopes") would otherwise be dropped and the client quietly differ from the file.
    for (const field of Object.keys(entry)) {
      if (CLIENT_FIELDS.includes(field)) continue;
      const near = CLIENT_FIELDS.find((known) => known.startsWith(field) || field.startsWith(known));
      throw new InputError('ERR_CONFIG_FILE', `${where}: "${field}" is not a client field${near ? `; did you mean "${near}"?` : '.'} A client has ${CLIENT_FIELDS.join(', ')}.`);
    }
    const client: Client = { client_id: requireString(entry, 'client_id', where), redirect_uris: requireUrlList(entry, 'redirect_uris', where, true)! };
    if (entry.client_secret !== undefined) client.client_secret = requireString(entry, 'client_secret', where);
    if (entry.client_name !== undefined) client.client_name = requireString(entry, 'client_name', where);
    const logout = requireUrlList(entry, 'post_logout_redirect_uris', where, false);
    if (logout) client.post_logout_redirect_uris = logout;
    const jwks = requireJwks(entry, where);
    if (jwks) client.jwks = jwks;
    const scopes = requireScopeList(entry, where);
    if (scopes && client.client_secret === undefined && !jwks) {
      throw new InputError('ERR_CONFIG_FILE', `${where}: "scopes" are for client_credentials, which only a confidential client (one with a client_secret or a jwks) may use.`);
    }
    if (scopes) client.scopes = scopes;
    if (seen.has(client.client_id)) throw new InputError('ERR_CONFIG_FILE', `${where}: "client_id" ${JSON.stringify(client.client_id)} is used twice.`);
    seen.add(client.client_id);
    return client;
  });
}
