// Carrying out a plan (plan.ts) through the generator's mem-fs, shared by the app and `units`.
// Every question is asked and every check made before the first byte is written: a cancel, a refusal
// or an unwritable path leaves the tree as it was.
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type Generator from 'yeoman-generator';
import { FailError } from './errors.js';
import { byPath, describe, type Disk, type Step } from './plan.js';

/** What is on disk below `root`, for plan(). */
export const diskAt =
  (root: string): Disk =>
  (path) => {
    const full = join(root, path);
    if (!existsSync(full) || !statSync(full).isFile()) return undefined;
    return { contents: readFileSync(full, 'utf8'), mode: statSync(full).mode & 0o777 };
  };

const WRITES = new Set(['create', 'update', 'overwrite', 'mode']);
export const writes = (step: Step): boolean => WRITES.has(step.action) && step.file !== undefined;

/** The first path a step would need to change but may not (checked with access(2)), or undefined. */
export function unwritable(root: string, steps: readonly Step[]): string | undefined {
  const checked = new Map<string, boolean>();
  const canWrite = (path: string): boolean => {
    let known = checked.get(path);
    if (known === undefined) {
      // A missing file is created in its nearest existing ancestor directory.
      let probe = path;
      while (!existsSync(probe)) probe = dirname(probe);
      try {
        accessSync(probe, constants.W_OK);
        known = true;
      } catch {
        known = false;
      }
      checked.set(path, known);
    }
    return known;
  };
  for (const step of steps) {
    const full = join(root, step.path);
    if (writes(step) && !canWrite(existsSync(full) ? full : dirname(full))) return full;
    if (step.action === 'remove' && !canWrite(dirname(full))) return dirname(full);
  }
  return undefined;
}

/** Queue the plan's writes and removals in mem-fs; yeoman commits them after the writing phase. */
export function applyPlan(generator: Generator, steps: readonly Step[]): void {
  const root = generator.destinationRoot();
  const blocked = unwritable(root, steps);
  if (blocked) throw new FailError(`cannot write ${blocked}: permission denied; nothing was written`);
  for (const step of steps) {
    const full = join(root, step.path);
    // S_IFREG with the permission bits: yeoman's conflicter compares the whole st_mode.
    if (writes(step))
      generator.fs.write(full, step.file!.contents, { stat: { mode: 0o100000 | step.file!.mode } } as never);
    else if (step.action === 'remove') generator.fs.delete(full);
  }
}

/** After the commit: remove directories that removals left empty, up to (not including) root. */
export function pruneEmptyDirs(root: string, steps: readonly Step[]): void {
  for (const step of steps.filter((s) => s.action === 'remove')) {
    let dir = dirname(join(root, step.path));
    while (dir.startsWith(`${root}/`) && existsSync(dir) && readdirSync(dir).length === 0) {
      rmdirSync(dir);
      dir = dirname(dir);
    }
  }
}

/**
 * The generators' commit (their customCommitTask): mem-fs to disk, without yeoman's conflicter. The plan
 * settled every file before the writing phase, so the conflicter had nothing left to decide, and it
 * logged each file a second time, in its own words ("force" for a file it merely overwrote or removed).
 */
export async function commitFiles(generator: Generator): Promise<void> {
  await generator.fs.commit();
}

/** What happened, once per file in path order: paths from the current directory, or absolute outside it. */
export function report(root: string, steps: readonly Step[]): string[] {
  return [...steps].sort(byPath).map((step) => {
    const full = join(root, step.path);
    const rel = relative(process.cwd(), full);
    return describe(step, rel === '' || rel.startsWith('..') ? full : rel);
  });
}
