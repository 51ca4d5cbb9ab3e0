// Whole-process start-up: each command against bare `node -e 0`, measured in the same run,
// interleaved so that machine noise hits every command alike. Reports medians and ratios.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * CPU time (user + system) of the children this process has waited for, in ms, from
 * /proc/self/stat (Linux); undefined elsewhere. On a busy machine wall time waits for the other
 * processes too, while CPU time counts only the command's own work: it is the steadier figure.
 */
const ticksPerMs = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) / 1000;
  } catch {
    return 100 / 1000;
  }
})();
function childrenCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    // After "pid (comm) ", cutime and cstime are the 14th and 15th fields.
    return (Number(fields[13]) + Number(fields[14])) / ticksPerMs;
  } catch {
    return undefined;
  }
}

function timeOnce(argv, input) {
  const cpuBefore = childrenCpuMs();
  const started = performance.now();
  const result = spawnSync(process.execPath, argv, { input, stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
  const elapsed = performance.now() - started;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${argv.join(' ')} exited ${result.status}`);
  const cpuAfter = childrenCpuMs();
  return { elapsed, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * cases: [{ name, argv, input? }]; the first is the baseline. Each gets its median wall time and
 * its mean CPU time (clock ticks are too coarse for one run's median), each with its ratio to
 * the baseline's.
 */
export function measureStartup(cases, { runs = 40, warmup = 5 } = {}) {
  const samples = cases.map(() => []);
  const cpu = cases.map(() => 0);
  let cpuKnown = true;
  for (let round = 0; round < warmup + runs; round++) {
    cases.forEach((testCase, index) => {
      const { elapsed, cpu: cpuMs } = timeOnce(testCase.argv, testCase.input);
      if (round < warmup) return;
      samples[index].push(elapsed);
      if (cpuMs === undefined) cpuKnown = false;
      else cpu[index] += cpuMs;
    });
  }
  const baseline = median(samples[0]);
  return cases.map((testCase, index) => ({
    name: testCase.name,
    medianMs: Number(median(samples[index]).toFixed(1)),
    ratio: Number((median(samples[index]) / baseline).toFixed(2)),
    cpuMs: cpuKnown ? Number((cpu[index] / runs).toFixed(1)) : undefined,
    cpuRatio: cpuKnown && cpu[0] > 0 ? Number((cpu[index] / cpu[0]).toFixed(2)) : undefined,
    runs,
  }));
}
