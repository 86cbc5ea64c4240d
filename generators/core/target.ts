import { accessSync, constants, lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

export type DirectoryState = 'missing' | 'empty' | 'non-empty' | 'file';

/** What is at the target path, so a refusal can happen before anything is written. */
export function directoryState(dir: string): DirectoryState {
  try {
    if (!statSync(dir).isDirectory()) return 'file';
  } catch {
    return 'missing';
  }
  return readdirSync(dir).length === 0 ? 'empty' : 'non-empty';
}

/** Kernel file systems: nothing can be generated there, and Node's mkdirSync loops forever in /proc. */
const KERNEL_DIRS = ['/proc', '/sys', '/dev'] as const;

const lexists = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where an absolute path really leads: its longest existing part through realpath, the rest appended.
 * A dangling symlink is followed by hand (realpath fails on it), up to 40 links as the kernel allows.
 */
export function whereItLeads(path: string, links = 0): string {
  const rest: string[] = [];
  let base = path;
  while (!lexists(base)) {
    rest.unshift(basename(base));
    base = dirname(base);
  }
  try {
    return join(realpathSync.native(base), ...rest);
  } catch {
    // Every ancestor of base exists, so base itself is a dangling (or looping) symlink.
    if (links >= 40 || !lstatSync(base).isSymbolicLink()) return join(base, ...rest);
    const target = resolve(realpathSync.native(dirname(base)), readlinkSync(base));
    return whereItLeads(join(target, ...rest), links + 1);
  }
}

/** The kernel file system (/proc, /sys, /dev) that dir is, or is inside of, once resolved; else undefined. */
export function kernelDirOf(dir: string): string | undefined {
  const real = whereItLeads(dir);
  return KERNEL_DIRS.find((k) => real === k || real.startsWith(`${k}/`));
}

/** Refuse a target inside /proc, /sys or /dev, before anything is written or any question asked. */
export function refuseKernelTarget(dir: string): void {
  const kernel = kernelDirOf(dir);
  if (kernel === undefined) return;
  const real = whereItLeads(dir);
  const via = real === dir ? '' : ` (it resolves to ${real})`;
  throw new UsageError(
    `cannot generate into ${dir}${via}: ${kernel} is a kernel file system, not storage; choose another --dir`,
  );
}

/** Refuse a target that is a file, or a non-empty directory without --force: before anything is written. */
export function refuseTarget(dir: string, force: boolean): void {
  refuseKernelTarget(dir);
  const state = directoryState(dir);
  if (state === 'file') throw new UsageError(`${dir} exists and is not a directory`);
  if (state === 'missing') refuseParent(dir);
  if (state === 'non-empty' && !force)
    throw new UsageError(`${dir} is not empty; use --force to write into it, or --dir to choose another`);
}

/**
 * A target that does not exist yet is created with its missing parents: refuse, before anything is
 * written, when the nearest existing one is not a directory (ENOTDIR) or cannot be written to.
 */
function refuseParent(dir: string): void {
  // "missing" to stat, yet there: the target itself is a link to nothing.
  if (lexists(dir)) throw new UsageError(`cannot create ${dir}: it is a symbolic link to nothing`);
  let parent = dirname(dir);
  while (parent !== dirname(parent) && !lexists(parent)) parent = dirname(parent);
  let isDir: boolean | undefined;
  try {
    isDir = statSync(parent).isDirectory();
  } catch {
    // It exists (lstat), yet stat fails: a symbolic link to nothing.
  }
  if (isDir === undefined) throw new UsageError(`cannot create ${dir}: ${parent} is a symbolic link to nothing`);
  if (!isDir) throw new UsageError(`cannot create ${dir}: ${parent} is not a directory`);
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EROFS'
        ? 'is on a read-only file system'
        : code === 'EACCES'
          ? 'is not writable by you'
          : `cannot be written (${code})`;
    throw new UsageError(`cannot create ${dir}: ${parent} ${why}; choose another --dir`);
  }
}
