// The emitted self-test runs `expect WHAT SEEN RULE COMMAND...`: a condition written
// `[ a ] && [ b ]` after it would check only `[ a ]`, with `[ b ]` run outside the check. Compound
// conditions must go through `cond '...'`; this keeps a new one from slipping in unwrapped.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const script = readFileSync(new URL('../../templates/project/tests/check.sh', import.meta.url), 'utf8');

/** Every `expect "..."` command, its continuation lines joined. */
function expectCommands(): string[] {
  const lines = script.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*expect "/.test(lines[i]!)) continue;
    let cmd = lines[i]!;
    while (/(\\|&&|\|\|)\s*$/.test(lines[i]!) && i + 1 < lines.length) cmd += `\n${lines[++i]}`;
    out.push(cmd);
  }
  return out;
}

describe('tests/check.sh', () => {
  it('has many expect checks, and none whose condition is a bare && or || list', () => {
    const commands = expectCommands();
    expect(commands.length).toBeGreaterThan(30);
    const bare = commands.filter((cmd) => {
      const outside = cmd
        .replace(/cond '(?:[^']|'\\'')*'/g, '')
        .replace(/"(?:\\.|[^"\\])*"/g, '""')
        .replace(/'[^']*'/g, "''");
      return /&&|\|\|/.test(outside);
    });
    expect(bare).toEqual([]);
  });
});
