// The saved answers: .yo-rc.json, key "create-daemon", in table order, formatted by Prettier.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Generator from 'yeoman-generator';
import type { Given } from './answers.js';
import type { Answers } from './conventions.js';
import type { Step } from './plan.js';
import { UsageError } from './errors.js';
import { formatIfPretty } from './format.js';

export const CONFIG_KEY = 'create-daemon';
export const YO_RC = '.yo-rc.json';

/**
 * The .yo-rc.json that writeSaved leaves in a directory that had none: yeoman's config storage writes
 * JSON.stringify(store, null, 2) and a newline (mem-fs-editor's writeJSON), which Prettier then formats.
 * The CLI formats it ahead of time (cli/prefetch.ts); writeSaved's own call then shares the result.
 */
export function newSavedText(answers: Answers): string {
  return `${JSON.stringify({ [CONFIG_KEY]: answers }, null, 2)}\n`;
}

/**
 * Store the answers through yeoman's config, then format the file like every other emitted JSON.
 * Returns the step to report for it (nothing is on disk before the commit, so the disk is the before).
 */
export async function writeSaved(generator: Generator, answers: Answers): Promise<Step> {
  const path = generator.destinationPath(YO_RC);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  generator.config.set(answers as never);
  const text = generator.fs.read(path);
  const after = text === undefined ? undefined : await formatIfPretty(path, text);
  if (after !== undefined) generator.fs.write(path, after);
  return { path: YO_RC, action: before === undefined ? 'create' : before === after ? 'identical' : 'update' };
}

/** The nearest directory at or above `start` that holds a .yo-rc.json, as yeoman looks for it; else `start`. */
export function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, YO_RC))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** The saved answers in `dir`, or a UsageError that says why there are none. */
export function loadSaved(dir: string): Given {
  const file = join(dir, YO_RC);
  if (!existsSync(file)) throw new UsageError(`not a create-daemon project (no ${YO_RC} in ${dir})`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
  const saved = (parsed as Record<string, unknown> | null)?.[CONFIG_KEY];
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved))
    throw new UsageError(`${file} has no "${CONFIG_KEY}" answers; not a create-daemon project`);
  return saved as Given;
}
