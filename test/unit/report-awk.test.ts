// tests/report.awk on results written here: the whole TAP stream tests/grade.sh -f tap prints, and
// make check's note on a rule whose functions pass on their own (found by a new user's walkthrough).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/cli.js';

const AWK = join(ROOT, 'templates/project/tests/report.awk');

function report(rubric: string, results: string, vars: string[]): string {
  const dir = tempDir('cd-report-');
  writeFileSync(join(dir, 'rubric'), rubric);
  writeFileSync(join(dir, 'results'), results);
  const args = ['-f', AWK, ...vars.flatMap((v) => ['-v', v]), join(dir, 'rubric'), join(dir, 'results')];
  const r = spawnSync('awk', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

const RUBRIC = 'log\t8\tpublic\thelper/log.c\tsyslog\nlock\t8\tpublic\thelper/pidfile.c\tthe lock\n';
const RESULTS = [
  'R\tpass\tlog\tsteps\tlog_open() records the ident',
  'R\tfail\tlog\tdetached\tsyslog gets its lines',
  'S\tnothing arrived',
  'R\tfail\tlock\tsteps\tpidfile_open() locks',
  'R\tskip\t\tsyslog\tno private /dev/log',
  'N\ta note on the run',
  'E\tend',
  '',
].join('\n');

describe('tests/report.awk', () => {
  it('-v full=1: a TAP line per check, the plan, the notes, then the rules and the score', () => {
    const out = report(RUBRIC, RESULTS, ['format=tap', 'full=1']);
    expect(out.split('\n')).toEqual([
      'TAP version 13',
      'ok 1 - log_open() records the ident',
      '# rule: log',
      'not ok 2 - syslog gets its lines',
      '# rule: log',
      '# seen: nothing arrived',
      'not ok 3 - pidfile_open() locks',
      '# rule: lock',
      'ok 4 - no private /dev/log # SKIP',
      '1..4',
      '# a note on the run',
      '# rule log: 0/8 failed (1 of 2 checks failed)',
      '# rule lock: 0/8 failed (1 of 1 checks failed)',
      '# score: 0/16 points',
      '',
    ]);
    // make grade's form (check.sh prints the TAP lines): the comments alone.
    expect(report(RUBRIC, RESULTS, ['format=tap'])).toMatch(/^# rule log: /);
  });

  it("make check's score says when a rule's own steps pass and only the daemon's checks fail", () => {
    const out = report(RUBRIC, RESULTS, ['format=text', 'tier=public']);
    expect(out).toMatch(/^ {2}0\/8 {3}log .*\n {10}its functions pass on their own \(section steps\)/m);
    // Not for a rule whose own step failed, nor when graded (the grader links the reference).
    expect(out).not.toMatch(/lock .*\n {10}its functions/);
    expect(report(RUBRIC, RESULTS, ['format=text', 'tier=all'])).not.toContain('its functions pass');
  });
});
