// The self-test is not hollow: break one rule in the emitted C at a time, and make check must
// fail, naming that check and its rule, while the other checks still run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { checkSummary, generateProject, run, WERROR } from '../support/project.js';
import { describeWith } from '../support/tools.js';

interface Mutation {
  readonly title: string;
  readonly file: string;
  readonly from: string;
  readonly to: string;
  /** The FAIL line make check must print, and the rule it must cite. */
  readonly fails: RegExp;
  readonly rule: RegExp;
}

const MUTATIONS: readonly Mutation[] = [
  {
    title: 'no second fork',
    file: 'helper/daemonize.c',
    from: '\tif ((pid = fork()) == -1)\n\t\treturn -1;\n\tif (pid > 0)\n\t\t_exit(0);\n',
    to: '',
    fails: /^FAIL it is not a session leader/m,
    rule: /APUE 13\.3 rule 3 and daemon\(7\) step 7/,
  },
  {
    title: 'inherited descriptors left open',
    file: 'helper/daemonize.c',
    from: 'close_inherited(int keep)\n{\n',
    to: 'close_inherited(int keep)\n{\n\tif (keep > 0)\n\t\treturn 0;\n',
    fails: /^FAIL no inherited descriptor survives/m,
    rule: /APUE 13\.3 rule 5, daemon\(7\) step 1/,
  },
  {
    title: 'no chdir("/")',
    file: 'helper/daemonize.c',
    from: 'if (chdir("/") == -1)',
    to: 'if (chdir(".") == -1)',
    fails: /^FAIL its working directory is \//m,
    rule: /APUE 13\.3 rule 4/,
  },
  {
    title: 'signal dispositions not reset',
    file: 'helper/daemonize.c',
    from: '\tfor (sig = 1; sig < NSIG; sig++) {',
    to: '\tfor (sig = NSIG; sig < NSIG; sig++) {',
    fails: /^FAIL only SIGPIPE is ignored/m,
    rule: /daemon\(7\) step 2/,
  },
  {
    title: 'SIGHUP parses but never applies',
    file: 'src/reload.c',
    from: 'apply(&cf, err, sizeof(err), arg) == -1',
    to: '(arg == NULL && apply(&cf, err, sizeof(err), arg) == -1)',
    fails: /^FAIL SIGHUP applies the changed config/m,
    rule: /APUE 13\.6/,
  },
  {
    title: 'the parent exits before the daemon is ready',
    file: 'helper/daemonize.c',
    from: '\t(void)close(fds[0]);\n\t*ready_fd = fds[1];\n',
    to: '\t(void)close(fds[0]);\n\t*ready_fd = fds[1];\n\t(void)daemon_report(fds[1], 0, "");\n\t*ready_fd = -1;\n',
    fails: /^FAIL a second instance is refused with exit 1/m,
    rule: /APUE 13\.5/,
  },
];

describeWith(['make', 'gcc'])('make check catches a broken rule', () => {
  for (const m of MUTATIONS) {
    it(`${m.title}: FAIL names the check and the rule`, () => {
      const dir = generateProject(['--reload', 'single', '--payload', 'tick']);
      const file = join(dir, m.file);
      const source = readFileSync(file, 'utf8');
      expect(source, `the mutation no longer applies to ${m.file}`).toContain(m.from);
      writeFileSync(file, source.replace(m.from, m.to));
      const r = run(['make', 'check', WERROR], { cwd: dir });
      expect(r.status, r.out).not.toBe(0);
      expect(r.out).toMatch(m.fails);
      const failure = r.out.slice(r.out.search(m.fails)).split('\n').slice(0, 3).join('\n');
      expect(failure).toMatch(m.rule);
      const summary = checkSummary(r.out);
      expect(summary?.failed).toBeGreaterThanOrEqual(1);
      // Every other check still ran.
      expect(summary!.passed + summary!.failed).toBeGreaterThanOrEqual(40);
    });
  }
});
