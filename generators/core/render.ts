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
import { withSpdx } from './spdx.js';

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

export async function renderEntry(entry: FileEntry, ctx: Context | CitingContext): Promise<RenderedFile> {
  const filename = `${TEMPLATES_DIR}${entry.template}`;
  const source = await readFile(filename, 'utf8');
  const path = destinationOf(entry, ctx);
  let contents: string;
  try {
    contents = ejs.render(source, ctx, { filename, async: false });
  } catch (error) {
    throw new Error(`template ${entry.template}: ${(error as Error).message}`, { cause: error });
  }
  contents = withSpdx(path, contents, ctx.spdx);
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

/** Markdown may cite the C it documents: `cite(file, text, function?)`, see citingContext. */
interface CitingContext extends Context {
  readonly cite: (file: string, text: string, fn?: string) => string;
}

/**
 * The context for Markdown: `cite('helper/daemonize.c', 'APUE 13.3 rule 1', 'daemonize')` gives
 * `` `helper/daemonize.c:329` ``: the first line that contains the text, within the function named
 * (its definition at the start of a line, the comment block just above it, up to its closing brace),
 * or anywhere in the file when no function is named. A README's rule table then never points at a
 * line that has moved. An unknown file, function or text is a template error.
 */
function citingContext(ctx: Context, code: readonly RenderedFile[]): CitingContext {
  const byPath = new Map(code.map((f) => [f.path, f.contents.split('\n')]));
  const cite = (file: string, text: string, fn?: string): string => {
    const lines = byPath.get(file);
    if (!lines) throw new Error(`cite: ${file} is not generated for these answers`);
    let from = 0;
    let to = lines.length;
    if (fn !== undefined) {
      const def = lines.findIndex((l) => l.startsWith(`${fn}(`));
      if (def === -1) throw new Error(`cite: ${file} defines no function ${fn}()`);
      for (from = def; from > 0 && lines[from - 1]!.trim() !== '' && lines[from - 1] !== '}'; from--);
      to = lines.indexOf('}', def) + 1 || lines.length;
    }
    const at = lines.slice(from, to).findIndex((l) => l.includes(text));
    if (at === -1) throw new Error(`cite: no line of ${file}${fn ? ` in ${fn}()` : ''} contains "${text}"`);
    return `\`${file}:${from + at + 1}\``;
  };
  return { ...ctx, cite };
}

const isMarkdown = (e: FileEntry): boolean => e.destination.endsWith('.md');
const isC = (e: FileEntry): boolean => e.destination.endsWith('.c');

async function render(answers: Answers, groups: readonly Group[]): Promise<RenderedFile[]> {
  const ctx = buildContext(answers);
  const entries = selectEntries(answers, groups);
  // The code first, then the Markdown that cites it (the project's C, whichever groups are asked for).
  const code = await Promise.all(entries.filter((e) => !isMarkdown(e)).map((e) => renderEntry(e, ctx)));
  const cited = groups.includes('project')
    ? code
    : await Promise.all(
        selectEntries(answers, ['project'])
          .filter(isC)
          .map((e) => renderEntry(e, ctx)),
      );
  const docs = await Promise.all(entries.filter(isMarkdown).map((e) => renderEntry(e, citingContext(ctx, cited))));
  const files = [...code, ...docs];
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`two manifest entries write ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
