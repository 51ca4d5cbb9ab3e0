// Builds dist/: one bundle per entry with lazily loaded chunks, the chosen packages bundled in,
// and their licence texts beside it. Why bundle: Node's loader pays per file, and start-up is
// the cost every command pays first (see bench/). Type-checking is tsc --noEmit.
//
// esbuild splits only ESM; each chunk is then turned into CommonJS (dist/package.json says so),
// and each import() into a require() on first use. Why: on Node 20 the ESM loader costs about
// 6 ms before the first line runs and more per file; CommonJS brought `--help` from 1.33× to
// 1.24× of bare node and `decode` from 1.56× to 1.37× (bench/, same run).

import { build, transformSync } from 'esbuild';
import { linkChunks } from './link-chunks.mjs';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');

/**
 * commander require()s node:child_process when it loads, for executable subcommands, which this
 * CLI never uses; loading it pulls in net and dgram, about 2 ms of every start-up. commander gets
 * a stand-in that requires the real module on first use.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      (/[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-child-process' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "let loaded;\nmodule.exports = new Proxy({}, { get: (_target, name) => (loaded ??= require('node:child_process'))[name] });\n",
      loader: 'js',
    }));
  },
};

const result = await build({
  plugins: [lazyChildProcess],
  absWorkingDir: root,
  entryPoints: { bin: 'src/cli/bin.ts', provider: 'src/library/provider.ts' },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // Written below, file by file and atomically: a test or a running command that is reading
  // dist/ while another build runs never sees a missing or half-written file.
  write: false,
});
const written = new Set();
/** One ESM output file as CommonJS: imports become require()s, import() a require() on first use. */
const asCommonJs = (output) => {
  if (!output.path.endsWith('.js')) return output.contents;
  const hashbang = /^#!.*\n/.exec(output.text)?.[0] ?? '';
  // Each module's "// src/…" marker is kept (as a legal comment), for the start-up imports test.
  const text = output.text.slice(hashbang.length).replace(/^\/\/ ((?:src|node_modules)\/\S+)$/gm, '/*! $1 */');
  const { code } = transformSync(text, {
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__jwtVsOauthModuleUrl' },
    banner: /\bimport\.meta\.url\b/.test(text) ? 'const __jwtVsOauthModuleUrl = require("node:url").pathToFileURL(__filename).href;' : '',
    legalComments: 'inline',
    logLevel: 'error',
  });
  return Buffer.from(hashbang + code);
};
// Each chunk as CommonJS, then linked so a command loads a few files, not twenty (link-chunks.mjs).
const commonJs = new Map(result.outputFiles.filter((output) => output.path.endsWith('.js')).map((output) => [relative(dist, output.path).split(sep).join('/'), asCommonJs(output).toString()]));
const linked = linkChunks(commonJs);
const outputs = result.outputFiles.map((output) => {
  const key = relative(dist, output.path).split(sep).join('/');
  return { path: output.path, contents: linked.has(key) ? Buffer.from(linked.get(key)) : output.contents };
});
// The package is "type": "module"; this makes the .js files under dist/ CommonJS.
const scope = { path: join(dist, 'package.json'), contents: Buffer.from('{\n  "type": "commonjs"\n}\n') };
for (const file of [...outputs, scope]) {
  written.add(file.path);
  if (existsSync(file.path) && Buffer.compare(readFileSync(file.path), file.contents) === 0) continue;
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
chmodSync(join(dist, 'bin.js'), 0o755);
// Chunks from earlier builds that this one no longer makes.
for (const name of readdirSync(join(dist, 'chunks'))) {
  const path = join(dist, 'chunks', name);
  if (!written.has(path)) rmSync(path, { force: true });
}


// Every bundled package's licence goes with the bundle.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (match) packages.add(match[1]);
}
const notices = [...packages].sort().map((name) => {
  const folder = join(root, 'node_modules', name);
  const { version, license } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  const file = ['LICENSE', 'LICENSE.md', 'license', 'LICENSE.txt', 'license.md'].map((candidate) => join(folder, candidate)).find(existsSync);
  return `${name}@${version} (${license})\n\n${file ? readFileSync(file, 'utf8').trim() : 'No licence file shipped.'}\n`;
});
const licences = join(dist, 'THIRD-PARTY-LICENSES.txt');
writeFileSync(`${licences}.${process.pid}.tmp`, `jwt-vs-oauth bundles these packages:\n\n${notices.join('\n' + '-'.repeat(72) + '\n\n')}`);
renameSync(`${licences}.${process.pid}.tmp`, licences);
