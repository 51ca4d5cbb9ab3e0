// Whole-process start-up: each command against bare `node -e 0`, measured in the same run,
// interleaved so that machine noise hits every command alike. Reports medians and ratios.

import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

function timeOnce(argv, input) {
  const started = performance.now();
  const result = spawnSync(process.execPath, argv, { input, stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
  const elapsed = performance.now() - started;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${argv.join(' ')} exited ${result.status}`);
  return elapsed;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** cases: [{ name, argv, input? }]; the first is the baseline. */
export function measureStartup(cases, { runs = 40, warmup = 5 } = {}) {
  const samples = cases.map(() => []);
  for (let round = 0; round < warmup + runs; round++) {
    cases.forEach((testCase, index) => {
      const elapsed = timeOnce(testCase.argv, testCase.input);
      if (round >= warmup) samples[index].push(elapsed);
    });
  }
  const baseline = median(samples[0]);
  return cases.map((testCase, index) => ({
    name: testCase.name,
    medianMs: Number(median(samples[index]).toFixed(1)),
    ratio: Number((median(samples[index]) / baseline).toFixed(2)),
    runs,
  }));
}
