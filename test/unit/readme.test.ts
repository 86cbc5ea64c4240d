// The README's options table is derived from the conventions table; this fails when either drifts.
import { readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { optionsMarkdown } from '../../generators/cli/help.js';
import { CONVENTIONS } from '../../generators/core/conventions.js';

const README = new URL('../../README.md', import.meta.url);
const readme = readFileSync(README, 'utf8');
const section = /<!-- options:start -->\n([\s\S]*?)<!-- options:end -->/.exec(readme)?.[1]?.trim() ?? '';

describe('README options table', () => {
  it('matches the conventions table (UPDATE_README=1 npx vitest run test/unit/readme.test.ts rewrites it)', async () => {
    const expected = (await format(optionsMarkdown(), { parser: 'markdown', proseWrap: 'preserve' })).trim();
    if (process.env.UPDATE_README === '1' && section !== expected) {
      writeFileSync(README, readme.replace(section, expected));
      return;
    }
    expect(section).toBe(expected);
  });

  it('has a row for every convention', () => {
    for (const row of CONVENTIONS.filter((r) => !r.recorded))
      expect(section).toMatch(row.flag ? new RegExp(`--${row.flag}[ \`]`) : /\(positional\)/);
  });

  it('shows the two set-up commands', () => {
    expect(readme).toContain('npm install && npx create-daemon myd --yes');
    expect(readme).toMatch(/^npm test\b/m);
  });
});
