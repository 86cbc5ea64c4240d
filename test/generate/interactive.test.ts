// The real CLI in a pseudo-terminal: prompts appear only for what no flag gave, a bad answer is re-asked
// with the validator's message, and Ctrl-C cancels with nothing written.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import { BIN, tempDir } from '../support/cli.js';
import { itWith } from '../support/tools.js';
import { Terminal } from '../support/tty.js';

const terminals: Terminal[] = [];
const open = (cwd: string, args: string) => {
  const t = new Terminal(cwd, `${process.execPath} ${BIN} ${args}`);
  terminals.push(t);
  return t;
};
afterEach(() => terminals.splice(0).forEach((t) => t.close()));

describe('interactive runs', () => {
  itWith(['tmux'])('asks for every convention not given, re-asks a bad value, and saves the answers', async () => {
    const cwd = tempDir();
    const t = open(cwd, '--reload multi');
    await t.answer(/Daemon name/, 'myd', 'Enter');
    await t.answer(/One-line description/, 'C-u', 'Watches "things" & $stuff', 'Enter');
    await t.answer(/Language of the daemon/, 'Enter'); // c
    await t.answer(/What the daemon does/, 'Down', 'Enter'); // echo
    // --reload was given as a flag, so its prompt never appears.
    await t.answer(/Service scope/, 'Enter');
    await t.answer(/Init systems to support/, 'Down', 'Down', 'Down', 'Space', 'Enter'); // + openrc
    await t.answer(/systemd service Type/, 'Down', 'Enter'); // forking
    await t.answer(/Unprivileged account/, 'Enter');
    await t.waitFor(/\? Lock\/PID file/);
    t.send('C-u', 'run/x.pid', 'Enter');
    // The prompt's words, not the flag's: no "pidfile" in the message.
    await t.waitFor(/> The lock\/PID file must be an absolute path, got "run\/x\.pid"/);
    for (let i = 0; i < 12; i++) t.send('BSpace');
    t.send('/run/myd.pid', 'Enter');
    await t.waitFor(/✔ Lock\/PID file/);
    await t.answer(/Config file/, 'Enter');
    await t.answer(/syslog facility/, 'Down', 'Down', 'Enter'); // local0
    await t.answer(/launchd label/, 'Enter');
    await t.answer(/File mode creation mask/, 'C-u', '027', 'Enter');
    await t.answer(/License of the generated code/, 'Down', 'Down', 'Enter'); // BSD-2-Clause
    await t.answer(/Beyond one machine/, 'Space', 'Down', 'Down', 'Space', 'Enter'); // oci, nomad
    await t.answer(/Course-assignment starter/, 'Enter');
    expect(await t.exitStatus()).toBe(0);
    expect(t.screen()).not.toMatch(/SIGHUP reload model/);
    const saved = JSON.parse(readFileSync(join(cwd, 'myd', '.yo-rc.json'), 'utf8'))['create-daemon'];
    expect(saved).toMatchObject({
      name: 'myd',
      description: 'Watches "things" & $stuff',
      lang: 'c',
      payload: 'echo',
      reload: 'multi',
      init: ['systemd', 'sysv', 'launchd', 'openrc'],
      systemdType: 'forking',
      pidfile: '/run/myd.pid',
      facility: 'local0',
      umask: '027',
      license: 'BSD-2-Clause',
      fleet: ['oci', 'nomad'],
    });
  });

  itWith(['tmux'])('a flag that the answers leave without effect is warned about once they are known', async () => {
    const cwd = tempDir();
    const t = open(
      cwd,
      'myd --systemd-type forking --description d --lang c --payload tick --reload single --scope system',
    );
    await t.answer(/Init systems to support/, 'Space', 'Down', 'Down', 'Space', 'Enter'); // sysv only
    await t.answer(/Unprivileged account/, 'Enter');
    await t.answer(/Lock\/PID file/, 'Enter');
    await t.answer(/Config file/, 'Enter');
    await t.answer(/syslog facility/, 'Enter');
    await t.answer(/File mode creation mask/, 'Enter');
    await t.answer(/License of the generated code/, 'Enter');
    await t.answer(/Beyond one machine/, 'Enter');
    await t.answer(/Course-assignment starter/, 'Enter');
    expect(await t.exitStatus()).toBe(0);
    expect(t.screen()).toMatch(
      /^create-daemon: warning: --systemd-type forking has no effect: no systemd among the init systems \(sysv\)$/m,
    );
  });

  itWith(['tmux'])('an earlier answer that a later one breaks is asked again, in the prompt’s words', async () => {
    const cwd = tempDir();
    const t = open(cwd, 'myd --description d --lang c --payload tick --reload single --scope system --init systemd');
    await t.answer(/systemd service Type/, 'Enter');
    await t.answer(/Unprivileged account/, 'Enter');
    await t.answer(/Lock\/PID file/, 'C-u', '/run/myd.pid', 'Enter');
    // The config prompt comes after the pid file's, and a config at the same path breaks the pid file.
    await t.answer(/Config file/, 'C-u', '/run/myd.pid', 'Enter');
    await t.answer(/syslog facility/, 'Enter');
    await t.answer(/File mode creation mask/, 'Enter');
    await t.answer(/License of the generated code/, 'Enter');
    await t.answer(/Beyond one machine/, 'Enter');
    await t.answer(/Course-assignment starter/, 'Enter');
    await t.waitFor(
      /The lock\/PID file and the config file must be different files, both are "\/run\/myd\.pid"; asking again\./,
    );
    // The only "? Lock/PID file" on screen now is the question asked again; the same answer is
    // refused there, still naming the config file in words, since it came from a prompt.
    await t.waitFor(/\? Lock\/PID file/);
    t.send('C-u', '/run/myd.pid', 'Enter');
    await t.waitFor(/> The lock\/PID file and the config file must be different files/);
    for (let i = 0; i < 12; i++) t.send('BSpace');
    t.send('/run/myd2.pid', 'Enter');
    expect(await t.exitStatus()).toBe(0);
    expect(t.screen()).not.toMatch(/--pidfile|--config/);
    const saved = JSON.parse(readFileSync(join(cwd, 'myd', '.yo-rc.json'), 'utf8'))['create-daemon'];
    expect(saved).toMatchObject({ pidfile: '/run/myd2.pid', config: '/run/myd.pid' });
  });

  itWith(['tmux'])('a per-user service is offered only the init systems that can run one', async () => {
    const cwd = tempDir();
    const t = open(cwd, 'myd --scope user --description d --lang c --payload tick --reload single');
    const screen = await t.waitFor(/\? Init systems to support[\s\S]*launchd/);
    expect(screen).toMatch(/systemd/);
    expect(screen).not.toMatch(/sysv|openrc|runit|rcd/);
    t.send('C-c');
    expect(await t.exitStatus()).toBe(130);
  });

  itWith(['tmux'])('Ctrl-C at a prompt cancels cleanly and writes nothing', async () => {
    const cwd = tempDir();
    const t = open(cwd, 'myd');
    await t.answer(/One-line description/, 'Enter');
    await t.answer(/Language of the daemon/, 'Enter');
    await t.waitFor(/\? What the daemon does/);
    t.send('C-c');
    expect(await t.exitStatus()).toBe(130);
    expect(t.screen()).toMatch(/create-daemon: cancelled; nothing was written/);
    rmSync(join(cwd, '.exit-status'));
    expect(readdirSync(cwd)).toEqual([]);
  });

  itWith(['tmux'])('a non-empty target directory is asked about, and "no" writes nothing', async () => {
    const cwd = tempDir();
    const first = open(cwd, 'myd --yes');
    expect(await first.exitStatus()).toBe(0);
    rmSync(join(cwd, '.exit-status'));
    const before = readFileSync(join(cwd, 'myd', '.yo-rc.json'), 'utf8');
    const t = open(
      cwd,
      'myd --payload echo --reload single --init systemd --systemd-type notify --scope system --user "" --pidfile /run/myd.pid --config /etc/myd.conf --facility daemon --umask 022 --description x',
    );
    await t.waitFor(/is not empty\. Write into it/);
    t.send('n', 'Enter');
    expect(await t.exitStatus()).toBe(130);
    expect(readFileSync(join(cwd, 'myd', '.yo-rc.json'), 'utf8')).toBe(before);
  });
});
