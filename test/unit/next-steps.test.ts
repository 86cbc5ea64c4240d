// What the generator prints after writing: an engineer gets build, check and install lines for
// each init system; a student (--starter) gets the exercise's first steps, never an install of an
// unfinished daemon.
import { describe, expect, it } from 'vitest';
import { completeAnswers } from '../../generators/core/answers.js';
import { join } from 'node:path';
import { nextSteps, placeOf } from '../../generators/app/next-steps.js';

describe('next steps', () => {
  it('for a normal project: build, check, and one install line per init system', () => {
    const out = nextSteps(completeAnswers({ name: 'd', init: ['systemd', 'runit'] }), `${process.cwd()}/d`);
    expect(out).toContain('cd ./d');
    expect(out).toMatch(/^ {2}make check /m);
    expect(out).toMatch(/^ {2}systemd: +sudo make install INIT_SYSTEMS=systemd && sudo systemctl daemon-reload/m);
    expect(out).toMatch(/^ {2}runit: +sudo make install INIT_SYSTEMS=runit/m);
  });

  it('for a TypeScript project: make says it installs the two dev dependencies, make check runs node --test', () => {
    const out = nextSteps(completeAnswers({ name: 'd', lang: 'typescript', init: ['systemd'] }), `${process.cwd()}/d`);
    expect(out).toMatch(/^ {2}make +# npm install \(typescript, @types\/node\) once, tsc, and the helper \.\/d$/m);
    expect(out).toMatch(/^ {2}make check +# node --test, then prove it behaves like a daemon$/m);
    expect(out).toMatch(/^ {2}systemd: +sudo make install INIT_SYSTEMS=systemd/m);
  });

  it('for a starter: build, make check and the first function to write, and nothing to install', () => {
    const out = nextSteps(completeAnswers({ name: 'd', starter: true, init: ['systemd'] }), `${process.cwd()}/d`);
    expect(out).toContain('a daemon assignment');
    expect(out).toMatch(/^ {2}make check /m);
    expect(out).toContain('Start with log_open() in helper/log.c');
    expect(out).not.toMatch(/install|systemctl|enable/);
    // The teacher's reference command, for whoever ran the generator: the same answers, no --starter.
    expect(out).toMatch(/^ {2}npx create-daemon d --yes --reload single --payload tick .* --dir d-reference$/m);
    expect(out.split('\n').find((l) => l.startsWith('  npx create-daemon'))).not.toContain('--starter');
    // Every answer, --fleet too (found by a new user's walkthrough).
    const fleet = nextSteps(completeAnswers({ name: 'd', starter: true, fleet: ['oci', 'k8s'] }), `${process.cwd()}/d`);
    expect(fleet).toMatch(/^ {2}npx create-daemon d --yes .* --fleet oci,k8s .*--dir d-reference$/m);
  });

  it('names the current directory in words, with no "cd ." and no double dot (--dir .)', () => {
    for (const starter of [false, true]) {
      const out = nextSteps(completeAnswers({ name: 'd', starter }), process.cwd());
      const head = starter
        ? 'Created d in the current directory, a daemon assignment. Next steps:'
        : 'Created d in the current directory. Next steps:';
      expect(out.split('\n').slice(0, 4)).toEqual([
        '',
        head,
        '',
        `  make             # build${starter ? 's' : ''} ./d${starter ? '; the functions to write are stubs' : ''}`,
      ]);
      expect(out).not.toMatch(/\bcd\b/);
    }
  });

  it('below the current directory ./path; above or beside it the absolute path; quoted when the shell needs it', () => {
    expect(placeOf(join(process.cwd(), 'a/b'))).toEqual({ where: './a/b', cd: ['  cd ./a/b'] });
    const parent = join(process.cwd(), '..');
    expect(placeOf(parent)).toEqual({ where: parent, cd: [`  cd ${parent}`] });
    expect(placeOf(join(process.cwd(), "it's here"))).toEqual({
      where: "./it's here",
      cd: ["  cd './it'\\''s here'"],
    });
    const out = nextSteps(completeAnswers({ name: 'd' }), parent);
    expect(out).toContain(`\nCreated d in ${parent}. Next steps:\n\n  cd ${parent}\n`);
  });
});
