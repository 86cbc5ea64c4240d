import { readdirSync, statSync } from 'node:fs';

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
