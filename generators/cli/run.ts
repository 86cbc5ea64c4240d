// The yeoman run: a bare environment (no generator lookup, no package install) and our generator.
import { existsSync, rmdirSync } from 'node:fs';
import { EnvironmentBase } from 'yeoman-environment';
import type { BaseGenerator } from '@yeoman/types';
import AppGenerator, { type AppOptions } from '../app/index.js';
import type { Answers } from '../core/conventions.js';
import { findProjectRoot } from '../core/saved.js';
import { directoryState } from '../core/target.js';
import UnitsGenerator, { type UnitsOptions } from '../units/index.js';

async function run(Gen: unknown, namespace: string, options: object): Promise<BaseGenerator> {
  const env = new EnvironmentBase({
    cwd: process.cwd(),
    skipInstall: true,
    // Every overwrite is settled before the first write (core/plan.ts: --force, or a question per
    // edited file), so yeoman's own per-file conflicter must not ask again in the middle of its commit.
    force: true,
    // Progress ("create Makefile") is output, not diagnostics: stderr stays for the one-line errors.
    stderr: process.stdout,
  } as never);
  // Our CLI reports every failure itself, as one line; silence yeoman's extra "An error occured" line.
  (env.adapter.log as unknown as { error: (...a: unknown[]) => void }).error = () => {};
  env.register(Gen as never, { namespace, resolved: namespace } as never);
  const generator = await env.create(namespace, { generatorArgs: [], generatorOptions: options as never });
  await env.runGenerator(generator);
  return generator;
}

/**
 * Run the app and return the answers it used; on failure remove the target directory again if this
 * run created it and left it empty.
 */
export async function runApp(options: AppOptions, target: string): Promise<Answers> {
  const existed = existsSync(target);
  try {
    const generator = (await run(AppGenerator, 'create-daemon:app', { ...options })) as unknown as AppGenerator;
    return generator.answers;
  } catch (error) {
    if (!existed && directoryState(target) === 'empty') rmdirSync(target);
    throw error;
  }
}

/** Run `units` from the project root, found upward from the current directory as yeoman does. */
export async function runUnits(options: UnitsOptions): Promise<number> {
  process.chdir(findProjectRoot(process.cwd()));
  const generator = (await run(UnitsGenerator, 'create-daemon:units', { ...options })) as unknown as UnitsGenerator;
  return generator.exitCode;
}
