// UnitsGenerator: inside a generated project, re-render init/ (and its install list) from .yo-rc.json.
// Flags change the saved answers. Files the user edited are never overwritten without --force (or a
// "yes" when asked); files of a dropped init system are removed only while still as generated;
// --check writes nothing and exits 1 on drift. core/plan.ts decides, core/apply.ts writes.
import Generator, { type BaseOptions } from 'yeoman-generator';
import type { Given } from '../core/answers.js';
import { applyPlan, commitFiles, diskAt, pruneEmptyDirs, report } from '../core/apply.js';
import type { Answers } from '../core/conventions.js';
import { FailError } from '../core/errors.js';
import { askAboutConflicts, describe, drift, plan, type Step } from '../core/plan.js';
import { renderFiles } from '../core/render.js';
import { CONFIG_KEY, loadSaved, loadSources, writeSaved } from '../core/saved.js';
import { applyFlags, savedAnswers, sourcesRecord } from './regenerate.js';

export interface UnitsOptions {
  given?: Given;
  yes?: boolean;
  force?: boolean;
  check?: boolean;
}

/** The options, once .yo-rc.json is known to hold answers (else the UsageError, exit 2). */
function checked<T extends Record<string, unknown>>(opts: T): T {
  loadSaved(typeof opts.destinationRoot === 'string' ? opts.destinationRoot : process.cwd());
  return opts;
}

// Straight to stdout: yeoman's queued logger can drop lines when a FailError ends the run.
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export default class UnitsGenerator extends Generator<Record<string, unknown>, UnitsOptions & BaseOptions> {
  answers!: Answers;
  saved!: Answers;
  /** What the project outside init/ was generated from, where the saved answers differ (saved.ts). */
  sources: Given = {};
  steps: Step[] = [];
  exitCode = 0;

  constructor(args?: string[], opts?: UnitsOptions & Record<string, unknown>) {
    // The emitted project has no package.json to install: switch yeoman's install step off. The
    // answers are checked first: yeoman's own reading of a corrupt .yo-rc.json would fail with exit 1.
    // Our own commit: every file was settled by the plan, and end() reports each one once.
    super(
      args ?? [],
      checked({ ...opts, skipInstall: true }) as never,
      { customInstallTask: true, customCommitTask: () => commitFiles(this) } as never,
    );
  }

  override rootGeneratorName(): string {
    return CONFIG_KEY;
  }

  async initializing(): Promise<void> {
    this.saved = savedAnswers(loadSaved(this.destinationRoot()));
    this.sources = loadSources(this.destinationRoot());
    const { answers, note } = applyFlags(this.saved, this.options.given ?? {});
    if (note !== undefined) process.stderr.write(`create-daemon: note: ${note}\n`);
    this.answers = answers;
    const [before, next] = await Promise.all([renderFiles(this.saved, ['init']), renderFiles(this.answers, ['init'])]);
    this.steps = plan(before, next, diskAt(this.destinationRoot()));
  }

  async prompting(): Promise<void> {
    if (this.options.check) return;
    this.steps = await askAboutConflicts(this, this.steps, { force: this.options.force, yes: this.options.yes });
  }

  async writing(): Promise<void> {
    if (this.options.check) {
      const found = drift(this.steps);
      for (const step of this.steps) say(describe(step));
      if (found.length === 0) return;
      const edited = found.some((s) => s.action === 'conflict' || s.action === 'keep');
      throw new FailError(
        `the init-system files (init/, debian/rules, the spec) differ from what .yo-rc.json generates (${found.length} file${found.length === 1 ? '' : 's'}); ` +
          `run create-daemon units${edited ? ' --force (edited files are overwritten only then)' : ''} to update it`,
      );
    }
    applyPlan(this, this.steps);
    this.steps.push(await writeSaved(this, this.answers, sourcesRecord(this.saved, this.answers, this.sources)));
  }

  end(): void {
    // --check printed its plan in writing(), and changed nothing.
    if (this.options.check) return;
    pruneEmptyDirs(this.destinationRoot(), this.steps);
    for (const line of report(this.destinationRoot(), this.steps)) say(line);
  }
}
