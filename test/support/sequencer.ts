// The order test files start in: longest first, so that the two workers end together. Vitest's own
// order puts files it has no timings for (every file, on CI's clean clone) by size, which started
// the two 10-minute mutation suites (4-line files) last and left one worker idle for 10 minutes.
// The seconds are from one CI run (2026-12-05, session 9; cross-musl with zig's cache warm), those of the
// suites made concurrent and of the packaging tests measured alone in session 10, the cut files' and the
// fleet tests' in session 11, the grader's and the steps-only step mutations' in session 12, updated in 13 (measured
// beside other files); they only rank the files; a file missing here starts
// after the listed ones, in vitest's order. test/unit/sequencer.test.ts keeps the names real.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SECONDS: Readonly<Record<string, number>> = {
  'test/emitted/mutations.test.ts': 330,
  'test/emitted/typescript.test.ts': 150,
  'test/emitted/starter-single.test.ts': 180,
  'test/emitted/grader.test.ts': 200,
  'test/emitted/mutations-nobody.test.ts': 70,
  'test/emitted/starter-multi.test.ts': 150,
  'test/init/debian.test.ts': 110,
  'test/emitted/portable.test.ts': 70,
  'test/emitted/cross-musl.test.ts': 75,
  'test/emitted/step-mutations.test.ts': 85,
  'test/emitted/variant-mutations.test.ts': 40,
  'test/emitted/build-single.test.ts': 91,
  'test/emitted/analysis.test.ts': 88,
  'test/emitted/build-multi.test.ts': 82,
  'test/emitted/behaviour.test.ts': 81,
  'test/emitted/cross-macos.test.ts': 80,
  'test/init/systemd.test.ts': 76,
  'test/emitted/sanitizers.test.ts': 75,
  'test/emitted/fuzz.test.ts': 70,
  'test/emitted/echo-bounds.test.ts': 56,
  'test/init/systemd-live.test.ts': 53,
  'test/emitted/syslog-stall.test.ts': 53,
  'test/emitted/echo-limits.test.ts': 46,
  'test/emitted/mutation-coverage.test.ts': 41,
  'test/init/rpm.test.ts': 35,
  'test/fleet/k8s.test.ts': 20,
  'test/fleet/portable.test.ts': 20,
  'test/fleet/oci.test.ts': 16,
};

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const base = await super.sort(files);
    const root = this.ctx.config.root;
    const seconds = (f: TestSpecification) => SECONDS[relative(root, f.moduleId)] ?? 0;
    // Array.prototype.sort is stable: unlisted files keep vitest's order among themselves.
    return base.sort((a, b) => seconds(b) - seconds(a));
  }
}
