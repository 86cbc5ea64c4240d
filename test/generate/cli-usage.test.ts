// The first hour's frictions with the command line (issue 14): help as a word, --version, suggestions
// for a misspelt flag or choice, list items with spaces, and a warning for a flag that cannot apply.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('--version', () => {
  it.each([['--version'], ['-V'], ['units', '--version']])('%s prints "create-daemon VERSION"', (...args) => {
    const r = runCli(args, tempDir());
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`create-daemon ${pkg.version}\n`);
  });
});
