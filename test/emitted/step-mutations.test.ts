// The starter's step checks are not hollow: with every exercise function finished (the reference
// bodies spliced in), break one function in one way, and make check's steps section fails that
// function's check, saying what it saw, while every other step check still passes.
import { chmodSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { STEP_MUTATIONS } from './step-mutations.js';
import { exercises, stepChecks } from '../support/starter-suite.js';
import { cFunction, spliceBody } from '../support/cfunc.js';
import { generate } from '../support/init-project.js';
import { killUnder, make, runAsync, WERROR } from '../support/project.js';
import { tempDir } from '../support/cli.js';
import { describeWith } from '../support/tools.js';

describeWith(['make', 'gcc'])('a step check fails when its function is finished wrongly', () => {
  let dir = '';
  let reference = '';
  const skipDaemon = tempDir('cd-step-grader-');
  const finished: Record<string, string> = {};

  beforeAll(() => {
    const flags = ['--reload', 'single', '--payload', 'tick'];
    dir = generate('myd', [...flags, '--starter']).dir;
    reference = generate('myd', flags).dir;
    for (const [file, names] of Object.entries(exercises('single'))) {
      let src = readFileSync(join(dir, file), 'utf8');
      const ref = readFileSync(join(reference, file), 'utf8');
      for (const name of names) src = spliceBody(src, name, cFunction(ref, name).body);
      finished[file] = src;
    }
    // Built once, finished: each test's copy then rebuilds the one file it breaks.
    for (const [file, src] of Object.entries(finished)) writeFileSync(join(dir, file), src);
    make(dir, ['all', 'tests/probe', WERROR]);
    // Only the steps section is read: every other section is replaced by a passing check of the
    // grader's (GRADER_DIR, tests/check.sh), so that each make check runs the step drivers alone.
    for (const id of [
      'detached',
      'instance',
      'echo',
      'stop',
      'restart',
      'failures',
      'options',
      'foreground',
      'syslog',
      'abstract',
    ]) {
      writeFileSync(join(skipDaemon, id), '#!/bin/sh\nexit 0\n');
      chmodSync(join(skipDaemon, id), 0o755);
    }
  });
  afterAll(() => {
    for (const d of [dir, reference]) if (d) rmSync(join(d, '..'), { recursive: true, force: true });
    rmSync(skipDaemon, { recursive: true, force: true });
  });

  // Two at a time (vitest.config.ts, maxConcurrency), each in its own copy: make check mostly waits.
  for (const m of STEP_MUTATIONS) {
    it.concurrent(m.title, async ({ onTestFinished }) => {
      const parent = tempDir('cd-step-');
      onTestFinished(() => {
        killUnder(parent);
        rmSync(parent, { recursive: true, force: true });
      });
      const copy = join(parent, 'myd');
      cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
      let src = finished[m.file]!;
      for (const [from, to] of m.edits) {
        expect(src, `the mutation no longer applies to ${m.file}`).toContain(from);
        src = src.replace(from, to);
      }
      writeFileSync(join(copy, m.file), src);
      const r = await runAsync(['make', 'check', WERROR, `GRADER_DIR=${skipDaemon}`], { cwd: copy });
      expect(r.status, r.out).not.toBe(0);
      const steps = stepChecks(r.out);
      expect(steps.text, r.out).toMatch(m.fails);
      const failure = steps.text.slice(steps.text.search(m.fails)).split('\n').slice(0, 5).join('\n');
      expect(failure).toMatch(new RegExp(`^     seen: .*${m.seen.source}`, 'm'));
      // That function's check alone: the others do not depend on it.
      expect(steps.fail.map((f) => `FAIL ${f}`).filter((f) => !m.fails.test(f))).toEqual([]);
    });
  }
});
