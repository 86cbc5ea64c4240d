// What `create-daemon units` would do, as data: pure, so that writing, --check and the tests share it.
//
// "As generated" means: equal to what the answers saved in .yo-rc.json render today. A file on disk
// that matches neither that nor the new rendering was edited by the user, and is never overwritten
// or removed without --force.
import type Generator from 'yeoman-generator';
import { FailError } from './errors.js';
import type { RenderedFile } from './render.js';

export type Action =
  /** Already what the new answers generate. */
  | 'identical'
  /** Missing: will be written. */
  | 'create'
  /** Still as generated from the saved answers: will be replaced by the new rendering. */
  | 'update'
  /** Only its mode differs from the new rendering. */
  | 'mode'
  /** Edited by the user (or not ours): replaced only with --force or a "yes" to the question. */
  | 'conflict'
  /** Its init system was dropped (or its name changed) and it is still as generated: removed. */
  | 'remove'
  /** Its init system was dropped, but the user edited it: kept. */
  | 'keep'
  /** Edited, and the user answered "no" to overwriting it. */
  | 'skip'
  /** Edited, and overwritten because of --force or a "yes" to the question. */
  | 'overwrite';

export interface Step {
  readonly path: string;
  readonly action: Action;
  /** The new contents and mode, for create, update, mode and conflict. */
  readonly file?: RenderedFile;
}

/** What is on disk at a project-relative path, or undefined when there is no such file. */
export type Disk = (path: string) => { contents: string; mode: number } | undefined;

export function plan(saved: readonly RenderedFile[], next: readonly RenderedFile[], disk: Disk): Step[] {
  const before = new Map(saved.map((f) => [f.path, f.contents]));
  const steps: Step[] = [];
  for (const file of next) {
    const now = disk(file.path);
    let action: Action;
    if (now === undefined) action = 'create';
    else if (now.contents === file.contents) action = now.mode === file.mode ? 'identical' : 'mode';
    else if (now.contents === before.get(file.path)) action = 'update';
    else action = 'conflict';
    steps.push({ path: file.path, action, file });
  }
  const wanted = new Set(next.map((f) => f.path));
  for (const file of saved) {
    if (wanted.has(file.path)) continue;
    const now = disk(file.path);
    if (now === undefined) continue;
    steps.push({ path: file.path, action: now.contents === file.contents ? 'remove' : 'keep' });
  }
  return steps.sort(byPath);
}

/** Steps in path order, the order they are reported in. */
export const byPath = (a: Step, b: Step): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The steps that make the project differ from what the answers generate (for --check). */
export const drift = (steps: readonly Step[]): Step[] => steps.filter((s) => s.action !== 'identical');

/**
 * One line per file, as reported to the user: one word for what happened (or, for --check, what would),
 * then the path (as shown: from the current directory), then why, where the word alone does not say.
 */
export function describe(step: Step, shown: string = step.path): string {
  const words: Record<Action, [string, string]> = {
    identical: ['identical', ''],
    create: ['create', ''],
    update: ['update', ''],
    mode: ['chmod', ` (to ${step.file?.mode.toString(8)})`],
    conflict: ['edited', ' (differs from what the saved answers generate)'],
    remove: ['remove', ' (the answers no longer generate it)'],
    keep: ['keep', ' (the answers no longer generate it, but it was edited)'],
    skip: ['skip', ' (edited; kept as you asked)'],
    overwrite: ['overwrite', ' (edited; replaced as you asked)'],
  };
  const [word, note] = words[step.action];
  return `${word.padStart(9)} ${shown}${note}`;
}

/**
 * Settle every edited file before anything is written: --force overwrites them; a non-interactive run
 * lists them and fails with nothing written; an interactive run asks about each one (Ctrl-C here also
 * leaves everything as it was).
 */
export async function askAboutConflicts(
  generator: Generator,
  steps: readonly Step[],
  how: { force?: boolean | undefined; yes?: boolean | undefined },
): Promise<Step[]> {
  const conflicts = steps.filter((s) => s.action === 'conflict');
  const settle = (step: Step, overwrite: boolean): Step =>
    overwrite ? { ...step, action: 'overwrite' } : { path: step.path, action: 'skip' };
  if (conflicts.length === 0) return [...steps];
  if (how.force) return steps.map((s) => (s.action === 'conflict' ? settle(s, true) : s));
  if (how.yes) {
    throw new FailError(
      [
        ...conflicts.map((s) => `${s.path} was edited; not overwriting it`),
        `nothing was written; rerun with --force to overwrite ${conflicts.length === 1 ? 'it' : 'them'}, or merge by hand`,
      ].join('\n'),
    );
  }
  const answers = new Map<Step, boolean>();
  for (const step of conflicts) {
    const { overwrite } = await generator.prompt<{ overwrite: boolean }>([
      { type: 'confirm', name: 'overwrite', message: `${step.path} was edited. Overwrite it?`, default: false },
    ]);
    answers.set(step, overwrite);
  }
  return steps.map((s) => (answers.has(s) ? settle(s, answers.get(s)!) : s));
}
