// make check is not hollow: break one rule in the emitted C at a time, and make check must fail,
// naming that check and its rule, while the other checks still run and pass. Run as the invoking
// user (root in CI), and again as nobody under umask 027, where make check meets other conditions.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { MUTATIONS } from '../emitted/mutations.js';
import {
  checkSummary,
  chownTree,
  isTypeScript,
  prebuiltProject,
  run,
  runAsync,
  WERROR,
  type RunResult,
} from './project.js';
import { describeWith, isRoot, itWith } from './tools.js';

/** The files whose mutations the nobody run leaves to the invoking user's (see below). */
const SAME_FOR_ANY_ACCOUNT = [
  'helper/daemonize.c',
  'helper/signals.c',
  'helper/notify.c',
  'src/reload.c',
  'src/tick.c',
  // The config parser's rules (and the path expansion it uses): text in, verdict out.
  'src/config.c',
  'src/path.c',
];

const asRoot = () => (isRoot ? undefined : 'needs root: make check reads syslog only from a private /dev/log');

/**
 * make check in dir: as the invoking user, or as nobody under umask 027 (which needs root to switch). A
 * TypeScript project's is make check-daemon: its unit tests (check-unit) do not run the C that the
 * mutations break.
 */
function makeCheck(dir: string, as: 'self' | 'nobody', target = 'check'): Promise<RunResult> {
  if (as === 'self') return runAsync(['make', target, WERROR], { cwd: dir });
  const uid = Number(run(['id', '-u', 'nobody']).out.trim());
  const gid = Number(run(['id', '-g', 'nobody']).out.trim());
  chownTree(dir, uid, gid);
  return runAsync(
    [
      'setpriv',
      `--reuid=${uid}`,
      `--regid=${gid}`,
      '--clear-groups',
      'sh',
      '-c',
      `umask 027 && make ${target} '${WERROR}'`,
    ],
    { cwd: dir, env: { HOME: '/nonexistent' } },
  );
}

export function mutationSuite(as: 'self' | 'nobody'): void {
  const tools = as === 'nobody' ? ['make', 'gcc', 'setpriv'] : ['make', 'gcc'];
  const extra = as === 'nobody' ? () => (isRoot ? undefined : 'needs root, to run make check as nobody') : undefined;
  describeWith(tools, extra)(
    `make check catches a broken rule (${as === 'self' ? 'as the invoking user' : 'as nobody, umask 027'})`,
    () => {
      for (const m of MUTATIONS) {
        // A check only root can run (a private /dev/log, a privilege drop) is a skip line as nobody.
        if (m.root && as === 'nobody') continue;
        // The TypeScript daemon's own checks (of Node, beside the helper) depend on no account or
        // umask: run once, as the invoking user (each minute of CI counts).
        if (isTypeScript(m.flags ?? []) && as === 'nobody') continue;
        // As nobody, the mutations of files whose checks look at what the daemon does to itself
        // (detaching, signals, sd_notify, the reload, the tick): the account and the umask change
        // nothing there, and the invoking user's run proves them. Each minute of CI counts.
        if (as === 'nobody' && SAME_FOR_ANY_ACCOUNT.includes(m.file)) continue;
        // Likewise a mutation of another file whose check the account and the umask do not touch
        // (Mutation.anyAccount): the echo protocol's bytes, the command line's parsing, a log line's
        // text. Their checks still run, and must pass, in every other mutation's make check as nobody.
        if (as === 'nobody' && m.anyAccount) continue;
        // Two at a time (vitest.config.ts, maxConcurrency): a make check mostly waits on its daemon
        // (about 40% of a core), so two side by side in each of the two workers fit the two cores.
        const test = m.root ? itWith(['unshare'], asRoot, true) : (it.concurrent as unknown as typeof it);
        test(`${m.title}: FAIL names the check and the rule`, async ({ onTestFinished }) => {
          const dir = prebuiltProject(m.flags ?? ['--reload', 'single', '--payload', 'tick'], 'myd', onTestFinished);
          const file = join(dir, m.file);
          const source = readFileSync(file, 'utf8');
          let mutated = source;
          for (const e of [{ from: m.from, to: m.to }, ...(m.more ?? [])]) {
            expect(mutated, `the mutation no longer applies to ${m.file}`).toContain(e.from);
            mutated = mutated.replace(e.from, e.to);
          }
          writeFileSync(file, mutated);
          const r = await makeCheck(dir, as, isTypeScript(m.flags ?? []) ? 'check-daemon' : 'check');
          expect(r.status, r.out).not.toBe(0);
          expect(r.out).toMatch(m.fails);
          const failure = r.out.slice(r.out.search(m.fails)).split('\n').slice(0, 3).join('\n');
          expect(failure).toMatch(m.rule);
          const failed = [...r.out.matchAll(/^FAIL .*$/gm)].map((f) => f[0]);
          for (const k of m.kills ?? [])
            expect(
              failed.some((l) => k.test(l)),
              `${k} fails too: ${r.out}`,
            ).toBe(true);
          // Only checks of that property fail.
          const unrelated = failed.filter(
            (line) => ![m.fails, ...(m.kills ?? []), ...(m.also ?? [])].some((a) => a.test(line)),
          );
          expect(unrelated, r.out).toEqual([]);
          const summary = checkSummary(r.out);
          expect(summary?.failed).toBeGreaterThanOrEqual(1);
          // Every other check still ran.
          expect(summary!.passed + summary!.failed).toBeGreaterThanOrEqual(40);
        });
      }
    },
  );
}
