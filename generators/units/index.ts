// UnitsGenerator: inside a generated project, re-render init/ (and its install list) from .yo-rc.json.
// Flags change the saved answers.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { completeAnswers, describeProblem, type Given, ordered, problems } from '../core/answers.js';
import type { Answers } from '../core/conventions.js';
import { UsageError } from '../core/errors.js';
import { renderFiles } from '../core/render.js';
import { CONFIG_KEY, YO_RC, writeSaved } from '../core/saved.js';

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

export default class UnitsGenerator extends Generator<Record<string, unknown>, UnitsOptions & BaseOptions> {
  answers!: Answers;
  exitCode = 0;

  constructor(args?: string[], opts?: UnitsOptions & Record<string, unknown>) {
    // The emitted project has no package.json to install: switch yeoman's install step off.
    super(args ?? [], { ...opts, skipInstall: true } as never, { customInstallTask: true } as never);
  }

  override rootGeneratorName(): string {
    return CONFIG_KEY;
  }

  initializing(): void {
    const saved = loadSaved(this.destinationRoot());
    this.answers = ordered(completeAnswers({ ...saved, ...this.options.given }));
    const found = problems(this.answers);
    if (found.length > 0) throw new UsageError(found.map(describeProblem).join('\n'));
  }

  async writing(): Promise<void> {
    for (const file of await renderFiles(this.answers, ['init'])) {
      this.fs.write(this.destinationPath(file.path), file.contents, { stat: { mode: file.mode } as never });
    }
    await writeSaved(this, this.answers);
  }
}
