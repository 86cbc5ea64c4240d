// Processes a test started and may have lost track of (a daemon detaches; a failed test never
// stops it): found by the paths on their command lines. No vitest imports: the global teardown uses it.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * SIGKILLs every process whose command line names a path under dir (a daemon started from a test's
 * project, whatever its pid file says), as the emitted check.sh does for its own directory.
 */
export function killUnder(dir: string): void {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let argv: string;
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (argv.split('\0').some((a) => a === dir || a.includes(`${dir}/`)))
      try {
        process.kill(Number(entry), 'SIGKILL');
      } catch {
        // gone already
      }
  }
}
