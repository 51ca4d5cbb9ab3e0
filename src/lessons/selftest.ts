// A self-test of exercises, for teachers writing a pack (and for this repository's tests): each
// exercise's reference solution must pass its check, and an empty answer must fail it. The
// solution's answers are made the way a learner would make them: its commands are run through
// the CLI, and an access token comes from Mock Google by the by-hand flow.

import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { newCodeVerifier, s256Challenge } from '../protocol/pkce.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { runCheck, type CheckLine, type PatternStall } from './checks.js';
import { providerFlowOf, type Check, type Exercise } from './exercise-schema.js';
import { materialFor, otherVersionsOf } from './exercises.js';
import { fillTemplate } from './template.js';
import { CHECK_PATTERNS_TIME_BUDGET_MS, PATTERN_TIME_LIMIT_MS, checkInTwoRounds, matchPattern, slowPatternProbes, type PatternBudget } from './pattern-match.js';
import { solutionCommandWords } from './solution-commands.js';

/** Runs one jwt-vs-oauth command (its words after the program name) and returns what it printed. */
export type CommandRunner = (words: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

/** The running provider a provider-token exercise is checked against, and a user who can sign in there. */
export interface SelftestProvider {
  issuer: string;
  user: { email: string; password: string };
}

export interface SelftestOutcome {
  id: string;
  title: string;
  ok: boolean;
  /** Whether the reference solution passed its check. */
  solutionPasses: boolean;
  /** Whether an empty answer failed, as it must. */
  emptyAnswerFails: boolean;
  /** What went wrong, in words, when not ok. */
  problem?: string;
}

/** The by-hand OAuth flow a learner does with a browser and curl: PKCE, sign in, allow, redeem. */
export async function accessTokenByHand(provider: SelftestProvider, scope: string): Promise<string> {
  const [{ signInAtProvider, UserAgent }, { authorizationUrl }] = await Promise.all([import('../oauth/user-agent.js'), import('../oauth/client-protocol.js')]);
  const redirectUri = 'http://127.0.0.1/callback';
  const verifier = newCodeVerifier();
  const url = authorizationUrl(`${provider.issuer}/authorize`, { clientId: 'demo-app', redirectUri, scope, state: randomBytes(8).toString('hex'), codeChallenge: s256Challenge(verifier) });
  const signedIn = await signInAtProvider(new UserAgent(), url, { ...provider.user, allow: true });
  if (!signedIn.callbackUrl) throw new Error(`Mock Google did not send the browser back (status ${signedIn.errorPage?.status}).`);
  const code = new URL(signedIn.callbackUrl).searchParams.get('code') ?? '';
  return accessTokenFrom(await fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { ...FORM, authorization: DEMO_APP_BASIC },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
  }));
}

/** The token endpoint's answer: its access token, or an error that says what it answered. */
async function accessTokenFrom(response: Response): Promise<string> {
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!body.access_token) throw new Error(`The token endpoint answered ${response.status}: ${body.error_description ?? body.error ?? 'no access token'}.`);
  return body.access_token;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const DEMO_APP_BASIC = `Basic ${Buffer.from('demo-app:demo-secret').toString('base64')}`;

/** Client credentials, as a learner's curl -u demo-app:demo-secret -d grant_type=client_credentials does (RFC 6749 §4.4). */
export async function clientCredentialsByHand(provider: SelftestProvider, scope: string): Promise<string> {
  return accessTokenFrom(await fetch(`${provider.issuer}/token`, { method: 'POST', headers: { ...FORM, authorization: DEMO_APP_BASIC }, body: new URLSearchParams({ grant_type: 'client_credentials', scope }) }));
}

/**
 * The device flow a learner does with curl and a browser (RFC 8628 §3.1–§3.5), as the public
 * client `clientId`: codes, the user code typed at the verification page, sign in and allow, poll.
 * An approved device code is redeemed on the next poll, so no interval is waited here.
 */
export async function deviceTokenByHand(provider: SelftestProvider, clientId: string, scope: string): Promise<string> {
  const { approveDeviceAtProvider, UserAgent } = await import('../oauth/user-agent.js');
  const codesResponse = await fetch(`${provider.issuer}/device_authorization`, { method: 'POST', headers: FORM, body: new URLSearchParams({ client_id: clientId, scope }) });
  const codes = (await codesResponse.json()) as { device_code?: string; user_code?: string; verification_uri?: string; error_description?: string };
  if (!codes.device_code || !codes.user_code || !codes.verification_uri) throw new Error(`The device authorization endpoint answered ${codesResponse.status}: ${codes.error_description ?? 'no device code'}.`);
  await approveDeviceAtProvider(new UserAgent(), codes.verification_uri, codes.user_code, { ...provider.user, allow: true });
  return accessTokenFrom(await fetch(`${provider.issuer}/token`, { method: 'POST', headers: FORM, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: codes.device_code, client_id: clientId }) }));
}

/** A provider-token exercise's access token, by the flow its check asks for: client_credentials, the device flow (another client than demo-app), or the code flow. */
function providerTokenByHand(check: Extract<Check, { kind: 'provider-token' }>, provider: SelftestProvider): Promise<string> {
  switch (providerFlowOf(check)) {
    case 'client-credentials':
      if ((check.clientId ?? 'demo-app') !== 'demo-app') throw new Error(`selftest knows the secret of demo-app only, not of ${check.clientId}`);
      return clientCredentialsByHand(provider, check.scope);
    case 'device':
      return deviceTokenByHand(provider, check.clientId!, `openid ${check.scope}`);
    default:
      return accessTokenByHand(provider, `openid ${check.scope}`);
  }
}

/**
 * A DPoP proof for the task's request, made in code with the same createDpopProof the `dpop`
 * command uses and a fresh ES256 key, as `mint --alg ES256 --save-key` then `dpop --key` make one.
 * (Its commands read and write a key file, which a solution command may not: see solution-commands.ts.)
 */
async function dpopProofByHand(check: Extract<Check, { kind: 'dpop-proof' }>, values: Record<string, string>, now: number): Promise<string> {
  const [{ createPublicKey, generateKeyPairSync }, { createDpopProof }] = await Promise.all([import('node:crypto'), import('../protocol/dpop.js')]);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return createDpopProof({ privateKey, publicJwk: createPublicKey(privateKey).export({ format: 'jwk' }), alg: 'ES256', htm: fillTemplate(check.htm, values), htu: fillTemplate(check.htu, values), iat: now });
}

/** The answers the reference solution gives for this seed, made as a learner would make them. */
export async function referenceAnswers(exercise: Exercise, seed: string, runCommand: CommandRunner, provider?: SelftestProvider, now = Math.floor(Date.now() / 1000)): Promise<string[]> {
  if (exercise.check.kind === 'provider-token') {
    if (!provider) throw new Error('it needs Mock Google running');
    return [await providerTokenByHand(exercise.check, provider)];
  }
  const values: Record<string, string> = { ...materialFor(exercise, seed) };
  if (exercise.check.kind === 'dpop-proof') return [await dpopProofByHand(exercise.check, values, now)];
  for (const [index, command] of (exercise.solution.commands ?? []).entries()) {
    // Split first, then fill each word: a filled value (a token, an earlier command's output) stays one word.
    const words = solutionCommandWords(command, (word) => fillTemplate(word, values), { exerciseId: exercise.id, commandNumber: index + 1 });
    const result = await runCommand(words);
    if (result.code !== 0) throw new Error(`solution command ${index + 1} exited ${result.code}: ${result.stderr.trim().split('\n')[0]}`);
    values[`output.${index + 1}`] = result.stdout.trim();
  }
  return exercise.solution.answers.map((answer) => fillTemplate(answer, values));
}

const BACKTRACKING = 'nested or overlapping repeats such as (a|a)+ or (a+)+';

/** What a teacher reads when a check ran out of time: which pattern, or which patterns together, and what to change. */
function tooSlow(exercise: Exercise, stall: PatternStall, where: string): string {
  if (stall.outcome === 'too-slow') return `its ${stall.field} takes longer than ${PATTERN_TIME_LIMIT_MS} ms ${where}, so a learner's check would stall: avoid ${BACKTRACKING}`;
  const fields = exercise.check.kind === 'answer' && exercise.check.pattern ? 'check.pattern and check.mistakes patterns' : 'check.mistakes patterns';
  return `its ${fields} together take longer than ${CHECK_PATTERNS_TIME_BUDGET_MS} ms ${where}, so a learner's check would stall: use fewer patterns, each without ${BACKTRACKING}`;
}
const shortened = (text: string) => terminalSafe(text.length > 12 ? `${text.slice(0, 6)}…${text.slice(-3)}` : text);

/**
 * The first slow-pattern probe on which one of the exercise's patterns runs past its limit, or
 * all of them past the check's budget (one budget a probe, and a second round, as a learner's
 * check has), if any. Every pattern is tried on every probe, even where a real check would stop at
 * a match.
 */
function patternStallsOn(exercise: Exercise, answers: string[]): (PatternStall & { probe: string }) | undefined {
  if (exercise.check.kind !== 'answer') return undefined;
  const patterns: Array<[string, string]> = [
    ...(exercise.check.pattern ? [['check.pattern', exercise.check.pattern] as [string, string]] : []),
    ...(exercise.check.mistakes ?? []).map((mistake, index): [string, string] => [`check.mistakes[${index}].pattern`, mistake.pattern]),
  ];
  // Without the solution's answers (they could not be made), the probes of common characters still run.
  const probes = new Set((answers.length ? answers : ['']).flatMap((answer) => slowPatternProbes(answer.trim())));
  const round = (probe: string) => (budget: PatternBudget): (PatternStall & { probe: string }) | undefined => {
    for (const [field, pattern] of patterns) {
      const outcome = matchPattern(pattern, probe, budget);
      if (outcome === 'too-slow' || outcome === 'over-budget') return { probe, field, outcome };
    }
    return undefined;
  };
  for (const probe of probes) {
    const stall = checkInTwoRounds(round(probe), (outcome) => outcome !== undefined);
    if (stall) return stall;
  }
  return undefined;
}

const failedLines = (lines: CheckLine[]) => lines.filter((line) => !line.ok).map((line) => `${line.label}: expected ${line.expected}, got ${line.got}`).join('; ');

interface SelftestOptions {
  seed: string;
  /** The clock, in seconds: read when each check runs, after the solution's commands made its answers (a token minted then has that second's iat). */
  now: () => number;
  runCommand: CommandRunner;
  provider?: SelftestProvider;
}

/**
 * Self-tests an exercise in every language it has: a translation may change the solution's
 * answers (and the choices' words), so each language's reference solution must pass its check and
 * an empty answer fail it. A problem in a translation names its file.
 */
export async function selftestExercise(exercise: Exercise, options: SelftestOptions): Promise<SelftestOutcome> {
  const others = otherVersionsOf(exercise);
  const own = await selftestVersion(exercise, options);
  const outcomes = [{ version: exercise, ...own }];
  for (const version of others) outcomes.push({ version, ...(await selftestVersion(version, options)) });
  const problems = outcomes.flatMap(({ version, problems: found }) => (others.length === 0 ? found : found.map((problem) => `${basename(version.file)}: ${problem}`)));
  const solutionPasses = outcomes.every((outcome) => outcome.solutionPasses);
  const emptyAnswerFails = outcomes.every((outcome) => outcome.emptyAnswerFails);
  return { id: exercise.id, title: exercise.title, ok: problems.length === 0, solutionPasses, emptyAnswerFails, ...(problems.length ? { problem: problems.join('; ') } : {}) };
}

/** One language's version of an exercise: its reference solution passes, an empty answer fails, no pattern stalls. */
async function selftestVersion(exercise: Exercise, options: SelftestOptions): Promise<{ solutionPasses: boolean; emptyAnswerFails: boolean; problems: string[] }> {
  const material = materialFor(exercise, options.seed);
  const context = () => ({ material, providerIssuer: options.provider?.issuer, now: options.now() });
  const problems: string[] = [];
  let solutionPasses = false;
  let answers: string[] = [];
  let stalled = false;
  try {
    answers = await referenceAnswers(exercise, options.seed, options.runCommand, options.provider, options.now());
    const solved = await runCheck(exercise, answers, context());
    solutionPasses = solved.passed;
    stalled = Boolean(solved.checkTooSlow);
    if (solved.checkTooSlow) problems.push(tooSlow(exercise, solved.checkTooSlow, 'on the solution\'s answer'));
    else if (!solved.passed) problems.push(`the solution fails its check (${failedLines(solved.lines)})`);
  } catch (error) {
    // A command outside the allowlist is not a failing solution but a pack that may not run: exit 2.
    if (error instanceof InputError && error.code === 'ERR_SOLUTION_COMMAND') throw error;
    problems.push(`the solution cannot be made: ${(error as Error).message}`);
  }
  const empty = await runCheck(exercise, [], context());
  const emptyAnswerFails = !empty.passed;
  if (empty.checkTooSlow && !stalled) problems.push(tooSlow(exercise, empty.checkTooSlow, 'on an empty answer'));
  stalled ||= Boolean(empty.checkTooSlow);
  if (!emptyAnswerFails) problems.push('an empty answer passes: the check accepts anything');
  // A learner's answer, not only the solution's, must never stall the check: try the usual culprits.
  const slowProbe = stalled ? undefined : patternStallsOn(exercise, answers);
  if (slowProbe !== undefined) problems.push(tooSlow(exercise, slowProbe, `on an answer such as "${shortened(slowProbe.probe)}" (${slowProbe.probe.length} characters)`));
  return { solutionPasses, emptyAnswerFails, problems };
}
