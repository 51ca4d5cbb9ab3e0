// Builds dist/: one ESM bundle per entry with lazily loaded chunks, the chosen packages bundled
// in, and their licence texts beside it. Why bundle: Node's ESM loader pays per file, and
// start-up is the cost every command pays first (see bench/). Type-checking is tsc --noEmit.

import { build } from 'esbuild';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');

// Only chunks that call require() keep this banner (removed below): creating a require in each
// of the ~15 chunks a command loads cost about 2 ms of start-up.
const REQUIRE_BANNER = "import { createRequire as __jwtVsOauthCreateRequire } from 'node:module';\nconst require = __jwtVsOauthCreateRequire(import.meta.url);";

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
  // commander is CommonJS and require()s Node built-ins; give the ESM bundle a require.
  banner: { js: REQUIRE_BANNER },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // Written below, file by file and atomically: a test or a running command that is reading
  // dist/ while another build runs never sees a missing or half-written file.
  write: false,
});
const written = new Set();
const withoutUnusedBanner = (file) => {
  if (!file.path.endsWith('.js') || !file.text.startsWith(REQUIRE_BANNER)) return file.contents;
  const rest = file.text.slice(REQUIRE_BANNER.length);
  return /\brequire\b/.test(rest) ? file.contents : Buffer.from(rest);
};
for (const output of result.outputFiles) {
  const file = { path: output.path, contents: withoutUnusedBanner(output) };
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
