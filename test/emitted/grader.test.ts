// The starter's grader grades itself (issue 17): tests/grade.sh over a batch of generated
// submissions gives the CSV of points per rule that each deserves. The untouched starter scores 0
// on every rule, the reference the maximum, one mutant per rule loses exactly that rule's points,
// a tampered tree is graded as if it were not, a build that fails scores 0 saying why; a daemon
// that escapes and hangs is stopped at the deadline, scored (never full marks), and leaves
// nothing behind; the Gradescope results.json has the documented fields. The single-model batch
// is a course with per-student variants: each student's work is graded against their own variant,
// and a solution copied from a student of the other reload signal loses the signal rule.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generate } from '../support/init-project.js';
import { tempDir } from '../support/cli.js';
import { killUnder } from '../support/processes.js';
import { describeWith, isRoot, itWith } from '../support/tools.js';
import { STEP_MUTATIONS } from './step-mutations.js';
import { readRubric } from '../support/starter-suite.js';
import { parseVariant, variantRecord } from '../../generators/core/variant.js';

const EXERCISES = ['helper/log.c', 'helper/pidfile.c', 'helper/daemonize.c', 'helper/signals.c'];

type Rule = ReturnType<typeof readRubric>['rules'][number];

/** A starter handout and its reference (the same answers without --starter), in parent. */
function handoutAndReference(
  parent: string,
  flags: readonly string[],
  handoutFlags: readonly string[] = [],
): { handout: string; reference: string } {
  return {
    handout: generate('myd', [...flags, ...handoutFlags, '--starter'], join(parent, 'h')).dir,
    reference: generate('myd', flags, join(parent, 'r')).dir,
  };
}

const SEED = 'grader-test-seed';
/** The reload signal of a student's variant (core/variant.ts), the same derivation as tests/grade.sh's. */
const reloadOf = (id: string): string => parseVariant(variantRecord(SEED, id), 'myd', '/run/myd.pid')!.reload;
/** The first of id, id-2, id-3 ... whose reload signal is (or is not) `reload`. */
function idWith(id: string, reload: string, same: boolean): string {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? id : `${id}-${n}`;
    if ((reloadOf(candidate) === reload) === same) return candidate;
  }
}

/** A mutant of the reference: edits to one exercise file, and the one rule it must cost. */
interface Mutant {
  readonly rule: string;
  readonly file: string;
  readonly edits: readonly (readonly [string, string])[];
}

const stepMutant = (rule: string, title: RegExp): Mutant => {
  const m = STEP_MUTATIONS.find((s) => title.test(s.title));
  if (!m) throw new Error(`no step mutation ${title.source}`);
  return { rule, file: m.file, edits: m.edits };
};

const MUTANTS: readonly Mutant[] = [
  stepMutant('log', /log_open\(\) keeps a facility of its own/),
  {
    rule: 'lock',
    file: 'helper/pidfile.c',
    edits: [['O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW', 'O_RDWR | O_CREAT | O_NOFOLLOW']],
  },
  {
    rule: 'stale',
    file: 'helper/pidfile.c',
    edits: [['\tif (ftruncate(fd, 0) == -1)', '\tif (0 && ftruncate(fd, 0) == -1)']],
  },
  stepMutant('signals', /on_signal\(\) logs the signal/),
  { rule: 'detach', file: 'helper/daemonize.c', edits: [['\tif (setsid() == -1)\n\t\treturn -1;\n', '']] },
  stepMutant('umask', /sets the project's default umask/),
  { rule: 'chdir', file: 'helper/daemonize.c', edits: [['\tif (chdir("/") == -1)', '\tif (chdir("/tmp") == -1)']] },
  stepMutant('ready', /caller exits 0 at once/),
  stepMutant('close', /closes up to a fixed number/),
  {
    rule: 'stdio',
    file: 'helper/daemonize.c',
    edits: [['\tfor (i = 0; i <= 2; i++) {', '\tfor (i = 1; i <= 2; i++) {']],
  },
  stepMutant('sigreset', /resets signals 1 to 31 only/),
];

function mutate(src: string, edits: Mutant['edits']): string {
  for (const [from, to] of edits) {
    expect(src, 'the mutation no longer applies').toContain(from);
    src = src.replace(from, to);
  }
  return src;
}

/** The CSV's rows by id: points, max, and each rule's points. */
function parseCsv(csv: string): { header: string[]; rows: Map<string, Record<string, string>> } {
  const lines = csv.trim().split('\n');
  const header = lines[0]!.split(',');
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(1)) {
    // The note is the last field, quoted; the id the first.
    const m = /^"([^"]*)",(.*),"(.*)"$/.exec(line);
    expect(m, `a CSV row: ${line}`).not.toBeNull();
    const fields = [m![1]!, ...m![2]!.split(','), m![3]!];
    // Every row as wide as the header, a refused one too: a spreadsheet keeps each in its column.
    expect(fields, line).toHaveLength(header.length);
    rows.set(m![1]!, Object.fromEntries(header.map((h, i) => [h, fields[i]!])));
  }
  return { header, rows };
}

/** The processes whose command line contains text. */
function processesWith(text: string): string[] {
  const found: string[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(text)) found.push(`${p}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describeWith(['make', 'gcc', 'openssl'])('tests/grade.sh grades a batch of submissions, rule by rule', () => {
  let parent = '';
  let handout = '';
  let reference = '';
  let rules: Rule[] = [];
  let max = 0;
  let csv = '';
  let batchStderr = '';

  let copier = '';
  let copied = '';
  let seen = '';

  beforeAll(() => {
    parent = tempDir('cd-grade-');
    // A course with per-student variants: the handout is any student's (the grader rewrites its
    // variant for each), the reference is generated without one (SIGHUP reloads).
    ({ handout, reference } = handoutAndReference(
      parent,
      ['--reload', 'single', '--payload', 'tick'],
      ['--variant-seed', SEED, '--student', 'teacher'],
    ));
    ({ rules, max } = readRubric(handout));
    const subs = join(parent, 'subs');
    // Each student writes their own variant's reload signal in signals.c (on_signal()).
    const reloadLine = '\tif (sig == SIGHUP)\n\t\tgot_reload = 1;';
    const own = (id: string, f: string, text: string): string =>
      f.endsWith('signals.c') && text.includes(reloadLine)
        ? text.replace(reloadLine, reloadLine.replace('SIGHUP', `SIG${reloadOf(id)}`))
        : text;
    const put = (id: string, files: Record<string, string>, as = id) => {
      mkdirSync(join(subs, id), { recursive: true });
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(join(subs, id, f, '..'), { recursive: true });
        writeFileSync(join(subs, id, f), own(as, f, text));
      }
    };
    const ref = Object.fromEntries(EXERCISES.map((f) => [f, readFileSync(join(reference, f), 'utf8')]));
    const stub = Object.fromEntries(EXERCISES.map((f) => [f, readFileSync(join(handout, f), 'utf8')]));
    // Finished work, each student's own (a comment), at the tree's paths or flat.
    put('reference', ref);
    expect(ref['helper/signals.c'], 'the reload line the students edit').toContain(reloadLine);
    // Flat; and Brian's handed in as a folder of its own, the project's paths inside.
    // Her folder is "Ada": an id is taken in lower case, here as by create-daemon --student.
    put('Ada', Object.fromEntries(Object.entries(ref).map(([f, t]) => [f.slice('helper/'.length), `/* ada */\n${t}`])));
    put('brian', Object.fromEntries(Object.entries(ref).map(([f, t]) => [`myd/${f}`, `/* brian */\n${t}`])));
    // Ada's solution, handed in by a student whose variant reloads on the other signal.
    copied = 'ada';
    copier = idWith('copier', reloadOf(copied), false);
    put(copier, Object.fromEntries(Object.entries(ref).map(([f, t]) => [f, `/* ada */\n${t}`])), copied);
    put('untouched', stub);
    // A folder whose name is no student id: not graded, and said so in a row as wide as the others.
    put('not an id', stub);
    // Only log.c done: its rule scores, graded with the reference's other files.
    put('log-only', { ...stub, 'helper/log.c': ref['helper/log.c']! });
    // A whole tree whose check.sh and Makefile say everything passes: they are not run.
    const tamper = (id: string, files: Record<string, string>) => {
      cpSync(handout, join(subs, id), { recursive: true });
      put(id, files);
      writeFileSync(join(subs, id, 'tests/check.sh'), '#!/bin/sh\necho "72 passed, 0 failed"\nexit 0\n');
      writeFileSync(join(subs, id, 'tests/rubric'), 'log\t60\tpublic\thelper/log.c\teverything\n');
      writeFileSync(join(subs, id, 'Makefile'), 'check grade all:\n\t@echo "60/60 points"\n');
    };
    tamper('tampered-untouched', stub);
    tamper('tampered-finished', ref);
    // -Werror: an unused variable.
    put('no-build', {
      ...ref,
      'helper/log.c': ref['helper/log.c']!.replace(
        '\tint\tsaved = errno;\n',
        '\tint\tsaved = errno;\n\tint\tunused;\n',
      ),
    });
    for (const m of MUTANTS) put(`mutant-${m.rule}`, { ...ref, [m.file]: mutate(ref[m.file]!, m.edits) });
    expect(readdirSync(subs)).toHaveLength(21);
    // The seed on standard input (-s -), as a teacher's script gives it; and a hidden check that
    // keeps each run's variant files.
    seen = join(parent, 'seen');
    mkdirSync(join(parent, 'pack'));
    writeFileSync(
      join(parent, 'pack/keep-variant'),
      `#!/bin/sh\nd=\${1%/*}\nid=$(sed -n "s/^VARIANT_STUDENT='\\(.*\\)'$/\\1/p" "$d/tests/variant")\nmkdir -p "${seen}/$id" && cp "$d/tests/variant" "$d/src/variant.c" "${seen}/$id/"\nenv >"${seen}/$id/env"\nls -a "$d/../.." >"${seen}/$id/grader-dir"\n`,
      { mode: 0o755 },
    );

    const r = spawnSync('sh', ['tests/grade.sh', '-r', reference, '-s', '-', '-g', join(parent, 'pack'), '-b', subs], {
      cwd: handout,
      // The seed still exported from making the handouts, as a teacher's shell may have it.
      env: { ...process.env, CREATE_DAEMON_VARIANT_SEED: SEED },
      encoding: 'utf8',
      input: `${SEED}\n`,
      timeout: 600_000,
    });
    batchStderr = r.stderr;
    expect(r.status, r.stderr).toBe(0);
    csv = r.stdout;
  }, 620_000);
  afterAll(() => {
    if (parent) {
      killUnder(parent);
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('writes one CSV row per submission: id, points, max, each rule, a note', () => {
    const { header, rows } = parseCsv(csv);
    expect(header).toEqual(['id', 'points', 'max', ...rules.map((r) => r.id), 'note']);
    expect(rows.size, csv).toBe(21);
    for (const row of rows.values()) expect(row.max).toBe(String(max));
    expect(batchStderr).toBe('');
  });

  it('the reference and finished work score the maximum; the untouched starter 0 on every rule', () => {
    const { rows } = parseCsv(csv);
    for (const id of ['reference', 'Ada', 'brian', 'tampered-finished'])
      expect(rows.get(id), `${id}\n${csv}`).toMatchObject({ points: String(max) });
    for (const id of ['untouched', 'tampered-untouched']) {
      const row = rows.get(id)!;
      expect(row.points, `${id}\n${csv}`).toBe('0');
      for (const r of rules) expect(row[r.id], `${id}: ${r.id}`).toBe('0');
      expect(row.note).toContain(
        "every exercise file is the handout's, untouched: nothing of the student's was graded",
      );
    }
    expect(rows.get('Ada')!.note).toBe('graded against the variant of student ada');
    expect(rows.get('not an id')).toMatchObject({
      points: '0',
      note: 'not graded: not a student id, so no variant (1-64 letters, digits and . _ @ + -)',
    });
  });

  it('a project handed in as a folder of its own is graded from that folder, and says so', () => {
    expect(parseCsv(csv).rows.get('brian')!.note, csv).toBe(
      'the files were graded from myd/, the one folder handed in; graded against the variant of student brian',
    );
  });

  it("refuses, before grading, Gradescope's directory with no id, and metadata with no user's e-mail", () => {
    const grade = (args: string[]) =>
      spawnSync('sh', ['tests/grade.sh', '-r', reference, '-s', '-', ...args], {
        cwd: handout,
        encoding: 'utf8',
        input: `${SEED}\n`,
      });
    const submission = join(parent, 'submission');
    mkdirSync(submission, { recursive: true });
    const noId = grade([submission]);
    expect(noId.status).toBe(2);
    expect(noId.stderr).toMatch(/which student's variant\? give -M \/autograder\/submission_metadata.json, or -i ID/);
    writeFileSync(join(parent, 'meta.json'), '{"users": [{"name": "Ada", "id": 1}]}');
    const noEmail = grade(['-M', join(parent, 'meta.json'), submission]);
    expect(noEmail.status).toBe(2);
    expect(noEmail.stderr).toMatch(/-M: the first user in .* has no "email" address/);
    // The first user's address, or none: a null one is not the next user's.
    writeFileSync(join(parent, 'meta2.json'), '{"users": [{"email": null}, {"email": "ada@uni.edu"}]}');
    const nullEmail = grade(['-M', join(parent, 'meta2.json'), submission]);
    expect(nullEmail.status).toBe(2);
    expect(nullEmail.stderr).toMatch(/-M: the first user in .* has no "email" address/);
    const missing = grade(['-M', join(parent, 'nowhere.json'), submission]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^grade\.sh: -M: cannot read .*nowhere\.json\n/);
    const both = grade(['-i', 'ada', '-M', join(parent, 'meta2.json'), submission]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/-i and -M both name the student: give one/);
    // A seed that is not the handout's is refused, not found out as every student's wrong variant.
    const wrong = spawnSync('sh', ['tests/grade.sh', '-r', reference, '-s', '-', '-i', 'ada', submission], {
      cwd: handout,
      encoding: 'utf8',
      input: `${SEED}-2\n`,
    });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(
      /-s: this is not the seed the handout was generated with \(its \.yo-rc\.json has teacher's variant\)/,
    );
    // A CR (a seed file written on Windows) is refused, not hashed.
    const crlf = spawnSync('sh', ['tests/grade.sh', '-r', reference, '-s', '-', '-i', 'ada', submission], {
      cwd: handout,
      encoding: 'utf8',
      input: `${SEED}\r\n`,
    });
    expect(crlf.status).toBe(2);
    expect(crlf.stderr).toMatch(/-s: the seed in - has a control character/);
  });

  it("a solution for another student's variant loses the signal rule in this student's", () => {
    expect(reloadOf(copier)).not.toBe(reloadOf(copied));
    const row = parseCsv(csv).rows.get(copier)!;
    const signals = rules.find((r) => r.id === 'signals')!;
    expect(row.signals, csv).toBe('0');
    expect(row.points, csv).toBe(String(max - signals.points));
  });

  it("rewrites each student's tests/variant and src/variant.c exactly as create-daemon writes that student's handout", () => {
    for (const id of ['Ada', copier]) {
      const own = generate(
        'myd',
        ['--reload', 'single', '--payload', 'tick', '--starter', '--variant-seed', SEED, '--student', id],
        join(parent, `own-${id}`),
      ).dir;
      for (const f of ['tests/variant', 'src/variant.c'])
        expect(readFileSync(join(seen, id.toLowerCase(), f.split('/')[1]!), 'utf8'), `${id}: ${f}`).toBe(
          readFileSync(join(own, f), 'utf8'),
        );
    }
  });

  it("takes one submission's id from its name as given: a link named brian is graded as brian, and reported so", () => {
    mkdirSync(join(parent, 'links'));
    symlinkSync(join(parent, 'subs', 'brian'), join(parent, 'links', 'brian2'));
    const r = spawnSync(
      'sh',
      ['tests/grade.sh', '-r', reference, '-s', '-', '-f', 'csv', join(parent, 'links', 'brian2')],
      {
        cwd: handout,
        encoding: 'utf8',
        input: `${SEED}\n`,
        timeout: 300_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const row = parseCsv(r.stdout).rows.get('brian2')!;
    expect(row, r.stdout).toBeDefined();
    expect(row.note).toContain('graded against the variant of student brian2');
  });

  it('-m writes the untouched exercise files, the base for MOSS, and says which variant their comments are', () => {
    const base = join(parent, 'moss-base');
    const r = spawnSync('sh', ['tests/grade.sh', '-m', base], { cwd: handout, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const f of EXERCISES)
      expect(readFileSync(join(base, f), 'utf8'), f).toBe(readFileSync(join(handout, f), 'utf8'));
    expect(r.stderr).toContain(`their comments are those of a variant reloading on SIG${reloadOf('teacher')}`);
    expect(r.stderr).toContain('also run -m in a handout whose variant reloads on the other signal');
  });

  it("leaves the student's code nothing of the grader's: no seed in its environment, no digest on disk", () => {
    for (const id of ['ada', copier]) {
      const env = readFileSync(join(seen, id, 'env'), 'utf8');
      expect(env).not.toContain(SEED);
      expect(env).not.toMatch(/^CREATE_DAEMON_VARIANT_SEED=/m);
      // Nor the teacher's directories (an inherited OLDPWD named the one the seed file was in).
      expect(env).not.toContain(handout);
      const listing = readFileSync(join(seen, id, 'grader-dir'), 'utf8');
      expect(listing).toMatch(/^sub\.1$/m);
      expect(listing).not.toMatch(/digest/);
    }
  });

  it('a file finished alone scores its rules, graded with the reference for the others', () => {
    const row = parseCsv(csv).rows.get('log-only')!;
    const log = rules.find((r) => r.id === 'log')!;
    expect(row.log, csv).toBe(String(log.points));
    expect(row.points, csv).toBe(String(log.points));
  });

  it('a submission that does not build with -Werror scores 0, and the note says why', () => {
    const row = parseCsv(csv).rows.get('no-build')!;
    expect(row.points, csv).toBe('0');
    expect(row.note).toMatch(/does not build with the warnings as errors \(-Werror\): 0 points/);
    expect(row.note).toMatch(/unused variable/);
  });

  for (const m of MUTANTS)
    it(`a mutant of rule ${m.rule} loses exactly that rule's points`, () => {
      const row = parseCsv(csv).rows.get(`mutant-${m.rule}`)!;
      const lost = rules.find((r) => r.id === m.rule)!;
      expect(row[m.rule], csv).toBe('0');
      expect(row.points, `${JSON.stringify(row)}`).toBe(String(max - lost.points));
    });
});

describeWith(['make', 'gcc'])(
  'tests/grade.sh, multithreaded model: a batch, a daemon that escapes and hangs, results.json',
  () => {
    let parent = '';
    let handout = '';
    let reference = '';
    beforeAll(() => {
      parent = tempDir('cd-grade-multi-');
      ({ handout, reference } = handoutAndReference(parent, ['--reload', 'multi', '--payload', 'echo']));
    });
    afterAll(() => {
      killUnder(parent);
      rmSync(parent, { recursive: true, force: true });
    });

    it('refuses, before grading, a starter as the reference, a rubric row not split by tabs; -h is help', () => {
      const grade = (args: string[]) =>
        spawnSync('sh', ['tests/grade.sh', ...args], { cwd: handout, encoding: 'utf8' });
      const self = grade(['-r', handout, handout]);
      expect(self.status).toBe(2);
      expect(self.stderr).toMatch(/-r: .* is a starter, not the reference/);
      const pack = join(parent, 'bad-pack');
      mkdirSync(pack);
      writeFileSync(join(pack, 'rubric'), 'version 1 secret - -V prints the version\n');
      const rubric = grade(['-r', reference, '-g', pack, handout]);
      expect(rubric.status).toBe(2);
      expect(rubric.stderr).toMatch(/rubric line 1: want id<TAB>points<TAB>secret<TAB>-<TAB>title/);
      const help = grade(['-h']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^usage: tests\/grade.sh -r REFERENCE/);
      expect(help.stdout).toContain('-s SEEDFILE');
    });

    it('the reference scores the maximum, the untouched starter 0, a signals mutant loses only that rule', () => {
      const subs = join(parent, 'subs');
      for (const id of ['reference', 'untouched', 'mutant-signals']) {
        mkdirSync(join(subs, id, 'helper'), { recursive: true });
        for (const f of EXERCISES) cpSync(join(id === 'untouched' ? handout : reference, f), join(subs, id, f));
      }
      const sig = join(subs, 'mutant-signals/helper/signals.c');
      writeFileSync(
        sig,
        mutate(readFileSync(sig, 'utf8'), [
          [
            '\t\tif (sig == SIGHUP)\n\t\t\t(void)src->reload(',
            '\t\tif (sig == SIGHUP && sig == 0)\n\t\t\t(void)src->reload(',
          ],
        ]),
      );
      // A submission whose helper/ is a link to the reference's: never followed.
      mkdirSync(join(subs, 'linked'));
      symlinkSync(join(reference, 'helper'), join(subs, 'linked', 'helper'));
      const r = spawnSync('sh', ['tests/grade.sh', '-r', reference, '-b', subs], {
        cwd: handout,
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const { rules, max } = readRubric(handout);
      const { rows } = parseCsv(r.stdout);
      expect(rows.get('reference')!.points, r.stdout).toBe(String(max));
      expect(rows.get('linked')!.points, r.stdout).toBe('0');
      expect(rows.get('linked')!.note).toContain('helper/log.c: a symbolic link, not graded');
      for (const x of rules) expect(rows.get('untouched')![x.id], `untouched: ${x.id}`).toBe('0');
      const signals = rules.find((x) => x.id === 'signals')!;
      expect(rows.get('mutant-signals')!.signals, r.stdout).toBe('0');
      expect(rows.get('mutant-signals')!.points, r.stdout).toBe(String(max - signals.points));
    });

    it("is stopped at the deadline, scores 0 for what did not finish, leaves no process; the JSON is Gradescope's", () => {
      const sub = join(parent, 'escapee');
      mkdirSync(sub);
      for (const f of EXERCISES) cpSync(join(reference, f), join(sub, f.slice('helper/'.length)));
      // The daemon forks a child that leaves its session and never ends.
      const marker = `sleep ${4000 + (process.pid % 1000)}`;
      const d = join(sub, 'daemonize.c');
      writeFileSync(
        d,
        mutate(readFileSync(d, 'utf8'), [
          [
            '\t/* APUE 13.3 rule 1, daemon(7) step 10',
            `\tif (fork() == 0) {\n\t\t(void)setsid();\n\t\t(void)execl("/bin/sleep", "sleep", "${marker.split(' ')[1]}", (char *)NULL);\n\t\t_exit(127);\n\t}\n\t/* APUE 13.3 rule 1, daemon(7) step 10`,
          ],
        ]),
      );
      const out = join(parent, 'results.json');
      const r = spawnSync('sh', ['tests/grade.sh', '-r', reference, '-f', 'gradescope', '-o', out, '-t', '1', sub], {
        cwd: handout,
        encoding: 'utf8',
        timeout: 300_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(processesWith(marker), 'nothing the submission started is left').toEqual([]);

      // https://gradescope-autograders.readthedocs.io/en/latest/specs/: score, output,
      // stdout_visibility, and tests with name, score, max_score, status, visibility, output.
      const json = JSON.parse(readFileSync(out, 'utf8')) as {
        score: number;
        output: string;
        stdout_visibility: string;
        tests: {
          name: string;
          number: string;
          score: number;
          max_score: number;
          status: string;
          visibility: string;
          output: string;
        }[];
      };
      expect(Object.keys(json).sort()).toEqual(['output', 'score', 'stdout_visibility', 'tests']);
      expect(json.stdout_visibility).toBe('hidden');
      const { rules, max } = readRubric(handout);
      expect(json.tests.length).toBeGreaterThanOrEqual(rules.length);
      for (const t of json.tests) {
        expect(Object.keys(t).sort()).toEqual([
          'max_score',
          'name',
          'number',
          'output',
          'score',
          'status',
          'visibility',
        ]);
        expect(typeof t.name).toBe('string');
        expect(['passed', 'failed']).toContain(t.status);
        expect(['hidden', 'after_due_date', 'after_published', 'visible']).toContain(t.visibility);
        expect(t.score).toBeGreaterThanOrEqual(0);
        expect(t.score).toBeLessThanOrEqual(t.max_score);
      }
      expect(json.score).toBe(json.tests.reduce((n, t) => n + t.score, 0));
      // Stopped at 1 s (a run takes more): never full marks, and the rules it did not reach say so.
      expect(json.score).toBeLessThan(max);
      expect(json.output).toMatch(/stopped at its deadline \(1 s\)/);
      expect(
        json.tests.some((t) => t.score === 0 && /timed out|deadline/.test(t.output)),
        JSON.stringify(json.tests),
      ).toBe(true);
      const stale = json.tests.find((t) => t.name.startsWith('stale:'))!;
      expect(stale.visibility).toBe('after_due_date');
    });

    // As root, each run is a PID namespace whose init is probe contain: a student's code that kills
    // its ancestors and renames itself neither stops the grading early nor outlives it.
    itWith(['unshare'], () => (isRoot ? undefined : 'needs root (a PID namespace per run)'))(
      "as root, code that SIGKILLs the grader's probe and renames itself does not outlive the grading",
      ({ onTestFinished }) => {
        const sub = join(parent, 'killer');
        mkdirSync(sub);
        for (const f of EXERCISES) cpSync(join(reference, f), join(sub, f.slice('helper/'.length)));
        const name = `evil-${process.pid}`;
        // In the daemon only: fork a renamed child of a new session that ignores SIGTERM, then
        // SIGKILL every ancestor named probe.
        const evil = `
#include <signal.h>
#include <stdlib.h>
__attribute__((constructor)) static void
evil(void)
{
	char	exe[4096], path[64], buf[512], *c;
	ssize_t	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	pid_t	p;
	int	i;
	FILE	*f;

	if (n < 4)
		return;
	exe[n] = '\\0';
	if (strcmp(exe + n - 4, "/myd") != 0 || getenv("EVIL_DONE") != NULL)
		return;
	(void)setenv("EVIL_DONE", "1", 1);
	if (fork() == 0) {
		(void)setsid();
		(void)signal(SIGTERM, SIG_IGN);
		(void)execl("/bin/sleep", "${name}", "600", (char *)NULL);
		_exit(1);
	}
	for (p = getppid(), i = 0; i < 30 && p > 0; i++) {
		(void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)p);
		if ((f = fopen(path, "r")) == NULL)
			break;
		c = fgets(buf, sizeof(buf), f);
		(void)fclose(f);
		if (c == NULL || (c = strrchr(buf, ')')) == NULL)
			break;
		if (strstr(buf, "(probe)") != NULL)
			(void)kill(p, SIGKILL);
		p = (pid_t)strtol(c + 4, NULL, 10);
	}
}
`;
        writeFileSync(join(sub, 'log.c'), readFileSync(join(sub, 'log.c'), 'utf8') + evil);
        // Whatever happens, nothing of it is left after the test (the renamed processes are not
        // under the test's directory, which afterAll sweeps).
        onTestFinished(() => {
          for (const p of processesWith(name)) process.kill(Number(p.split(':')[0]), 'SIGKILL');
        });
        const r = spawnSync('sh', ['tests/grade.sh', '-r', reference, sub], {
          cwd: handout,
          encoding: 'utf8',
          timeout: 300_000,
        });
        expect(r.status, r.stderr).toBe(0);
        expect(processesWith(name), 'nothing the submission started is left').toEqual([]);
        // The probe survived (init of its namespace): the run finished, and says what it killed.
        expect(r.stdout).toMatch(/processes it left behind were killed/);
        expect(r.stdout).not.toMatch(/did not finish/);
      },
    );
  },
);
