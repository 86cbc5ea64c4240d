// core/format.ts and the memo in core/render.ts: what lets the CLI start rendering and formatting before
// yeoman loads (cli/prefetch.ts) and the generator share the result. The worker thread itself only exists
// in the bundle; the CLI tests (test/generate) run it on every scaffold.
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { completeAnswers, ordered } from '../../generators/core/answers.js';
import { formatIfPretty, languageOf } from '../../generators/core/format.js';
import { renderFiles } from '../../generators/core/render.js';

describe('formatIfPretty', () => {
  it('formats Markdown, JSON and YAML by their extension, and leaves every other file alone', async () => {
    expect([languageOf('a/README.md'), languageOf('.yo-rc.json'), languageOf('x.yaml'), languageOf('x.yml')]).toEqual([
      'markdown',
      'json',
      'yaml',
      'yaml',
    ]);
    expect([languageOf('Makefile'), languageOf('src/main.c'), languageOf('init/sysv/myd')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const messy = '{"a":[1,2],\n"b":{"c":true}}';
    expect(await formatIfPretty('Makefile', messy)).toBe(messy);
    expect(await formatIfPretty('x.json', messy)).toBe(await prettier.format(messy, { parser: 'json' }));
    const md = '# t\n\n|a|b|\n|-|-|\n|long cell|x|\n';
    expect(await formatIfPretty('x.md', md)).toBe(await prettier.format(md, { parser: 'markdown' }));
  });

  it('formats each input once: a second identical request shares the first result', async () => {
    // Valid Markdown and valid JSON alike: the language is part of what is shared.
    const text = '[1,   2]\n';
    const first = formatIfPretty('a.md', text);
    expect(formatIfPretty('b.md', text)).toBe(first);
    const json = formatIfPretty('c.json', text);
    expect(json).not.toBe(first);
    expect([await first, await json]).toEqual(['[1, 2]\n', '[1, 2]\n']);
  });
});

describe('renderFiles', () => {
  it('renders each answers once, whatever their key order, and hands every caller its own array', async () => {
    const answers = ordered(completeAnswers({ name: 'memo' }));
    const reversed = Object.fromEntries(Object.entries(answers).reverse()) as typeof answers;
    const [a, b] = await Promise.all([renderFiles(answers), renderFiles(reversed)]);
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
    expect(a.every((file, i) => file === b[i])).toBe(true);
    a.pop();
    expect((await renderFiles(answers)).length).toBe(b.length);
    const other = await renderFiles(ordered(completeAnswers({ name: 'memo', reload: 'multi' })));
    expect(other.find((f) => f.path === 'helper/signals.c')?.contents).not.toBe(
      b.find((f) => f.path === 'helper/signals.c')?.contents,
    );
  });
});
