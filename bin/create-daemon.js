#!/usr/bin/env node
// Thin entry: the CLI is bundled into dist/ by bin/build.mjs (npm run build).
import { main } from '../dist/cli.mjs';

process.exitCode = await main(process.argv.slice(2));
