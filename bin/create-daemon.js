#!/usr/bin/env node
// Thin entry: the CLI is bundled into dist/ by bin/build.mjs (npm run build).
import module from 'node:module';
import v8 from 'node:v8';

// A run lives a few hundred milliseconds, too short for V8's optimising compilers (TurboFan; Maglev on
// Node 22+) to win back what they spend compiling on the second core, which the Prettier worker needs
// (bench/README.md: about 12% of a scaffold's wall time). Set before any of our code is loaded; the
// flags only stop code from being optimised later, the case node:v8 documents as safe to change.
if (!process.env.CREATE_DAEMON_V8_OPT) v8.setFlagsFromString('--no-turbofan --no-maglev');

// Node 22.1+ keeps compiled code between runs (in the OS temp directory); Node 20 has no such cache.
module.enableCompileCache?.();
const { main } = await import('../dist/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
