// yeoman-test over the option matrix: the file set each cell must produce, and the key contents.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import helpers from 'yeoman-test';
import { describe, expect, it } from 'vitest';
import AppGenerator from '../../generators/app/index.js';
import { completeAnswers } from '../../generators/core/answers.js';
import type { Answers } from '../../generators/core/conventions.js';
import { optionMatrix } from '../support/matrix.js';

/** The tree DESIGN.md promises for these answers, written out independently of the manifest. */
function expectedFiles(a: Answers): string[] {
  const n = a.name;
  const files = [
    '.yo-rc.json',
    '.gitignore',
    '.editorconfig',
    '.clang-format',
    'Makefile',
    'README.md',
    `etc/${n}.conf`,
    'helper/daemonize.c',
    'helper/pidfile.c',
    'helper/log.c',
    'helper/signals.c',
    'helper/notify.c',
    'init/install.mk',
  ];
  if (a.lang === 'typescript')
    files.push(
      'package.json',
      'tsconfig.json',
      'native/main.c',
      'native/child.c',
      'src/main.ts',
      'src/config.ts',
      `src/${a.payload}.ts`,
      'src/config.test.ts',
    );
  else files.push('src/main.c', 'src/config.c', `src/${a.payload}.c`);
  if (a.user) files.push('helper/privdrop.c');
  const byInit: Record<string, string[]> = {
    systemd: [`init/systemd/${n}.service`],
    sysv: [`init/sysv/${n}`],
    launchd: [`init/launchd/${a.label}.plist`],
    openrc: [`init/openrc/${n}`],
    runit: [`init/runit/${n}/run`, `init/runit/${n}/log/run`],
    rcd: [`init/rcd/${n}`],
  };
  for (const s of a.init) files.push(...byInit[s]!);
  files.push('.github/workflows/ci.yml');
  // The RPM spec: a system package, for the init systems RPM distributions run.
  if (a.scope === 'system' && (a.init.includes('systemd') || a.init.includes('sysv'))) files.push(`${n}.spec`);
  return files;
}

const EXECUTABLE = /^init\/(sysv|openrc|rcd)\/[^/.]+$|^init\/runit\/.*run$/;

describe('each cell of the option matrix', () => {
  it.each(optionMatrix())('$title', async ({ given }) => {
    const answers = completeAnswers({ name: 'myd', ...given });
    const result = await helpers
      .run(AppGenerator)
      .withOptions({ given: { name: 'myd', ...given }, yes: true } as never);
    const root = join(result.cwd, 'myd');
    result.assertFile(expectedFiles(answers).map((f) => join(root, f)));

    const saved = JSON.parse(readFileSync(join(root, '.yo-rc.json'), 'utf8'));
    expect(saved).toEqual({ 'create-daemon': answers });

    const read = (f: string) => readFileSync(join(root, f), 'utf8');
    expect(read('helper/signals.c').includes('sigwait')).toBe(answers.reload === 'multi');
    expect(read('Makefile')).toMatch(/include init\/install\.mk/);
    const signals = read('helper/signals.c');
    expect(signals.includes('pthread_create')).toBe(answers.reload === 'multi');
    expect(signals.includes('volatile sig_atomic_t')).toBe(answers.reload === 'single');
    expect(read('Makefile').includes('-pthread')).toBe(answers.reload === 'multi');
    expect(read(`etc/myd.conf`)).toMatch(answers.payload === 'echo' ? /^#?socket\s*=/m : /^interval\s*=/m);
    if (answers.init.includes('systemd'))
      expect(read(`init/systemd/myd.service`)).toMatch(new RegExp(`^Type=${answers.systemdType}$`, 'm'));
    if (answers.init.includes('launchd'))
      expect(read(`init/launchd/${answers.label}.plist`)).toContain(`<string>${answers.label}</string>`);
    for (const f of expectedFiles(answers).filter((p) => EXECUTABLE.test(p)))
      expect(statSync(join(root, f)).mode & 0o111, f).not.toBe(0);
  });
});
