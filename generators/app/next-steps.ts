// What to do after writing: build, test, and install for each chosen init system.
import { relative } from 'node:path';
import type { Answers, InitSystem } from '../core/conventions.js';
import { buildContext } from '../core/context.js';
import { shWord } from '../core/escape.js';
import { PACKAGE_ROOT } from '../core/paths.js';

/**
 * The teacher's command for a starter's reference solution: the same answers without --starter,
 * into <name>-reference. Printed for whoever ran the generator, never written into the project.
 */
export function referenceCommand(a: Answers): string {
  // The answers as given, not as a variant changes them: one reference serves every student's variant.
  const c = buildContext({ ...a, variant: '' });
  return [
    `npx create-daemon ${a.name} --yes --reload ${a.reload} --payload ${a.payload}`,
    `--pidfile ${c.sh.pidfile} --config ${c.sh.config} --facility ${a.facility} --init ${a.init.join(',')}`,
    `--systemd-type ${a.systemdType} --scope ${a.scope} --label ${c.sh.label} --umask ${a.umask} --license ${a.license}`,
    ...(a.user ? [`--user ${c.sh.user}`] : []),
    ...(a.fleet.length > 0 ? [`--fleet ${a.fleet.join(',')}`] : []),
    `--description ${c.sh.description} --dir ${a.name}-reference`,
  ].join(' ');
}

/** After `make install INIT_SYSTEMS=<system>` (only that system's files): enable and start. */
const ENABLE: Record<InitSystem, (a: Answers) => string> = {
  systemd: (a) =>
    a.scope === 'user'
      ? `systemctl --user daemon-reload && systemctl --user enable --now ${a.name}`
      : `sudo systemctl daemon-reload && sudo systemctl enable --now ${a.name}`,
  sysv: (a) => `sudo update-rc.d ${a.name} defaults && sudo service ${a.name} start`,
  launchd: (a) =>
    a.scope === 'user'
      ? `launchctl bootstrap gui/$(id -u) ~/Library/LaunchAgents/${a.label}.plist`
      : `sudo launchctl bootstrap system /Library/LaunchDaemons/${a.label}.plist`,
  openrc: (a) => `sudo rc-update add ${a.name} default && sudo rc-service ${a.name} start`,
  runit: (a) => `sudo ln -s /etc/sv/${a.name} /etc/service/`,
  rcd: (a) => `sudo sysrc ${a.name.replace(/-/g, '_')}_enable=YES && sudo service ${a.name} start`,
};

const LABEL: Record<InitSystem, string> = {
  systemd: 'systemd',
  sysv: 'SysV',
  launchd: 'launchd',
  openrc: 'OpenRC',
  runit: 'runit',
  rcd: 'rc.d',
};

/**
 * Install only this system's files. The binary and the config need root even for a per-user service,
 * whose unit or agent the user then installs into their own home.
 */
function installLine(system: InitSystem, a: Answers): string {
  const make =
    a.scope === 'user'
      ? `sudo make install INIT_SYSTEMS= && make install-init INIT_SYSTEMS=${system}`
      : `sudo make install INIT_SYSTEMS=${system}`;
  return `${`${LABEL[system]}:`.padEnd(9)} ${make} && ${ENABLE[system](a)}`;
}

/**
 * Where the project is, said to the user: the current directory needs no `cd` (and "in .." read as a
 * typo); below it, ./path; elsewhere, the absolute path. The `cd` argument is quoted when the shell needs it.
 */
export function placeOf(dir: string): { where: string; cd: string[] } {
  const rel = relative(process.cwd(), dir);
  if (rel === '') return { where: 'the current directory', cd: [] };
  const path = rel.startsWith('..') ? dir : `./${rel}`;
  return { where: path, cd: [`  cd ${/^[\w./+,:@%-]+$/.test(path) ? path : shWord(path)}`] };
}

export function nextSteps(answers: Answers, dir: string): string {
  const { where, cd } = placeOf(dir);
  // A starter is an exercise: nothing to install until its functions are written.
  if (answers.starter)
    return [
      '',
      `Created ${answers.name} in ${where}, a daemon assignment. Next steps:`,
      '',
      ...cd,
      `  make             # builds ./${answers.name}; the functions to write are stubs`,
      '  make check       # every FAIL names the rule and the function to write',
      '',
      'README.md gives the order. Start with log_open() in helper/log.c, then run make check again.',
      '',
      'For the teacher (not written into the project; keep it): the reference solution, the same',
      'answers without --starter:',
      '',
      `  ${referenceCommand(answers)}`,
      '',
      ...(answers.variant === ''
        ? []
        : [
            `This handout is ${answers.variant.split(' ')[0]}'s variant. The seed is written nowhere: grade with`,
            'tests/grade.sh -s SEEDFILE, a file that holds it. The grader must see the same id: the name',
            "of the student's folder in a batch, -i ID, or their e-mail address in Gradescope's metadata (-M).",
            '',
          ]),
      `Grading (tests/grade.sh -h), hidden checks and Gradescope: "For teachers" in ${PACKAGE_ROOT}README.md`,
      '',
    ].join('\n');
  return [
    '',
    `Created ${answers.name} in ${where}. Next steps:`,
    '',
    ...cd,
    ...(answers.lang === 'typescript'
      ? [
          `  make             # npm install (typescript, @types/node) once, tsc, and the helper ./${answers.name}`,
          '  make check       # node --test, then prove it behaves like a daemon',
        ]
      : [`  make             # build ./${answers.name}`, '  make check       # prove it behaves like a daemon']),
    ...(answers.user
      ? [
          `  sudo useradd --system --no-create-home --shell /usr/sbin/nologin ${answers.user}   # the account it drops to, unless it exists`,
        ]
      : []),
    `  ./${answers.name} -f -c etc/${answers.name}.conf -p "$PWD/${answers.name}.pid"   # try it in the foreground; Ctrl-C stops it`,
    '',
    'Install on this machine, for its init system (init/README.md has enable, reload and stop for each):',
    ...answers.init.map((s) => `  ${installLine(s, answers)}`),
    ...(answers.scope === 'system'
      ? ['', 'Or as a package: make deb (debian/, the .deb lands in ..), make rpm (' + `${answers.name}.spec).`]
      : []),
    ...(answers.maintainer.endsWith('@example.org>')
      ? [
          '',
          `The packages and the copyright notice name "${answers.maintainer}": nothing said who you are`,
          '(DEBFULLNAME and DEBEMAIL, or git config user.name and user.email). Set "maintainer" in',
          '.yo-rc.json and regenerate, or edit debian/control, debian/changelog, debian/copyright, LICENSE',
          `and ${answers.name}.spec.`,
        ]
      : []),
    '',
  ].join('\n');
}
