// A hostile description must reach C, POSIX shell and XML intact and inert: proven by compiling and
// running C, running sh, and parsing XML, then comparing the recovered text byte for byte.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cString, dqText, mdText, oneLine, shWord, unitValue, xmlText } from '../../generators/core/escape.js';
import { tempDir } from '../support/cli.js';
import { itWith } from '../support/tools.js';

export const HOSTILE = `it's "quoted" $HOME \`id\` back\\slash <b>&amp; ??= trigraph\nsecond line é ☃ %i 100%`;

const tmp = () => tempDir('cd-escape-');

describe('escaping a hostile string', () => {
  itWith(['gcc'])('as a C string literal: compiles warning-free and prints back unchanged', () => {
    const dir = tmp();
    const src = join(dir, 'x.c');
    writeFileSync(
      src,
      `#include <stdio.h>\nstatic const char s[] = ${cString(HOSTILE)};\nint main(void) { fputs(s, stdout); return 0; }\n`,
    );
    execFileSync('gcc', [
      '-std=c11',
      '-Wall',
      '-Wextra',
      '-Wpedantic',
      '-Wtrigraphs',
      '-Werror',
      '-o',
      join(dir, 'x'),
      src,
    ]);
    expect(execFileSync(join(dir, 'x')).toString('utf8')).toBe(HOSTILE);
  });

  it('as a C string literal: no raw quote, newline or trigraph survives', () => {
    const lit = cString(HOSTILE);
    expect(lit.slice(1, -1)).not.toMatch(/(^|[^\\])"/);
    expect(lit).not.toContain('\n');
    expect(lit).not.toContain('??');
  });

  itWith(['dash'])('as a shell word: parses under sh -n and expands to itself under dash', () => {
    const script = `printf '%s' ${shWord(HOSTILE)}\n`;
    execFileSync('dash', ['-n', '-c', script]);
    expect(execFileSync('dash', ['-c', script], { env: { HOME: '/nowhere', PATH: process.env.PATH } }).toString()).toBe(
      HOSTILE,
    );
  });

  itWith(['xmllint'])('as XML text: well-formed, and the parsed text is the original', () => {
    const dir = tmp();
    const file = join(dir, 'x.xml');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?>\n<r a="${xmlText(HOSTILE)}"><s>${xmlText(HOSTILE)}</s></r>\n`,
    );
    execFileSync('xmllint', ['--noout', '--nonet', file]);
    const text = execFileSync('xmllint', ['--nonet', '--xpath', 'string(/r/s)', file])
      .toString('utf8')
      .replace(/\n$/, '');
    expect(text).toBe(HOSTILE);
    const attr = execFileSync('xmllint', ['--nonet', '--xpath', 'string(/r/@a)', file])
      .toString('utf8')
      .replace(/\n$/, '');
    // An attribute value normalises a newline to a space (XML 1.0, 3.3.3).
    expect(attr).toBe(HOSTILE.replace(/\n/g, ' '));
  });

  it('as one line, a systemd value and Markdown: no newline, specifiers doubled, markup escaped', () => {
    expect(oneLine(HOSTILE)).not.toMatch(/\n/);
    expect(unitValue(HOSTILE)).toContain('%%i 100%%');
    expect(unitValue('ends with \\')).toBe('ends with ');
    expect(mdText('<b>*x*</b>')).toBe('\\<b\\>\\*x\\*\\</b\\>');
  });
});

describe('inside double quotes in a shell script', () => {
  itWith(['dash'])('dqText survives ${x:=...} and "..." unchanged', () => {
    const script = `: "\${X:=${dqText(HOSTILE)}}"; printf '%s' "$X"`;
    expect(execFileSync('dash', ['-c', script], { env: { PATH: process.env.PATH } }).toString()).toBe(HOSTILE);
  });
});
