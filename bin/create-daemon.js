#!/usr/bin/env node
// Thin entry: the CLI is bundled into dist/ by bin/build.mjs (npm run build).
import module from 'node:module';

// Node 22.1+ keeps compiled code between runs (in the OS temp directory); Node 20 has no such cache.
module.enableCompileCache?.();
const { main } = await import('../dist/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
