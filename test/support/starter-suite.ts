// The course-assignment starter (--starter) for one reload model and payload: the exercise
// functions are TODO stubs that build warning-free and fail safely; make check and make grade
// grade them, naming the rules; the reference bodies of a normal-mode project with the same
// answers, spliced in, pass every check; and no stub contains its reference.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cFunction, cFunctions, spliceBody, squeeze } from './cfunc.js';
import { cli, cliBin, generate } from './init-project.js';
import { snapshotTree } from './cli.js';
import { checkSummary, generateProject, run, runAsync, WERROR } from './project.js';
import { describeWith, itWith } from './tools.js';

/** The exercise functions, by file, for each reload model. */
export function exercises(reload: 'single' | 'multi'): Record<string, readonly string[]> {
  return {
    'helper/daemonize.c': ['close_walk', 'close_inherited', 'null_stdio', 'reset_signals', 'daemonize'],
    'helper/pidfile.c': ['pidfile_open'],
    'helper/log.c': ['log_open'],
    'helper/signals.c':
      reload === 'single' ? ['on_signal', 'signals_init', 'signals_run'] : ['signals_init', 'signals_run'],
  };
}

/** Parses make grade's TAP: the plan, and the ok / not ok test points. */
export function parseTap(out: string): { plan: number; passed: number; failed: number; names: string[] } {
  const lines = out.split('\n');
  expect(lines[0], 'TAP starts with its version').toBe('TAP version 13');
  let plan = -1;
  let passed = 0;
  let failed = 0;
  const names: string[] = [];
  for (const line of lines.slice(1)) {
    if (line === '' || line.startsWith('#')) continue;
    const p = /^1\.\.(\d+)$/.exec(line);
    if (p) {
      plan = Number(p[1]);
      continue;
    }
    const t = /^(ok|not ok) (\d+) - (.+)$/.exec(line);
    if (!t) throw new Error(`not a TAP line: ${line}`);
    expect(Number(t[2]), `test points are numbered in order: ${line}`).toBe(passed + failed + 1);
    if (t[1] === 'ok') passed++;
    else failed++;
    names.push(t[3]!);
  }
  expect(plan, 'the plan is the number of test points').toBe(passed + failed);
  return { plan, passed, failed, names };
}

/** The checks of make check's "each exercise function on its own" section: one line each. */
export function stepChecks(out: string): { text: string; ok: string[]; fail: string[] } {
  const start = out.indexOf('\n== each exercise function on its own');
  if (start === -1) return { text: '', ok: [], fail: [] };
  const rest = out.slice(start + 1);
  const end = rest.indexOf('\n== ', 1);
  const text = end === -1 ? rest : rest.slice(0, end);
  const lines = text.split('\n');
  return {
    text,
    ok: lines.filter((l) => l.startsWith('ok   ')).map((l) => l.slice(5)),
    fail: lines.filter((l) => l.startsWith('FAIL ')).map((l) => l.slice(5)),
  };
}

/** A starter's tests/rubric: each rule's id, points and tier, and their total. */
export function readRubric(dir: string): { rules: { id: string; points: number; tier: string }[]; max: number } {
  const rules = readFileSync(join(dir, 'tests/rubric'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const [id, points, tier] = l.split('\t');
      return { id: id!, points: Number(points), tier: tier! };
    });
  return { rules, max: rules.reduce((n, r) => n + r.points, 0) };
}

/** The test points of make grade's TAP in the "each exercise function on its own" section. */
export function tapStepCount(tap: string): number {
  const lines = tap.split('\n');
  const start = lines.findIndex((l) => l.startsWith('# each exercise function on its own'));
  expect(start, 'make grade has a steps section').toBeGreaterThan(-1);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('# detached start'));
  return lines.slice(start, end).filter((l) => /^(not )?ok \d+ - /.test(l)).length;
}

/** How many checks a student's make check ran but did not show (the release rules'). */
export function laterCount(out: string): number {
  const m = /^those are the public checks: (\d+) more run when your work is graded/m.exec(out);
  expect(m, 'make check says how many checks run only when graded').not.toBeNull();
  return Number(m![1]);
}

/** make -s grade's standard output alone: what an autograder reads. */
function gradeOut(dir: string, args: readonly string[] = []): { status: number | null; stdout: string } {
  const r = spawnSync('make', ['-s', 'grade', WERROR, ...args], { cwd: dir, encoding: 'utf8', timeout: 170_000 });
  return { status: r.status, stdout: r.stdout ?? '' };
}

function makeIn(dir: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return run(['make', ...args], { cwd: dir, env });
}

export function starterSuite(reload: 'single' | 'multi', payload: 'tick' | 'echo'): void {
  const flags = ['--reload', reload, '--payload', payload];
  describeWith(['make', 'gcc', 'clang'])(`--starter ${flags.join(' ')}`, () => {
    let starter = '';
    let reference = '';
    let referenceChecks = 0;
    // The steps section's checks: in the starter only, on top of the reference project's.
    let stepCount = 0;
    // The untouched starter's make check (its output, stdout then stderr), for the splice-alone test.
    let untouched: string | undefined;

    beforeAll(() => {
      starter = generate('myd', [...flags, '--starter']).dir;
      reference = generate('myd', flags).dir;
    });
    afterAll(() => {
      for (const d of [starter, reference]) if (d) rmSync(join(d, '..'), { recursive: true, force: true });
    });

    it('saves starter: true in .yo-rc.json, and writes the student README', () => {
      const rc = JSON.parse(readFileSync(join(starter, '.yo-rc.json'), 'utf8')) as Record<
        string,
        Record<string, unknown>
      >;
      expect(Object.values(rc)[0]!.starter).toBe(true);
      const readme = readFileSync(join(starter, 'README.md'), 'utf8');
      expect(readme).toMatch(/## The assignment/);
      // The teacher's command is printed by the generator, not handed to the students; run as
      // written, it makes the reference project: the same files.
      expect(readme).not.toContain('create-daemon myd --yes');
      expect(readme).not.toMatch(/reference solution/i);
      const shown = cli(
        ['myd', '--yes', '--dir', join(starter, '..', 'again', 'myd'), ...flags, '--starter'],
        join(starter, '..'),
      );
      expect(shown.status, shown.stderr).toBe(0);
      const cmd = `${shown.stdout}\n${shown.stderr}`
        .split('\n')
        .map((l) => l.trim())
        .find((l) => l.startsWith('npx create-daemon myd --yes '));
      expect(cmd, 'the generator prints the command for the reference').toBeDefined();
      expect(cmd).toContain(`--reload ${reload} --payload ${payload}`);
      expect(cmd).not.toContain('starter');
      const parent = join(starter, '..', 'teacher');
      mkdirSync(parent);
      const r = run(['sh', '-c', `node "$0" ${cmd!.slice('npx create-daemon '.length)}`, cliBin()], { cwd: parent });
      expect(r.status, r.out).toBe(0);
      const tree = (d: string) => new Map([...snapshotTree(d)].map(([k, v]) => [k, v.contents]));
      expect(tree(join(parent, 'myd-reference'))).toEqual(tree(reference));
    });

    for (const cc of ['gcc', 'clang'])
      it(`builds warning-free with ${cc} at -Werror`, () => {
        run(['make', 'clean'], { cwd: starter });
        const r = makeIn(starter, [`CC=${cc}`, WERROR]);
        expect(r.status, r.out).toBe(0);
        expect(r.out).not.toMatch(/warning:/);
      });

    it('make check fails, naming the unimplemented functions and their rules; make grade agrees', () => {
      // One run (an untouched starter's make check waits out every stub): its standard output alone
      // ends with the summary, and with its standard error it is everything make check said.
      const s = spawnSync('make', ['-s', 'check', WERROR], { cwd: starter, encoding: 'utf8', timeout: 170_000 });
      const r = { status: s.status, out: `${s.stdout ?? ''}${s.stderr ?? ''}` };
      expect(r.status, r.out).not.toBe(0);
      const sum = checkSummary(r.out);
      expect(sum, r.out).toBeDefined();
      expect(sum!.failed).toBeGreaterThan(0);
      // The score is the last line: none yet, and the release rules' points still to come.
      expect((s.stdout ?? '').trimEnd().split('\n').at(-1), 'the score is the last line').toMatch(
        /^score: 0\/\d+ points; \d+ more points are graded when you submit \(\d+ checks that run only then\)$/,
      );
      expect(laterCount(r.out), 'the checks that run only when graded are counted').toBeGreaterThan(0);
      for (const rule of [
        'APUE 13.3 rule 1',
        'APUE 13.3 rule 2',
        'APUE 13.3 rule 3',
        'APUE 13.3 rule 4',
        'APUE 13.3 rule 5',
        'APUE 13.3 rule 6',
        'APUE 13.4',
        'APUE 13.5',
        'APUE 13.6',
        'daemon(7) step 2',
      ])
        expect(r.out, `a FAIL names ${rule}`).toContain(`rule: ${rule}`);
      for (const fn of ['daemonize', 'pidfile_open', 'log_open'])
        expect(r.out, `the daemon says ${fn}() is not implemented`).toContain(`not implemented yet: ${fn}()`);
      for (const hint of [
        'daemonize() in helper/daemonize.c',
        'null_stdio() in helper/daemonize.c',
        'close_walk() and close_inherited() in helper/daemonize.c',
        'reset_signals() in helper/daemonize.c',
        'pidfile_open() in helper/pidfile.c',
        'log_open() in helper/log.c',
        'signals_run() in helper/signals.c',
      ])
        expect(r.out, `a hint points at ${hint}`).toContain(hint);
      // Every FAIL has its rule and hint right under it.
      const fails = r.out.split('\n').filter((l) => l.startsWith('FAIL '));
      const withHint = r.out.match(/^FAIL .*\n {5}rule: .*\n {5}hint: .*$/gm) ?? [];
      expect(withHint.length, 'every FAIL has a rule and a hint').toBe(fails.length);
      // Each exercise function has checks of its own, and the stubs fail every one of them.
      const steps = stepChecks(r.out);
      expect(steps.ok, 'no step check passes on the untouched starter').toEqual([]);
      for (const [file, names] of Object.entries(exercises(reload)))
        for (const fn of names)
          expect(steps.text, `a step check's hint names ${fn}()`).toContain(`     hint: ${fn}() in ${file}`);
      // No stray daemon: stubs fail before anything detaches.
      expect(run(['sh', '-c', `pgrep -f '${starter}/[m]yd' || true`]).out.trim()).toBe('');

      const g = gradeOut(starter);
      expect(g.status).not.toBe(0);
      const tap = parseTap(g.stdout);
      // make grade shows the release rules' checks too, which the untouched starter fails.
      expect({ passed: tap.passed, failed: tap.failed }).toEqual({
        passed: sum!.passed,
        failed: sum!.failed + laterCount(r.out),
      });
      expect(tap.names).toContain('fds 0, 1 and 2 are /dev/null');
      untouched = r.out;
    });

    it('the reference bodies, spliced into the exercise functions, pass make check 100%', () => {
      const ex = exercises(reload);
      for (const [file, names] of Object.entries(ex)) {
        let src = readFileSync(join(starter, file), 'utf8');
        const ref = readFileSync(join(reference, file), 'utf8');
        for (const name of names) src = spliceBody(src, name, cFunction(ref, name).body);
        writeFileSync(join(starter, file), src);
      }
      run(['make', 'clean'], { cwd: starter });
      for (const cc of ['clang', 'gcc']) {
        const b = makeIn(starter, [`CC=${cc}`, WERROR]);
        expect(b.status, b.out).toBe(0);
        expect(b.out).not.toMatch(/warning:/);
        if (cc === 'clang') run(['make', 'clean'], { cwd: starter });
      }
      const r = makeIn(starter, ['check', WERROR]);
      expect(r.status, r.out).toBe(0);
      const sum = checkSummary(r.out)!;
      expect(sum.failed, r.out).toBe(0);
      const ref = makeIn(reference, ['check', WERROR]);
      expect(ref.status, ref.out).toBe(0);
      referenceChecks = checkSummary(ref.out)!.passed;
      // The reference project has no steps section (the drivers include the exercise files,
      // whose reference bodies a normal project does not need checked twice).
      expect(stepChecks(ref.out).ok).toEqual([]);
      const steps = stepChecks(r.out);
      expect(steps.fail, r.out).toEqual([]);
      expect(steps.ok.length, 'at least one step check per exercise function').toBeGreaterThanOrEqual(
        Object.values(ex).flat().length,
      );
      // make grade shows every tier: the step checks of the release rules too.
      const g = gradeOut(starter);
      expect(g.status).toBe(0);
      const tap = parseTap(g.stdout);
      stepCount = tapStepCount(g.stdout);
      expect(stepCount).toBeGreaterThanOrEqual(steps.ok.length);
      expect(tap).toMatchObject({ passed: referenceChecks + stepCount, failed: 0 });
      expect(g.stdout).toMatch(/^# score: (\d+)\/\1 points$/m);
      // Autolab's line ends make grade FORMAT=autolab's stdout: every rule at its points.
      const a = gradeOut(starter, ['FORMAT=autolab']);
      expect(a.status).toBe(0);
      const line = JSON.parse(a.stdout.trimEnd().split('\n').at(-1)!) as {
        scores: Record<string, number>;
        scoreboard: number[];
      };
      const { rules, max } = readRubric(starter);
      expect(line.scores).toEqual(Object.fromEntries(rules.map((x) => [x.id, x.points])));
      expect(line.scoreboard).toEqual([max]);
      // make check runs the release rules' checks, and counts them apart.
      expect(sum.passed + laterCount(r.out), "the reference project's checks, and the step checks").toBe(
        referenceChecks + stepCount,
      );
      expect(r.out).toMatch(/^score: (\d+)\/\1 points; \d+ more points are graded when you submit/m);
    });

    it("GRADER_DIR adds the teacher's checks to the totals, and a section id replaces that section", () => {
      expect(referenceChecks, 'runs after the splice test').toBeGreaterThan(0);
      const all = referenceChecks + stepCount;
      const grader = join(starter, '..', 'grader');
      mkdirSync(grader, { recursive: true });
      const script = (name: string, body: string) => {
        writeFileSync(join(grader, name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(grader, name), 0o755);
      };
      script('passes', '"$1" -V | grep -q "^$NAME " && [ -x "$PROBE" ] && [ -d "$CHECK_TMP" ]');
      script('fails', 'echo "the hidden check wants more"; exit 3');
      writeFileSync(join(grader, 'not-executable'), 'exit 1\n');
      // Relative to the project, as a teacher types it.
      const r = makeIn(starter, ['check', WERROR, 'GRADER_DIR=../grader']);
      expect(r.status, r.out).not.toBe(0);
      const hidden = laterCount(r.out);
      expect(checkSummary(r.out)).toEqual({ passed: all + 1 - hidden, failed: 1 });
      expect(r.out).toMatch(
        /^FAIL fails \(the grader's check\)\n(.*\n)*? {5}seen: exit 3: the hidden check wants more$/m,
      );
      expect(r.out).toMatch(/^ok {3}passes \(the grader's check\)$/m);
      const tap = parseTap(gradeOut(starter, [`GRADER_DIR=${grader}`]).stdout);
      expect(tap).toMatchObject({ passed: all + 1, failed: 1 });
      // The options section (-t, -h, -V, usage: 9 checks, and tick's interval with words) replaced by
      // one passing check, and the steps section, which can be replaced like any other, by another:
      // in one run (each minute of CI counts), each section's own checks gone, and the totals exact.
      const options = payload === 'tick' ? 10 : 9;
      script('options', 'exit 0');
      script('steps', 'exit 0');
      const st = makeIn(starter, ['check', WERROR, `GRADER_DIR=${grader}`]);
      expect(st.out).toContain(`(replaced by ${grader}/options)`);
      expect(st.out).not.toContain('-t accepts a good config');
      expect(st.out).toContain(`(replaced by ${grader}/steps)`);
      expect(stepChecks(st.out), st.out).toMatchObject({ ok: [], fail: [] });
      expect(checkSummary(st.out)!.passed + laterCount(st.out)).toBe(all + 1 - options + 1 - stepCount + 1);
      expect(checkSummary(st.out)!.failed).toBe(1);
    });

    it('each exercise function, its reference spliced in alone, raises the passed count of make check', async () => {
      const fresh = generateProject([...flags, '--starter']);
      const checked = (r: { out: string }) => {
        const sum = checkSummary(r.out);
        expect(sum, r.out).toBeDefined();
        expect(r.out).not.toMatch(/warning:/);
        return { passed: sum!.passed, out: r.out };
      };
      // The untouched starter's make check is the one the test above ran (the same files): here the
      // fresh starter is only built, warning-free, for the copies. Run alone, this test runs its own.
      let base: { passed: number; out: string };
      if (untouched === undefined) base = checked(makeIn(fresh, ['check', WERROR]));
      else {
        const steps = Object.keys(exercises(reload)).map(
          (f) => `tests/step-${f.slice('helper/'.length, -'.c'.length)}`,
        );
        const b = makeIn(fresh, ['all', 'tests/probe', ...steps, WERROR]);
        expect(b.status, b.out).toBe(0);
        expect(b.out).not.toMatch(/warning:/);
        base = checked({ out: untouched });
      }
      const counts: Record<string, number> = { untouched: base.passed };
      // The multithreaded starter's other exercise functions are the single-threaded one's, the same
      // code, proven there: here only its own (helper/signals.c), each minute of CI counting.
      const own = Object.entries(exercises(reload)).filter(
        ([file]) => reload === 'single' || file === 'helper/signals.c',
      );
      // Each function in its own copy of the built starter, two make checks at a time: each mostly
      // waits on a daemon or a step driver.
      const jobs = own.flatMap(([file, names]) => names.map((name) => ({ file, name })));
      const one = async ({ file, name }: { file: string; name: string }, i: number) => {
        const copy = join(fresh, '..', `copy${i}`);
        cpSync(fresh, copy, { recursive: true, preserveTimestamps: true });
        const stub = readFileSync(join(copy, file), 'utf8');
        const ref = readFileSync(join(reference, file), 'utf8');
        writeFileSync(join(copy, file), spliceBody(stub, name, cFunction(ref, name).body));
        const r = checked(await runAsync(['make', 'check', WERROR], { cwd: copy }));
        rmSync(copy, { recursive: true, force: true });
        return r;
      };
      const results: { passed: number; out: string }[] = [];
      for (let i = 0; i < jobs.length; i += 2)
        results.push(...(await Promise.all(jobs.slice(i, i + 2).map((j, k) => one(j, i + k)))));
      jobs.forEach(({ name }, i) => {
        const r = results[i]!;
        counts[name] = r.passed;
        expect(r.passed, `${name}() alone: ${r.out}`).toBeGreaterThan(base.passed);
        // Some of what it gained is a step check: one that ran without the other functions.
        const gained = stepChecks(r.out).ok.filter((c) => !stepChecks(base.out).ok.includes(c));
        expect(gained.length, `${name}() alone turns a step check ok`).toBeGreaterThan(0);
        // Its rule still scores 0 (the daemon's checks need the other files), and the score says why.
        if (name === 'log_open')
          expect(r.out).toMatch(/^ +0\/\d+ +log .*\n +its functions pass on their own \(section steps\)/m);
      });
      console.log(`make check passed counts, ${flags.join(' ')}: ${JSON.stringify(counts)}`);
      // Nothing outlives the checks: no driver, no half-started daemon.
      const parent = join(fresh, '..');
      expect(
        run(['sh', '-c', `pgrep -f '${parent}/[^/]*/[t]ests/step-|${parent}/[^/]*/[m]yd' || true`]).out.trim(),
      ).toBe('');
    }, 600_000);

    it('no exercise function contains its reference body, and nothing else differs', () => {
      const ex = exercises(reload);
      // A fresh starter: the one above has the reference spliced in.
      const fresh = generateProject([...flags, '--starter']);
      for (const [file, names] of Object.entries(ex)) {
        const s = readFileSync(join(fresh, file), 'utf8');
        const ref = readFileSync(join(reference, file), 'utf8');
        const sFns = new Map(cFunctions(s).map((f) => [f.name, f.body]));
        const rFns = new Map(cFunctions(ref).map((f) => [f.name, f.body]));
        expect([...sFns.keys()].filter((n) => n !== 'todo')).toEqual([...rFns.keys()]);
        for (const [name, rbody] of rFns) {
          const sbody = sFns.get(name)!;
          if (names.includes(name)) {
            expect(squeeze(sbody), `${file}: ${name}() is a stub`).not.toContain(squeeze(rbody));
            expect(sbody, `${file}: ${name}() has a TODO`).toMatch(/TODO/);
          } else {
            expect(sbody, `${file}: ${name}() is not an exercise, and is the same in both modes`).toBe(rbody);
          }
        }
      }
      // No reference body appears anywhere else in the starter project either.
      const files: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d)) {
          const p = join(d, e);
          if (statSync(p).isDirectory()) walk(p);
          else files.push(p);
        }
      };
      walk(fresh);
      const texts = files.map((f) => [relative(fresh, f), squeeze(readFileSync(f, 'utf8'))] as const);
      for (const [file, names] of Object.entries(ex)) {
        const ref = readFileSync(join(reference, file), 'utf8');
        for (const name of names) {
          const body = squeeze(cFunction(ref, name).body);
          for (const [rel, text] of texts)
            expect(text.includes(body), `${name}()'s reference is in ${rel}`).toBe(false);
        }
      }
    });

    itWith(['cppcheck', 'clang'])('make lint is clean on the starter', () => {
      const fresh = generateProject([...flags, '--starter']);
      const r = makeIn(fresh, ['lint']);
      expect(r.status, r.out).toBe(0);
    });
  });
}
