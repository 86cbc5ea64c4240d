// Answers -> the files they generate, as data. Pure apart from reading templates: the app, `units`
// and `units --check` all decide what to do with the same result.
import { readFile } from 'node:fs/promises';
import ejs from 'ejs';
import { formatIfPretty } from './format.js';
import type { Answers } from './conventions.js';
import { buildContext, type Context } from './context.js';
import type { FileEntry } from './manifest-types.js';
import { PROJECT_FILES } from './manifest.js';
import { INIT_FILES } from './init-manifest.js';
import { TEMPLATES_DIR } from './paths.js';

export { TEMPLATES_DIR };

export type Group = 'project' | 'init';
export const GROUPS: Readonly<Record<Group, readonly FileEntry[]>> = { project: PROJECT_FILES, init: INIT_FILES };

export interface RenderedFile {
  /** Relative to the project root, with "/" separators. */
  readonly path: string;
  readonly contents: string;
  readonly mode: number;
}

export function destinationOf(entry: FileEntry, ctx: Context): string {
  return entry.destination.replace(/\{name\}/g, ctx.name).replace(/\{label\}/g, ctx.label);
}

export function selectEntries(answers: Answers, groups: readonly Group[]): FileEntry[] {
  return groups.flatMap((g) => GROUPS[g]).filter((e) => e.when?.(answers) ?? true);
}

async function renderEntry(entry: FileEntry, ctx: Context): Promise<RenderedFile> {
  const filename = `${TEMPLATES_DIR}${entry.template}`;
  const source = await readFile(filename, 'utf8');
  const path = destinationOf(entry, ctx);
  let contents: string;
  try {
    contents = ejs.render(source, ctx, { filename, async: false });
  } catch (error) {
    throw new Error(`template ${entry.template}: ${(error as Error).message}`, { cause: error });
  }
  return { path, contents: await formatIfPretty(path, contents), mode: entry.mode ?? 0o644 };
}

/**
 * Every file the answers generate in the given groups, sorted by path. Rendering is pure, so each
 * (answers, groups) is rendered once per process: the CLI starts it before yeoman loads (cli/prefetch.ts)
 * and the generator's identical call shares the result.
 */
export async function renderFiles(answers: Answers, groups: readonly Group[] = ['project', 'init']) {
  const key = JSON.stringify([Object.entries(answers).sort(([a], [b]) => (a < b ? -1 : 1)), groups]);
  let files = rendered.get(key);
  if (!files) rendered.set(key, (files = render(answers, groups)));
  return [...(await files)];
}
const rendered = new Map<string, Promise<RenderedFile[]>>();

async function render(answers: Answers, groups: readonly Group[]): Promise<RenderedFile[]> {
  const ctx = buildContext(answers);
  const files = await Promise.all(selectEntries(answers, groups).map((e) => renderEntry(e, ctx)));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two manifest entries write ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
