// What the generator prints after writing: an engineer gets build, check and install lines for
// each init system; a student (--starter) gets the exercise's first steps, never an install of an
// unfinished daemon.
import { describe, expect, it } from 'vitest';
import { completeAnswers } from '../../generators/core/answers.js';
import { nextSteps } from '../../generators/app/next-steps.js';

describe('next steps', () => {
  it('for a normal project: build, check, and one install line per init system', () => {
    const out = nextSteps(completeAnswers({ name: 'd', init: ['systemd', 'runit'] }), `${process.cwd()}/d`);
    expect(out).toContain('cd ./d');
    expect(out).toMatch(/^ {2}make check /m);
    expect(out).toMatch(/^ {2}systemd: +sudo make install INIT_SYSTEMS=systemd && sudo systemctl daemon-reload/m);
    expect(out).toMatch(/^ {2}runit: +sudo make install INIT_SYSTEMS=runit/m);
  });

  it('for a starter: build, make check and the first function to write, and nothing to install', () => {
    const out = nextSteps(completeAnswers({ name: 'd', starter: true, init: ['systemd'] }), `${process.cwd()}/d`);
    expect(out).toContain('a daemon assignment');
    expect(out).toMatch(/^ {2}make check /m);
    expect(out).toContain('Start with log_open() in helper/log.c');
    expect(out).not.toMatch(/install|systemctl|enable/);
    // The teacher's reference command, for whoever ran the generator: the same answers, no --starter.
    expect(out).toMatch(/^ {2}create-daemon d --yes --reload single --payload tick .* --dir d-reference$/m);
    expect(out.split('\n').find((l) => l.startsWith('  create-daemon'))).not.toContain('--starter');
  });
});
