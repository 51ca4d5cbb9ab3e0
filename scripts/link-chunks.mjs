// Fewer files to load: each CommonJS output file of the build becomes a factory in a registry, and
// each file that is loaded on its own (the entries, and every chunk an import() asks for) carries
// the factories of everything it loads at once, but those the CLI has always loaded before it (the
// bin and main). Why: Node's loader pays per file (resolve, stat, read, compile); decode went from
// 20 files to 3. Every chunk is still written on its own too, so a chunk whose factory is not
// there yet (the library entry's lazy parts, say) loads from its file. One registry per dist/
// folder and process, so a module runs once whichever file brought its factory.

import { posix } from 'node:path';

const RELATIVE_REQUIRE = /\brequire\("(\.{1,2}\/[^"]+)"\)/g;
const STATIC_REQUIRE = /^(?:var \w+ = )?require\("(\.{1,2}\/[^"]+)"\);$/gm;
// cjs-module-lexer reads this esbuild annotation to give ESM importers the named exports.
const EXPORT_NAMES = /^0 && \(module\.exports = \{[\s\S]*?\}\);$/m;

/** The registry, made by the first file that loads and shared by the rest. */
function prelude(key) {
  const dist = posix.dirname(key) === '.' ? '__dirname' : 'require("node:path").dirname(__dirname)';
  return `const __jwtVsOauthRegistry = (() => {
  const dist = ${dist};
  const slot = Symbol.for("jwt-vs-oauth chunks " + dist);
  if (globalThis[slot]) return globalThis[slot];
  const path = require("node:path");
  const factories = new Map();
  const modules = new Map();
  const load = (key) => {
    const loaded = modules.get(key);
    if (loaded) return loaded.exports;
    const factory = factories.get(key);
    // Not brought by any file loaded so far: its own file defines and runs it.
    if (!factory) return require(path.join(dist, key));
    const module = { exports: {} };
    modules.set(key, module);
    const filename = path.join(dist, key);
    factory.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
    return module.exports;
  };
  const define = (key, factory) => {
    if (!factories.has(key)) factories.set(key, factory);
  };
  // Fixed once made: nothing else in the process can replace it.
  const registry = Object.freeze({ load, define });
  Object.defineProperty(globalThis, slot, { value: registry, writable: false, enumerable: false, configurable: false });
  return registry;
})();
`;
}

/** `files`: dist-relative path → CommonJS code. Returns the same paths with their linked code. */
export function linkChunks(files) {
  const resolveFrom = (key, relative) => posix.normalize(posix.join(posix.dirname(key), relative));
  const staticDeps = new Map();
  const dynamicRoots = new Set();
  for (const [key, code] of files) {
    const deps = [...code.matchAll(STATIC_REQUIRE)].map((match) => resolveFrom(key, match[1]));
    staticDeps.set(key, deps);
    const all = [...code.matchAll(RELATIVE_REQUIRE)].map((match) => resolveFrom(key, match[1]));
    for (const target of all) if (!deps.includes(target)) dynamicRoots.add(target);
  }
  const closure = (key, seen = new Set()) => {
    if (seen.has(key) || !files.has(key)) return seen;
    seen.add(key);
    for (const dep of staticDeps.get(key)) closure(dep, seen);
    return seen;
  };
  // What the CLI has loaded before any other file: the bin, then main, which the bin asks for at once.
  const bin = closure('bin.js');
  const mainRoots = new Set([...files.get('bin.js').matchAll(RELATIVE_REQUIRE)].map((match) => resolveFrom('bin.js', match[1])).filter((key) => !bin.has(key)));
  const binAndMain = new Set(bin);
  for (const root of mainRoots) closure(root, binAndMain);
  const loadedBefore = (key) => (key === 'bin.js' || key === 'provider.js' ? new Set() : mainRoots.has(key) ? bin : binAndMain);

  const factoryOf = (key) => {
    // The export-names note is taken out of the factories: the lexer would read every one of them.
    const code = files.get(key).replace(/^#!.*\n/, '').replace(new RegExp(EXPORT_NAMES.source, 'gm'), '').replace(RELATIVE_REQUIRE, (_whole, relative) => `__jwtVsOauthRegistry.load(${JSON.stringify(resolveFrom(key, relative))})`);
    return `__jwtVsOauthRegistry.define(${JSON.stringify(key)}, function (exports, require, module, __filename, __dirname) {\n${code}\n});\n`;
  };
  const linked = new Map();
  for (const [key, code] of files) {
    const hashbang = /^#!.*\n/.exec(code)?.[0] ?? '';
    const isRoot = key === 'bin.js' || key === 'provider.js' || dynamicRoots.has(key);
    const before = loadedBefore(key);
    const members = isRoot ? [...closure(key)].filter((member) => member === key || !before.has(member)) : [key];
    const exportNames = EXPORT_NAMES.exec(code)?.[0];
    linked.set(key, `${hashbang}${prelude(key)}${members.map(factoryOf).join('')}module.exports = __jwtVsOauthRegistry.load(${JSON.stringify(key)});\n${exportNames ? `${exportNames}\n` : ''}`);
  }
  return linked;
}
