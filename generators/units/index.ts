// UnitsGenerator: inside a generated project, re-render init/ (and its install list) from .yo-rc.json.
// Flags change the saved answers. Files the user edited are never overwritten without --force (or a
// "yes" when asked); files of a dropped init system are removed only while still as generated;
// --check writes nothing and exits 1 on drift. plan.ts decides, this class reports and writes.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  readdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { completeAnswers, describeProblem, type Given, ordered, problems } from '../core/answers.js';
import { type Answers, CONVENTIONS } from '../core/conventions.js';
import { shWord } from '../core/escape.js';
import { FailError, UsageError } from '../core/errors.js';
import { renderFiles } from '../core/render.js';
import { CONFIG_KEY, YO_RC, writeSaved } from '../core/saved.js';
import { describe, drift, plan, type Disk, type Step } from './plan.js';

export interface UnitsOptions {
  given?: Given;
  yes?: boolean;
  force?: boolean;
  check?: boolean;
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

function answersOf(given: Given): Answers {
  const answers = ordered(completeAnswers(given));
  const found = problems(answers);
  if (found.length > 0) throw new UsageError(found.map(describeProblem).join('\n'));
  return answers;
}

/** Removes now-empty directories from `dir` up to (not including) `root`. */
function pruneEmpty(dir: string, root: string): void {
  while (dir.startsWith(`${root}/`) && existsSync(dir) && readdirSync(dir).length === 0) {
    rmdirSync(dir);
    dir = dirname(dir);
  }
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

/** Answers that also shape the daemon's own sources, which `units` never touches. */
const SOURCE_SHAPING = { user: 'the privilege drop (helper/privdrop.c)', scope: 'the pid file default' } as const;

/** Every answer as a command line, so that re-running the app reproduces the project with the new answers. */
export function commandFor(answers: Answers): string {
  const flags = CONVENTIONS.filter((row) => row.flag).map((row) => {
    const value = answers[row.key];
    return `--${row.flag} ${shWord(Array.isArray(value) ? value.join(',') : value)}`;
  });
  return `create-daemon ${answers.name} --dir . --force ${flags.join(' ')}`;
}

/** Say so when a flag changed an answer the C sources were generated from: init/ alone cannot follow it. */
function warnAboutSources(saved: Answers, answers: Answers): void {
  const changed = (Object.keys(SOURCE_SHAPING) as (keyof typeof SOURCE_SHAPING)[]).filter(
    (k) => saved[k] !== answers[k],
  );
  if (changed.length === 0) return;
  const what = changed.map((k) => `--${k} also shapes ${SOURCE_SHAPING[k]}`).join('; ');
  process.stderr.write(
    `create-daemon: note: ${what}, which units leaves alone; to regenerate the whole project ` +
      `(overwriting your edits) run: ${commandFor(answers)}\n`,
  );
}

export default class UnitsGenerator extends Generator<Record<string, unknown>, UnitsOptions & BaseOptions> {
  answers!: Answers;
  saved!: Answers;
  steps: Step[] = [];
  exitCode = 0;

  constructor(args?: string[], opts?: UnitsOptions & Record<string, unknown>) {
    // The emitted project has no package.json to install: switch yeoman's install step off. The
    // answers are checked first: yeoman's own reading of a corrupt .yo-rc.json would fail with exit 1.
    super(args ?? [], checked({ ...opts, skipInstall: true }) as never, { customInstallTask: true } as never);
  }

  override rootGeneratorName(): string {
    return CONFIG_KEY;
  }

  async initializing(): Promise<void> {
    const saved = loadSaved(this.destinationRoot());
    this.saved = answersOf(saved);
    this.answers = answersOf({ ...saved, ...this.options.given });
    warnAboutSources(this.saved, this.answers);
    const root = this.destinationRoot();
    const disk: Disk = (path) => {
      const full = join(root, path);
      if (!existsSync(full) || !statSync(full).isFile()) return undefined;
      return { contents: readFileSync(full, 'utf8'), mode: statSync(full).mode & 0o777 };
    };
    this.steps = plan(await renderFiles(this.saved, ['init']), await renderFiles(this.answers, ['init']), disk);
  }

  async prompting(): Promise<void> {
    if (this.options.check) return;
    const conflicts = this.steps.filter((s) => s.action === 'conflict');
    if (conflicts.length === 0 || this.options.force) return;
    if (this.options.yes) {
      // Non-interactive: say which files, and write nothing at all.
      throw new FailError(
        [
          ...conflicts.map((s) => `${s.path} was edited; not overwriting it`),
          `nothing was written; rerun with --force to overwrite ${conflicts.length === 1 ? 'it' : 'them'}, or merge by hand`,
        ].join('\n'),
      );
    }
    for (const step of conflicts) {
      const { overwrite } = await this.prompt<{ overwrite: boolean }>([
        { type: 'confirm', name: 'overwrite', message: `${step.path} was edited. Overwrite it?`, default: false },
      ]);
      if (!overwrite) this.steps = this.steps.map((s) => (s === step ? { path: s.path, action: 'skip' as const } : s));
    }
  }

  async writing(): Promise<void> {
    if (this.options.check) {
      const found = drift(this.steps);
      for (const step of this.steps) say(describe(step));
      if (found.length > 0) {
        throw new FailError(
          `init/ differs from what .yo-rc.json generates (${found.length} file${found.length === 1 ? '' : 's'}); run create-daemon units to update it`,
        );
      }
      return;
    }
    const root = this.destinationRoot();
    for (const step of this.steps) {
      const full = join(root, step.path);
      if (step.file && ['create', 'update', 'conflict', 'mode'].includes(step.action)) {
        mkdirSync(dirname(full), { recursive: true });
        if (step.action !== 'mode') writeFileSync(full, step.file.contents);
        chmodSync(full, step.file.mode);
      } else if (step.action === 'remove') {
        unlinkSync(full);
        pruneEmpty(dirname(full), root);
      }
      say(describe(step.action === 'conflict' ? { ...step, action: 'update' } : step));
    }
    await writeSaved(this, this.answers);
  }
}
