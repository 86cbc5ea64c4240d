import { readdirSync, statSync } from 'node:fs';
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

/** Refuse a target that is a file, or a non-empty directory without --force: before anything is written. */
export function refuseTarget(dir: string, force: boolean): void {
  const state = directoryState(dir);
  if (state === 'file') throw new UsageError(`${dir} exists and is not a directory`);
  if (state === 'non-empty' && !force)
    throw new UsageError(`${dir} is not empty; use --force to write into it, or --dir to choose another`);
}
