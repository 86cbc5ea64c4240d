// The emitted project's libFuzzer harness (make fuzz) runs the config parser for 30 s, under
// ASan and UBSan, without a finding; libFuzzer works on a scratch copy of the seed corpus.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateProject, run } from '../support/project.js';
import { describeWith } from '../support/tools.js';

/** libFuzzer ships in libclang-rt-*-dev, separately from clang. */
function noLibFuzzer(): string | undefined {
  const r = run(['clang', '-print-file-name=libclang_rt.fuzzer-x86_64.a']);
  const path = r.out.trim();
  return path.startsWith('/') && existsSync(path) ? undefined : 'needs libFuzzer (apt-get install libclang-rt-14-dev)';
}

describeWith(['make', 'clang'], noLibFuzzer)('make fuzz (libFuzzer on the config parser)', () => {
  for (const payload of ['tick', 'echo']) {
    it(`finds nothing in 30 s (${payload} keys)`, { timeout: 150_000 }, () => {
      const dir = generateProject(['--payload', payload]);
      const r = run(['make', 'fuzz', 'FUZZTIME=10'], { cwd: dir, timeout: 140_000 });
      expect(r.status, r.out.slice(-3000)).toBe(0);
      expect(r.out).toMatch(/Done \d+ runs in \d+ second/);
      expect(readdirSync(join(dir, 'fuzz')).filter((f) => /^(crash|leak|timeout|oom)-/.test(f))).toEqual([]);
      // The seeds were copied, not fuzzed in place.
      expect(readdirSync(join(dir, 'fuzz/corpus')).sort()).toEqual([
        'crlf.conf',
        'default.conf',
        'errors.conf',
        'tricky.conf',
      ]);
    });
  }
});
