// `npm run bench`: every benchmark of the project, each against a baseline measured in the same
// run. Prints a Markdown table; with --write-readme it also replaces the table in README.md.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureLoad } from './load.mjs';
import { measureFirstScreen } from './first-screen.mjs';
import { measureStartup } from './startup.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, 'dist', 'bin.js');
const runs = Number(process.env.BENCH_RUNS ?? 40);

const token = execFileSync(process.execPath, [bin, 'mint', '--secret', 'b'.repeat(32), '--sub', 'asha', '--aud', 'food-api'], { encoding: 'utf8' }).trim();

console.error(`Start-up: ${runs} interleaved runs of each command…`);
const startup = measureStartup(
  [
    { name: '`node -e 0` (baseline)', argv: ['-e', '0'] },
    { name: '`jwt-vs-oauth --help`', argv: [bin, '--help'] },
    { name: '`jwt-vs-oauth decode <token>`', argv: [bin, 'decode', token] },
    { name: '`jwt-vs-oauth verify <token> --secret …`', argv: [bin, 'verify', token, '--secret', 'b'.repeat(32)] },
  ],
  { runs },
);

const lines = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}.`,
  '',
  '| Start-up (whole process) | median | ratio to `node -e 0` | CPU (user + system, mean) | CPU ratio |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...startup.map((row) => `| ${row.name} | ${row.medianMs} ms | ${row.ratio}× | ${row.cpuMs ?? '–'} ms | ${row.cpuRatio ?? '–'}${row.cpuRatio ? '×' : ''} |`),
];
console.error('Tutorial: launch to the first screen on a pseudo-terminal…');
const firstScreen = await measureFirstScreen(bin);
if (firstScreen) {
  lines.push('', '| Tutorial on a terminal | median | ratio to `node` printing one line |', '| --- | ---: | ---: |', `| \`node -e "console.log('ready')"\` (baseline) | ${firstScreen.bareMs} ms | 1× |`, `| \`jwt-vs-oauth tutorial 1\` to its first screen | ${firstScreen.tutorialMs} ms | ${firstScreen.ratio}× |`);
}

if (!process.argv.includes('--startup-only')) {
  const flows = Number(process.env.BENCH_FLOWS ?? 20_000);
  // Long enough for every code (60 s) to expire and the provider's sweep (every 5 s) to drop it.
  const settleSeconds = Number(process.env.BENCH_SETTLE_SECONDS ?? 70);
  const load = [];
  for (const name of ['jwt-vs-oauth', 'oauth2-mock-server', 'oidc-provider']) {
    console.error(`Load: ${flows} flows at 16 concurrent clients against ${name}, then ${settleSeconds} s for codes to expire…`);
    load.push(await measureLoad(name, { flows, concurrency: 16, settleSeconds }));
  }
  const ours = load[0];
  lines.push(
    '',
    `| Provider: ${flows} complete flows (authorize, token, userinfo), 16 concurrent clients | flows/s | ours ÷ theirs | p50 | p99 | provider CPU per flow | driver CPU per flow | errors | heap before → after → after codes expire |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...load.map((row) => `| ${row.name === 'jwt-vs-oauth' ? 'jwt-vs-oauth provider (`--auto-approve`)' : row.name} | ${row.flowsPerSecond} | ${row === ours ? '1×' : `${(ours.flowsPerSecond / row.flowsPerSecond).toFixed(2)}×`} | ${row.p50Ms} ms | ${row.p99Ms} ms | ${row.cpuMsPerFlow} ms | ${row.driverCpuMsPerFlow} ms | ${row.errors} | ${row.heapBeforeMb} → ${row.heapAfterMb} → ${row.heapSettledMb} MB |`),
  );
  for (const row of load) if (row.errors) console.error(`${row.name}: ${row.errors} flows failed; the first: ${row.firstError}`);

  // Beyond the article: the code flow with DPoP proofs against oidc-provider (oauth2-mock-server has
  // no DPoP), and the device flow against our own code flow (no peer here runs it without a page).
  const extraFlows = Number(process.env.BENCH_EXTRA_FLOWS ?? 5_000);
  const extra = [];
  for (const [name, kind] of [['jwt-vs-oauth', 'dpop'], ['oidc-provider', 'dpop'], ['jwt-vs-oauth', 'device']]) {
    console.error(`Load: ${extraFlows} ${kind} flows at 16 concurrent clients against ${name}…`);
    extra.push(await measureLoad(name, { flows: extraFlows, concurrency: 16, settleSeconds: 0, kind }));
  }
  const [oursDpop, theirDpop, oursDevice] = extra;
  lines.push(
    '',
    `| Provider: ${extraFlows} flows of each kind, 16 concurrent clients | flows/s | ratio | p50 | p99 | provider CPU per flow | errors |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| jwt-vs-oauth, code flow with DPoP proofs at token and userinfo | ${oursDpop.flowsPerSecond} | 1× | ${oursDpop.p50Ms} ms | ${oursDpop.p99Ms} ms | ${oursDpop.cpuMsPerFlow} ms | ${oursDpop.errors} |`,
    `| oidc-provider, the same (its DPoP feature on) | ${theirDpop.flowsPerSecond} | ours ÷ theirs ${(oursDpop.flowsPerSecond / theirDpop.flowsPerSecond).toFixed(2)}× | ${theirDpop.p50Ms} ms | ${theirDpop.p99Ms} ms | ${theirDpop.cpuMsPerFlow} ms | ${theirDpop.errors} |`,
    `| jwt-vs-oauth, device flow (device authorization, one poll, userinfo; auto-approved) | ${oursDevice.flowsPerSecond} | ÷ our code flow ${(oursDevice.flowsPerSecond / ours.flowsPerSecond).toFixed(2)}× | ${oursDevice.p50Ms} ms | ${oursDevice.p99Ms} ms | ${oursDevice.cpuMsPerFlow} ms | ${oursDevice.errors} |`,
  );
  for (const row of extra) if (row.errors) console.error(`${row.name} (${row.kind}): ${row.errors} flows failed; the first: ${row.firstError}`);

  // Bounded memory: every store pushed to its default cap with the largest inputs (bench/memory.mjs).
  console.error('Memory: filling every store of the provider to its cap…');
  const { measureMemory, memoryTable } = await import('./memory.mjs');
  const memory = await measureMemory();
  lines.push('', memoryTable(memory));
  if (!memory.withinBudget) process.exitCode = 1;

  // Robustness: the fuzzer at a larger size than in npm test; no request may end the provider or answer 5xx.
  const fuzzRequests = Number(process.env.BENCH_FUZZ_REQUESTS ?? 40_000);
  const fuzzSeed = Number(process.env.BENCH_FUZZ_SEED ?? Date.now() % 100_000);
  console.error(`Fuzzer: ${fuzzRequests} malformed requests (seed ${fuzzSeed})…`);
  const [{ fuzzProvider }, { startProvider }] = await Promise.all([import('./fuzz.mjs'), import('../dist/provider.js')]);
  const fuzzed = await startProvider({ port: 0, autoApprove: true });
  const fuzzStarted = performance.now();
  const fuzz = await fuzzProvider({ port: fuzzed.port, requests: fuzzRequests, seed: fuzzSeed });
  const fuzzSeconds = ((performance.now() - fuzzStarted) / 1000).toFixed(1);
  await fuzzed.close();
  const statuses = Object.entries(fuzz.counts).sort(([, a], [, b]) => b - a).map(([status, count]) => `${status} ×${count}`).join(', ');
  lines.push(
    '',
    '| Fuzzer: malformed request lines, targets, headers, bodies and tokens over raw sockets | requests | seed | time | provider alive after every batch | 5xx answers | answers by status |',
    '| --- | ---: | ---: | ---: | --- | ---: | --- |',
    `| jwt-vs-oauth provider | ${fuzz.requests} | ${fuzzSeed} | ${fuzzSeconds} s | ✓ (${fuzz.batches} batches) | ${fuzz.serverErrors.length} | ${statuses} |`,
  );
  if (fuzz.serverErrors.length) {
    console.error('5xx answers from the fuzzer, the first:', fuzz.serverErrors[0]);
    process.exitCode = 1;
  }
}
const table = lines.join('\n');
console.log(table);

if (process.argv.includes('--write-readme')) {
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const updated = readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`);
  writeFileSync(readmePath, updated);
  console.error('README.md updated.');
}
