// The library entry as a user of the package meets it: `npm pack`, installed into an empty project
// with nothing else from this repository, the README's "Use Mock Google in your own tests" example
// type-checked by tsc (strict, no skipLibCheck: the shipped declarations must stand alone) and run
// by vitest against the installed package.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const project = mkdtempSync(join(tmpdir(), 'jwt-vs-oauth-library-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('### Use Mock Google in your own tests');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(start));
  if (start < 0 || !block) throw new Error('README: the library example was not found');
  return block[1]!;
}

test('the packed tarball installs alone, its types check the README example, and the example passes', () => {
  execFileSync(process.execPath, [join(root, 'scripts', 'build-types.mjs')], { cwd: root, stdio: 'pipe' });
  const packed = spawnSync('npm', ['pack', '--pack-destination', project, '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  expect(packed.status, packed.stderr).toBe(0);
  const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: Array<{ path: string }> }];
  expect(files.map((file) => file.path)).toContain('dist/types/library/provider.d.ts');

  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-app-tests', private: true, type: 'module' }));
  const installed = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(project, filename)], { cwd: project, encoding: 'utf8' });
  expect(installed.status, installed.stderr).toBe(0);
  // The test tools come from this repository's node_modules, as a user's own would.
  for (const tool of ['vitest', 'typescript', '@types/node']) {
    mkdirSync(join(project, 'node_modules', ...tool.split('/').slice(0, -1)), { recursive: true });
    symlinkSync(join(root, 'node_modules', tool), join(project, 'node_modules', tool));
  }
  writeFileSync(join(project, 'login.test.ts'), readmeExample());
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
    include: ['login.test.ts'],
  }));

  const typecheck = spawnSync(process.execPath, [join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
  expect(typecheck.stdout + typecheck.stderr).toBe('');
  expect(typecheck.status).toBe(0);

  const run = spawnSync(process.execPath, [join(project, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', project], { cwd: project, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  expect(run.stdout).toMatch(/1 passed/);
}, 120_000);
