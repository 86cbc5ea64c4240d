// The README's options table is derived from the conventions table; this fails when either drifts.
import { readFileSync } from 'node:fs';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { optionsMarkdown } from '../../generators/cli/help.js';
import { CONVENTIONS } from '../../generators/core/conventions.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = /<!-- options:start -->\n([\s\S]*?)<!-- options:end -->/.exec(readme)?.[1]?.trim() ?? '';

describe('README options table', () => {
  it('matches the conventions table (regenerate it from optionsMarkdown() in generators/cli/help.ts)', async () => {
    const expected = (await format(optionsMarkdown(), { parser: 'markdown', proseWrap: 'preserve' })).trim();
    expect(section).toBe(expected);
  });

  it('has a row for every convention', () => {
    for (const row of CONVENTIONS) expect(section).toContain(row.flag ? `--${row.flag} ` : '(positional)');
  });

  it('shows the two set-up commands', () => {
    expect(readme).toContain('npm install && npx create-daemon myd --yes');
    expect(readme).toMatch(/^npm test\b/m);
  });
});
