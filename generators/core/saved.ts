// The saved answers: .yo-rc.json, key "create-daemon", in table order, formatted by Prettier.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Generator from 'yeoman-generator';
import type { Given } from './answers.js';
import { type Answers, CONVENTIONS } from './conventions.js';
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
 * Beside the answers, in .yo-rc.json: the values that answers changed by `units` had when the rest of the
 * project (the C sources, the Makefile, the README) was generated, since `units` re-renders init/ only.
 * The app's regenerating run takes those files as generated from them, not from the saved answers, so
 * that it overwrites them without asking while they are unedited; it then drops the record.
 */
export const SOURCES_KEY = 'create-daemon-sources';

/** The record in dir's .yo-rc.json; empty when there is none (or it is not an object). */
export function loadSources(dir: string): Given {
  try {
    const record = (JSON.parse(readFileSync(join(dir, YO_RC), 'utf8')) as Record<string, unknown>)[SOURCES_KEY];
    return typeof record === 'object' && record !== null && !Array.isArray(record) ? (record as Given) : {};
  } catch {
    return {};
  }
}

/**
 * Store the answers through yeoman's config, and the sources record (dropped when empty), then format
 * the file like every other emitted JSON. Returns the step to report for it (nothing is on disk before
 * the commit, so the disk is the before).
 */
export async function writeSaved(generator: Generator, answers: Answers, sources: Given = {}): Promise<Step> {
  const path = generator.destinationPath(YO_RC);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  generator.config.set(answers as never);
  const stored = generator.fs.readJSON(path) as Record<string, unknown> | undefined;
  if (stored && (SOURCES_KEY in stored || Object.keys(sources).length > 0)) {
    const { [SOURCES_KEY]: _dropped, ...rest } = stored;
    generator.fs.writeJSON(path, Object.keys(sources).length > 0 ? { ...rest, [SOURCES_KEY]: sources } : rest);
  }
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

/**
 * The recorded answers (conventions.ts, `recorded`: the maintainer, the release date) saved in dir, if
 * any and valid: regenerating a project keeps them, where a fresh project works them out anew.
 */
export function savedRecorded(dir: string): Given {
  let saved: Given;
  try {
    saved = loadSaved(dir);
  } catch {
    return {};
  }
  const out: Given = {};
  for (const row of CONVENTIONS.filter((r) => r.recorded)) {
    const value = saved[row.key];
    if (value !== undefined && row.validate(value, {}) === true) out[row.key] = value;
  }
  return out;
}
