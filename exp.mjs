import { build } from 'esbuild';
const common = { absWorkingDir: '/work/main', entryPoints: { bin: 'src/cli/bin.ts' }, bundle: true, format: 'esm', platform: 'node', target: 'node20', banner: { js: "import { createRequire as __c } from 'node:module';\nconst require = __c(import.meta.url);" }, logLevel: 'error' };
await build({ ...common, outdir: '/work/main/exp/single' });
await build({ ...common, outdir: '/work/main/exp/cjs', format: 'cjs', banner: {}, outExtension: { '.js': '.cjs' } });
