// What to do after writing: build, test, and install for each chosen init system.
import { relative } from 'node:path';
import type { Answers, InitSystem } from '../core/conventions.js';

const INSTALL: Record<InitSystem, (a: Answers) => string> = {
  systemd: (a) =>
    a.scope === 'user'
      ? `systemd:  make install && systemctl --user daemon-reload && systemctl --user enable --now ${a.name}`
      : `systemd:  sudo make install && sudo systemctl daemon-reload && sudo systemctl enable --now ${a.name}`,
  sysv: (a) => `SysV:     sudo make install && sudo update-rc.d ${a.name} defaults && sudo service ${a.name} start`,
  launchd: (a) =>
    a.scope === 'user'
      ? `launchd:  make install && launchctl bootstrap gui/$(id -u) ~/Library/LaunchAgents/${a.label}.plist`
      : `launchd:  sudo make install && sudo launchctl bootstrap system /Library/LaunchDaemons/${a.label}.plist`,
  openrc: (a) =>
    `OpenRC:   sudo make install && sudo rc-update add ${a.name} default && sudo rc-service ${a.name} start`,
  runit: (a) => `runit:    sudo make install && sudo ln -s /etc/sv/${a.name} /etc/service/`,
  rcd: (a) => `rc.d:     sudo make install && sudo sysrc ${a.name}_enable=YES && sudo service ${a.name} start`,
};

export function nextSteps(answers: Answers, dir: string): string {
  const rel = relative(process.cwd(), dir) || '.';
  const where = rel.startsWith('.') || rel.startsWith('/') ? rel : `./${rel}`;
  return [
    '',
    `Created ${answers.name} in ${where}. Next steps:`,
    '',
    `  cd ${where}`,
    '  make             # build ./' + answers.name,
    '  make check       # prove it behaves like a daemon',
    `  ./${answers.name} -f -c etc/${answers.name}.conf -p "$PWD/${answers.name}.pid"   # try it in the foreground; Ctrl-C stops it`,
    '',
    'Install (README.md has enable, reload and stop for each):',
    ...answers.init.map((s) => `  ${INSTALL[s](answers)}`),
    '',
  ].join('\n');
}
