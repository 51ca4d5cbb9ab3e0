// Launch to the first tutorial screen, on a real pseudo-terminal (util-linux `script`), against
// bare `node -e 0` in the same run. Reports medians and the ratio.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function timeToText(command, text, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let output = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no "${text}" within 20 s; got: ${output.slice(0, 300)}`)); }, 20_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes(text)) {
        const elapsed = performance.now() - started;
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve(elapsed);
      }
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function measureFirstScreen(bin, runs = 15) {
  if (spawnSync('script', ['--version']).status !== 0) return undefined;
  const env = { ...process.env, JWT_VS_OAUTH_HOME: mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-bench-')), NO_COLOR: '1' };
  const bare = [];
  const tutorial = [];
  for (let round = 0; round < runs + 2; round++) {
    const b = await timeToText(`${process.execPath} -e "console.log('ready')"`, 'ready', env);
    const t = await timeToText(`${process.execPath} ${bin} tutorial 1`, '(screen 1 of', env);
    if (round >= 2) {
      bare.push(b);
      tutorial.push(t);
    }
  }
  return { bareMs: Number(median(bare).toFixed(1)), tutorialMs: Number(median(tutorial).toFixed(1)), ratio: Number((median(tutorial) / median(bare)).toFixed(2)), runs };
}
