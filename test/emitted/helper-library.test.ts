// helper/ is a library that depends on nothing in src/ (issue 13): a daemon main in another language
// can reuse it. Each helper/*.c compiles, at -Werror, in a directory that holds helper/ and nothing
// else, for both reload models and the starter, with and without the privilege drop.
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { tempDir } from '../support/cli.js';
import { generateProject, make, run } from '../support/project.js';
import { describeWith } from '../support/tools.js';

const CELLS: readonly (readonly string[])[] = [
  ['--reload', 'single', '--payload', 'tick'],
  ['--reload', 'multi', '--payload', 'echo', '--user', 'nobody', '--pidfile', '/run/myd/myd.pid'],
  ['--reload', 'single', '--payload', 'echo', '--starter'],
  ['--reload', 'multi', '--payload', 'tick', '--starter'],
];

const STD = ['-std=c11', '-D_POSIX_C_SOURCE=200809L', '-D_XOPEN_SOURCE=700', '-D_DARWIN_C_SOURCE'];
const WARNINGS = ['-Wall', '-Wextra', '-Wpedantic', '-Wshadow', '-Wstrict-prototypes', '-Wmissing-prototypes'];

describeWith(['make', 'cc'])('helper/ alone', () => {
  for (const flags of CELLS)
    it(`compiles with no src/ beside it: ${flags.join(' ')}`, () => {
      const project = generateProject(flags);
      const makefile = readFileSync(join(project, 'Makefile'), 'utf8');
      expect(makefile).toContain(`STD =\t\t${STD.join(' ')}`);
      expect(makefile).toContain(`WARNINGS =\t${WARNINGS.join(' ')}`);
      make(project, ['helper/have.h']);
      const alone = tempDir();
      cpSync(join(project, 'helper'), join(alone, 'helper'), { recursive: true });
      const sources = readdirSync(join(alone, 'helper')).filter((f) => f.endsWith('.c'));
      expect(sources).toEqual(expect.arrayContaining(['daemonize.c', 'log.c', 'pidfile.c', 'signals.c', 'notify.c']));
      for (const file of sources) {
        // Nothing outside helper/ by name, either.
        expect(readFileSync(join(alone, 'helper', file), 'utf8'), file).not.toMatch(/#include "(\.\.\/)?src\//);
        // The project's own standard and warnings (its Makefile's STD and WARNINGS), minus -Isrc.
        const r = run(
          ['cc', ...STD, ...WARNINGS, '-Werror', '-pthread', '-Ihelper', '-c', '-o', '/dev/null', `helper/${file}`],
          { cwd: alone },
        );
        expect(r.status, `${file}: ${r.out}`).toBe(0);
      }
    });
});
