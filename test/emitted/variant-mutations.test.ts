// The checks a variant adds to make check can fail: a finished handout of a student whose variant
// reloads on SIGHUP (so the reference's bodies finish it as they are) passes its options, foreground
// and syslog sections; each mutation of the given code that stops honouring one of the variant's
// values fails that value's check. (The reload signal's own checks are the step drivers', proved by
// test/emitted/grader.test.ts: a copy from a student with the other signal loses the signals rule.)
import { chmodSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exercises } from '../support/starter-suite.js';
import { cFunction, spliceBody } from '../support/cfunc.js';
import { generate } from '../support/init-project.js';
import { killUnder, make, runAsync, WERROR } from '../support/project.js';
import { tempDir } from '../support/cli.js';
import { describeWith, isRoot } from '../support/tools.js';
import { parseVariant, variantRecord, type Variant } from '../../generators/core/variant.js';

const SEED = 'variant-mutations-seed';

/** The first of s0, s1, ... whose variant reloads on SIGHUP. */
function hupStudent(): { id: string; v: Variant } {
  for (let i = 0; ; i++) {
    const v = parseVariant(variantRecord(SEED, `s${i}`), 'myd', '/run/myd.pid')!;
    if (v.reload === 'HUP') return { id: `s${i}`, v };
  }
}

interface VariantMutation {
  readonly title: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly fails: RegExp;
  /** Only as root: the syslog section owns a private /dev/log. */
  readonly root?: boolean;
}

const MUTATIONS: readonly VariantMutation[] = [
  {
    title: 'the started line without the variant token',
    file: 'src/main.c',
    from: 'variant_token, what);',
    to: '"00000000", what);',
    fails: /^FAIL the started line carries the variant's token/m,
  },
  {
    title: "the usage names the project's pid file, not the variant's",
    file: 'src/defaults.h',
    from: '_PIDFILE\tvariant_pidfile',
    to: '_PIDFILE\t"/run/myd.pid"',
    fails: /^FAIL the usage names the variant's pid file/m,
  },
  {
    title: "the daemon facility instead of the variant's",
    file: 'src/defaults.h',
    from: '_FACILITY\tvariant_facility',
    to: '_FACILITY\tLOG_DAEMON',
    fails: /^FAIL its syslog priority is facility local[0-7] plus the severity/m,
    root: true,
  },
  {
    title: "the project's ident instead of the variant's",
    file: 'src/main.c',
    from: 'log_open(variant_ident,',
    to: 'log_open("myd",',
    fails: /^FAIL log lines carry the daemon's name: "myd-[0-9a-f]{4}: started" on stderr/m,
  },
];

describeWith(['make', 'gcc'])("a variant's checks fail when the given code ignores the variant", () => {
  let dir = '';
  let reference = '';
  const { id, v } = hupStudent();
  const others = tempDir('cd-variant-grader-');

  beforeAll(async () => {
    const flags = ['--reload', 'single', '--payload', 'tick'];
    dir = generate('myd', [...flags, '--starter', '--variant-seed', SEED, '--student', id]).dir;
    reference = generate('myd', flags).dir;
    for (const [file, names] of Object.entries(exercises('single'))) {
      let src = readFileSync(join(dir, file), 'utf8');
      const ref = readFileSync(join(reference, file), 'utf8');
      for (const name of names) src = spliceBody(src, name, cFunction(ref, name).body);
      writeFileSync(join(dir, file), src);
    }
    make(dir, ['all', 'tests/probe', WERROR]);
    // The sections the variant's values are not checked in pass at once (a grader's check,
    // GRADER_DIR in tests/check.sh): each make check runs options, foreground and syslog.
    for (const section of ['steps', 'detached', 'instance', 'echo', 'stop', 'restart', 'failures', 'abstract']) {
      writeFileSync(join(others, section), '#!/bin/sh\nexit 0\n');
      chmodSync(join(others, section), 0o755);
    }
    // The finished handout passes them: what each mutation fails, it fails because of the mutation.
    const r = await runAsync(['make', 'check', WERROR, `GRADER_DIR=${others}`], { cwd: dir });
    expect(r.out).toContain(`variant ${v.token}`);
    expect(r.out.match(/^FAIL .*/gm) ?? [], r.out).toEqual([]);
  });
  afterAll(() => {
    for (const d of [dir, reference]) if (d) rmSync(join(d, '..'), { recursive: true, force: true });
    rmSync(others, { recursive: true, force: true });
  });

  for (const m of MUTATIONS) {
    // As another user, the syslog section says skip: that mutation is left to a root run (CI's).
    const test = m.root && !isRoot ? it.skip : it.concurrent;
    test(m.title, async ({ onTestFinished }) => {
      const parent = tempDir('cd-variant-mut-');
      onTestFinished(() => {
        killUnder(parent);
        rmSync(parent, { recursive: true, force: true });
      });
      const copy = join(parent, 'myd');
      cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
      const src = readFileSync(join(copy, m.file), 'utf8');
      expect(src, `the mutation no longer applies to ${m.file}`).toContain(m.from);
      writeFileSync(join(copy, m.file), src.replace(m.from, m.to));
      const r = await runAsync(['make', 'check', WERROR, `GRADER_DIR=${others}`], { cwd: copy });
      expect(r.status, r.out).not.toBe(0);
      expect(r.out).toMatch(m.fails);
    });
  }
});
