#!/usr/bin/env node
// npx offload-spec …: load the TypeScript CLI without a build step.
require('./ts-register-cached.js');
require('./run.ts');
