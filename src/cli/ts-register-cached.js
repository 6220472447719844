// A require hook for .ts files: transpile only (type checking is `tsc
// --noEmit` in `npm test`), with a content-addressed cache on disk so a cold
// start of cucumber-js or the CLI loads JavaScript instead of re-running the
// TypeScript compiler on every file. TypeScript itself is loaded only on a
// cache miss. Stack traces map back to .ts lines (inline source maps).
//
// Use: `node -r ./src/cli/ts-register-cached.js …`, or in cucumber.js
// `requireModule: [require.resolve('./src/cli/ts-register-cached.js')]` in
// place of 'ts-node/register' (cucumber resolves a bare relative path from its
// own folder). The cache key covers the hook's own format version,
// the TypeScript version, tsconfig.json, the file's path and its content, so a
// stale entry can never be served; OFFLOAD_SPEC_TS_CACHE=off disables it.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..', '..');
const cacheOff = process.env.OFFLOAD_SPEC_TS_CACHE === 'off';
// OFFLOAD_SPEC_TS_CACHE may also name another cache folder.
const cacheDir = !cacheOff && process.env.OFFLOAD_SPEC_TS_CACHE ? path.resolve(process.env.OFFLOAD_SPEC_TS_CACHE)
  : path.join(root, 'node_modules', '.cache', 'offload-spec-ts');
const tsconfigText = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
const tsVersion = JSON.parse(fs.readFileSync(require.resolve('typescript/package.json'), 'utf8')).version;
// Bump when the emitted shape changes (options below, wrapper).
const HOOK_FORMAT = 2;
const salt = `${HOOK_FORMAT}\0${tsVersion}\0${tsconfigText}\0`;

let compilerOptions;
function transpile(src, filename) {
  const ts = require('typescript');
  if (!compilerOptions) {
    const raw = JSON.parse(tsconfigText).compilerOptions || {};
    compilerOptions = {
      ...ts.convertCompilerOptionsFromJson(raw, root).options,
      module: ts.ModuleKind.CommonJS, inlineSourceMap: true, sourceMap: false, declaration: false, noEmit: false,
    };
    // Without an output folder the map's source is the file's own name, so
    // stack traces (and Cucumber's step locations, read from them) point at
    // the real .ts file instead of a path relative to outDir.
    delete compilerOptions.outDir;
    delete compilerOptions.rootDir;
  }
  return ts.transpileModule(src, { compilerOptions, fileName: filename }).outputText;
}

process.setSourceMapsEnabled(true);

require.extensions['.ts'] = function load(module, filename) {
  const src = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha1').update(salt).update(filename).update('\0').update(src).digest('hex');
  const file = path.join(cacheDir, `${key}.js`);
  let js;
  try {
    if (cacheOff) throw new Error('cache off');
    js = fs.readFileSync(file, 'utf8');
  } catch {
    js = transpile(src, filename);
    if (cacheOff) {
      module._compile(js, filename);
      return;
    }
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      // Write then rename: parallel workers never read half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, js);
      fs.renameSync(tmp, file);
    } catch {
      // A read-only tree still runs, just without the cache.
    }
  }
  module._compile(js, filename);
};
