#!/usr/bin/env node
// Thin entry: everything else lives in dist/cli (compiled from generators/cli).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
