// AppGenerator: initializing -> prompting -> configuring -> writing -> end.
// Flags arrive already validated as `given`; prompts ask only for what no flag gave.
import { resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { completeAnswers, describeProblem, type Given, ordered, problems, promptProblem } from '../core/answers.js';
import { type Answers } from '../core/conventions.js';
import { questionsFor } from '../core/prompts.js';
import { type RenderedFile, renderFiles } from '../core/render.js';
import { directoryState, refuseKernelTarget, refuseTarget } from '../core/target.js';
import { nextSteps } from './next-steps.js';
import { CONFIG_KEY, loadSaved, loadSources, savedRecorded, writeSaved } from '../core/saved.js';
import { applyPlan, commitFiles, diskAt, pruneEmptyDirs, report } from '../core/apply.js';
import { askAboutConflicts, plan, type Step } from '../core/plan.js';
import { CancelError, UsageError } from '../core/errors.js';

/** Rounds of re-asking answers that a later answer broke, before giving up with the list. */
const MAX_REASKS = 3;

export interface AppOptions {
  /** Answers given as flags (and the positional name), already validated one by one. */
  given?: Given;
  /** Never prompt: take the default for everything not given. */
  yes?: boolean;
  /** Where to write, relative to the current directory (default ./<name>). */
  dir?: string;
  /** Write into a non-empty directory without asking. */
  force?: boolean;
}

export default class AppGenerator extends Generator<Record<string, unknown>, AppOptions & BaseOptions> {
  answers!: Answers;
  steps: Step[] = [];
  private targetChecked = false;

  constructor(args?: string[], opts?: AppOptions & Record<string, unknown>) {
    // The emitted project has no package.json to install: switch yeoman's install step off.
    // Our own commit: every file was settled by the plan, and end() reports each one once.
    super(
      args ?? [],
      { ...opts, skipInstall: true } as never,
      { customInstallTask: true, customCommitTask: () => commitFiles(this) } as never,
    );
  }

  override rootGeneratorName(): string {
    return CONFIG_KEY;
  }

  async initializing(): Promise<void> {
    // A name or --dir on the command line names the target before any question: settle a non-empty
    // directory now, not after every prompt has been answered.
    const early = this.options.dir ?? (this.options.given?.name as string | undefined);
    if (early !== undefined) await this.#checkTarget(resolve(early));
  }

  async prompting(): Promise<void> {
    const flags: Given = { ...this.options.given };
    let given: Given = { ...flags };
    if (!this.options.yes) {
      Object.assign(given, await this.prompt<Given>(questionsFor(flags) as never));
      // Each prompt checks its answer against the answers before it; a later answer can still break an
      // earlier one (a config file at the lock/PID file's path). Re-check them all, and ask again for
      // each answer that is now wrong, saying why in the prompt's words.
      for (let round = 0; round < MAX_REASKS; round++) {
        const wrong = problems(ordered(completeAnswers(given))).filter((p) => flags[p.row.key] === undefined);
        if (wrong.length === 0) break;
        for (const p of wrong) this.log(`${promptProblem(p, flags)}; asking again.`);
        const keys = new Set(wrong.map((p) => p.row.key));
        given = Object.fromEntries(Object.entries(given).filter(([k]) => !keys.has(k as never))) as Given;
        Object.assign(given, await this.prompt<Given>(questionsFor(given, flags) as never));
      }
    }
    // Regenerating keeps the maintainer and the release date recorded at the first generation.
    const target = this.options.dir ?? (typeof given.name === 'string' ? given.name : undefined);
    if (target !== undefined) given = { ...savedRecorded(resolve(target)), ...given };
    this.answers = ordered(completeAnswers(given));
    // Cross-field rules (for example --user with --scope user) once every answer is known: what is
    // still wrong was given as a flag (or --yes took a default that a flag rules out).
    const found = problems(this.answers);
    if (found.length > 0)
      throw new UsageError(
        found
          .map((p) =>
            flags[p.row.key] === undefined && !this.options.yes ? promptProblem(p, flags) : describeProblem(p, flags),
          )
          .join('\n'),
      );
  }

  async configuring(): Promise<void> {
    const dir = resolve(this.options.dir ?? this.answers.name);
    if (!this.targetChecked) await this.#checkTarget(dir);
    // Change the destination before touching this.config, which destinationRoot() resets.
    this.destinationRoot(dir);
    // What the answers saved there before would generate: files still as generated from them may be
    // replaced or removed without asking; anything else that differs is an edit, settled up front.
    const previous = previousAnswers(dir);
    const [before, next] = await Promise.all([previous ? asGenerated(previous, dir) : [], renderFiles(this.answers)]);
    this.steps = await askAboutConflicts(this, plan(before, next, diskAt(dir)), this.options);
  }

  async writing(): Promise<void> {
    applyPlan(this, this.steps);
    this.steps.push(await writeSaved(this, this.answers));
  }

  end(): void {
    pruneEmptyDirs(this.destinationRoot(), this.steps);
    this.log(
      [...report(this.destinationRoot(), this.steps), nextSteps(this.answers, this.destinationRoot())].join('\n'),
    );
  }

  // A #private method: yeoman would run a public one as a task of its own, with no argument.
  async #checkTarget(dir: string): Promise<void> {
    this.targetChecked = true;
    // Before the "not empty" question too: /proc is never empty, and nothing can be written there.
    refuseKernelTarget(dir);
    // Without a terminal (or with --force) the rule is the CLI's; interactively a non-empty directory is asked about.
    if (this.options.yes || this.options.force || directoryState(dir) !== 'non-empty') {
      refuseTarget(dir, Boolean(this.options.force));
      return;
    }
    const { go } = await this.prompt<{ go: boolean }>({
      type: 'confirm',
      name: 'go',
      message: `${dir} is not empty. Write into it (you will be asked before each edited file is overwritten)?`,
      default: false,
    });
    if (!go) throw new CancelError();
  }
}

/**
 * The files as generated: init/ from the saved answers, the rest from what it was generated from, which
 * differs where `units` changed answers since (the sources record, core/saved.ts).
 */
async function asGenerated(saved: Answers, dir: string): Promise<RenderedFile[]> {
  const record = loadSources(dir);
  if (Object.keys(record).length === 0) return renderFiles(saved);
  const sources = ordered(completeAnswers({ ...saved, ...record }));
  if (problems(sources).length > 0) return renderFiles(saved);
  const init = await renderFiles(saved, ['init']);
  const rest = (await renderFiles(sources, ['project'])).filter((f) => !init.some((i) => i.path === f.path));
  return [...rest, ...init];
}

/** The valid create-daemon answers saved in dir, if any: the baseline for "as generated". */
function previousAnswers(dir: string): Answers | undefined {
  try {
    const answers = ordered(completeAnswers(loadSaved(dir)));
    return problems(answers).length === 0 ? answers : undefined;
  } catch {
    return undefined;
  }
}
