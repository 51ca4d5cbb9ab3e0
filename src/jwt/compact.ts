// Splits a compact JWS (3 parts) or JWE (5 parts) and decodes its segments with jose's
// base64url, naming the segment and the problem when something is wrong. Verifies nothing.

import { decode as decodeBase64url } from 'jose/base64url';
import { assertJsonDepth } from './untrusted-json.js';
import { InputError } from '../errors.js';
import { terminalSafe } from '../text/terminal-safe.js';

export type TokenType = 'JWT' | 'JWS' | 'JWE';

export interface ParsedToken {
  type: TokenType;
  /** The raw base64url segments, in order. */
  segments: string[];
  header: Record<string, unknown>;
  /** The claims when the payload is a JSON object (a JWT); null for a JWE. */
  payload: Record<string, unknown> | null;
  /** The payload as text when it is not a JSON object (a JWS that is not a JWT). */
  payloadText: string | null;
  /** The signature segment as base64url (empty for an unsecured token). */
  signature: string;
  signatureBytes: number;
}

const JWS_SEGMENT_NAMES = ['header', 'payload', 'signature'];
const JWE_SEGMENT_NAMES = ['protected header', 'encrypted key', 'initialization vector', 'ciphertext', 'authentication tag'];
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function parseCompact(token: string): ParsedToken {
  const segments = token.split('.');
  if (segments.length !== 3 && segments.length !== 5) {
    throw new InputError(
      'ERR_TOKEN_SEGMENTS',
      `A compact token has 3 dot-separated segments (header.payload.signature), or 5 for an encrypted JWE; this one has ${segments.length}.`,
      segments.length === 1 ? 'This does not look like a JWT; check that the whole token was copied.' : 'Check that the whole token was copied, with no part cut off.',
    );
  }
  const names = segments.length === 3 ? JWS_SEGMENT_NAMES : JWE_SEGMENT_NAMES;
  segments.forEach((segment, index) => checkBase64url(segment, names[index]!));

  const header = decodeJsonObject(segments[0]!, names[0]!);
  if (segments.length === 5) {
    return { type: 'JWE', segments, header, payload: null, payloadText: null, signature: '', signatureBytes: 0 };
  }
  if (segments[0] === '') {
    throw new InputError('ERR_TOKEN_HEADER_JSON', 'The header segment is empty.');
  }
  const payloadBytes = decodeSegment(segments[1]!, 'payload');
  const payloadText = new TextDecoder().decode(payloadBytes);
  const payload = parseJsonObject(payloadText);
  const signature = segments[2]!;
  return {
    type: payload ? 'JWT' : 'JWS',
    segments,
    header,
    payload,
    payloadText: payload ? null : payloadText,
    signature,
    signatureBytes: decodeSegment(signature, 'signature').length,
  };
}

function checkBase64url(segment: string, name: string): void {
  if (!BASE64URL.test(segment)) {
    const bad = [...segment].findIndex((character) => !/[A-Za-z0-9_-]/.test(character));
    const character = segment[bad]!;
    const advice = character === '=' || character === '+' || character === '/'
      ? ` ("${character}" belongs to plain base64; base64url uses "-" and "_" and no "=" padding)`
      : '';
    throw new InputError(
      'ERR_TOKEN_BASE64URL',
      `The ${name} segment is not base64url: "${terminalSafe(character)}" at position ${bad + 1}${advice}.`,
    );
  }
  if (segment.length % 4 === 1) {
    throw new InputError('ERR_TOKEN_BASE64URL', `The ${name} segment is not base64url: its length (${segment.length}) is impossible.`);
  }
}

function decodeSegment(segment: string, name: string): Uint8Array {
  try {
    return decodeBase64url(segment);
  } catch {
    throw new InputError('ERR_TOKEN_BASE64URL', `The ${name} segment is not base64url.`);
  }
}

function decodeJsonObject(segment: string, name: string): Record<string, unknown> {
  const text = new TextDecoder().decode(decodeSegment(segment, name));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError('ERR_TOKEN_HEADER_JSON', `The ${name} is not JSON: it decodes to "${preview(text)}".`);
  }
  if (!isPlainObject(value)) {
    throw new InputError('ERR_TOKEN_HEADER_JSON', `The ${name} must be a JSON object; it is ${describeJsonValue(value)}.`);
  }
  assertJsonDepth(value, `The ${name}`);
  return value;
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(value)) return null;
  assertJsonDepth(value, 'The payload');
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function preview(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return terminalSafe(shown);
}
