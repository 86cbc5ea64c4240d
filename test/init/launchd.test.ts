// launchd plists: valid against the plist DTD (a local copy, xmllint --nonet), every key of the type
// launchd.plist(5) gives it, and the values that follow the answers. No macOS here.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { itWith } from '../support/tools.js';
import { tempDir } from '../support/cli.js';
import { generate, sh, type Project } from '../support/init-project.js';

const DTD = fileURLToPath(new URL('./fixtures/PropertyList-1.0.dtd', import.meta.url));

/** launchd.plist(5): the type of each key we emit (KeepAlive may be a boolean or a dictionary). */
const KEY_TYPES: Readonly<Record<string, readonly string[]>> = {
  Label: ['string'],
  ProgramArguments: ['array'],
  RunAtLoad: ['true', 'false'],
  KeepAlive: ['true', 'false', 'dict'],
  ThrottleInterval: ['integer'],
  UserName: ['string'],
  StandardOutPath: ['string'],
  StandardErrorPath: ['string'],
};

/** An XML catalog that maps Apple's DTD (public id and URL) to the local copy, so nothing is fetched. */
const CATALOG = join(tempDir('cd-catalog-'), 'catalog.xml');
writeFileSync(
  CATALOG,
  `<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <public publicId="-//Apple//DTD PLIST 1.0//EN" uri="file://${DTD}"/>
  <system systemId="http://www.apple.com/DTDs/PropertyList-1.0.dtd" uri="file://${DTD}"/>
</catalog>
`,
);
const xmllint = (args: string[]) => sh('xmllint', ['--nonet', ...args], { env: { XML_CATALOG_FILES: CATALOG } });

const plist = (p: Project) => join(p.dir, 'init/launchd', `${String(p.answers.label)}.plist`);
const xpath = (file: string, expr: string) => xmllint(['--xpath', expr, file]).stdout.trim();
const keys = (file: string) => xpath(file, '/plist/dict/key/text()').split('\n').filter(Boolean);
const typeOf = (file: string, key: string) => xpath(file, `name(/plist/dict/key[.='${key}']/following-sibling::*[1])`);
const text = (file: string, key: string) => xpath(file, `string(/plist/dict/key[.='${key}']/following-sibling::*[1])`);

describe('launchd plist', () => {
  const cases: [string, string[]][] = [
    ['default answers (LaunchDaemon)', []],
    ['--user daemon --label org.example.ld', ['--user', 'daemon', '--label', 'org.example.ld']],
    ['--scope user (LaunchAgent)', ['--scope', 'user']],
    ['a hostile description', ['--description', `<b>&"quotes"' -- ]]>`]],
  ];
  for (const [label, flags] of cases) {
    itWith(['xmllint'])(
      `${label}: valid against the local plist DTD with --nonet, every key of its launchd type`,
      () => {
        const p = generate('ld', ['--init', 'launchd', ...flags]);
        const file = plist(p);
        const v = xmllint(['--noout', '--dtdvalid', DTD, file]);
        expect(v.stderr).toBe('');
        expect(v.status).toBe(0);
        const found = keys(file);
        expect(found.length).toBeGreaterThan(0);
        for (const k of found) {
          expect(Object.keys(KEY_TYPES), `known key ${k}`).toContain(k);
          expect(KEY_TYPES[k], `type of ${k}`).toContain(typeOf(file, k));
        }
        // The essentials, with the values the answers give.
        expect(text(file, 'Label')).toBe(String(p.answers.label));
        expect(
          xpath(file, "/plist/dict/key[.='ProgramArguments']/following-sibling::array[1]/string/text()").split('\n'),
        ).toEqual(
          flags.includes('--scope')
            ? ['/usr/local/sbin/ld', '-f']
            : flags.includes('--user')
              ? ['/usr/local/sbin/ld', '-f', '-p', '/usr/local/var/run/ld/ld.pid']
              : ['/usr/local/sbin/ld', '-f', '-p', '/var/run/ld.pid'],
        );
        expect(typeOf(file, 'RunAtLoad')).toBe('true');
        expect(found).toContain('KeepAlive');
        if (flags.includes('--scope')) {
          // An agent names no log file: no fixed path in a shared directory, and launchd expands no ~.
          expect(found).not.toContain('StandardOutPath');
          expect(found).not.toContain('StandardErrorPath');
        } else {
          expect(text(file, 'StandardOutPath')).toBe('/var/log/ld.log');
          expect(text(file, 'StandardErrorPath')).toBe('/var/log/ld.log');
        }
        if (flags.includes('--user')) expect(text(file, 'UserName')).toBe('daemon');
        else expect(found).not.toContain('UserName');
      },
    );
  }

  itWith(['xmllint'])(
    'the DTD check is not hollow: a string where launchd wants an array fails it or the type check',
    () => {
      const p = generate('ld', ['--init', 'launchd']);
      const bad = join(tempDir('cd-plist-'), 'bad.plist');
      writeFileSync(
        bad,
        readFileSync(plist(p), 'utf8').replace('<key>RunAtLoad</key>', '<key>RunAtLoad</key><bogus/>'),
      );
      expect(xmllint(['--noout', '--dtdvalid', DTD, bad]).status).not.toBe(0);
      const typed = join(tempDir('cd-plist-'), 'typed.plist');
      writeFileSync(
        typed,
        readFileSync(plist(p), 'utf8').replace(
          /<key>RunAtLoad<\/key>\s*<true\/>/,
          '<key>RunAtLoad</key><string>yes</string>',
        ),
      );
      expect(KEY_TYPES.RunAtLoad).not.toContain(typeOf(typed, 'RunAtLoad'));
    },
  );

  itWith(['plistutil'])('libplist reads it: XML -> binary -> XML keeps every key', () => {
    const p = generate('ld', ['--init', 'launchd', '--user', 'daemon']);
    const dir = tempDir('cd-plist-');
    expect(sh('plistutil', ['-i', plist(p), '-o', join(dir, 'b.plist'), '-f', 'bin']).status).toBe(0);
    const back = sh('plistutil', ['-i', join(dir, 'b.plist'), '-f', 'xml']);
    expect(back.status).toBe(0);
    for (const k of [
      'Label',
      'ProgramArguments',
      'RunAtLoad',
      'KeepAlive',
      'UserName',
      'StandardOutPath',
      'StandardErrorPath',
    ])
      expect(back.stdout).toContain(`<key>${k}</key>`);
  });

  itWith(['make'])("with --user, make install creates the job's pid directory, owned by the account", () => {
    const p = generate('ld', ['--init', 'launchd', '--user', 'daemon']);
    const stage = tempDir('cd-launchd-stage-');
    const r = sh('make', ['-s', 'install-init', 'INIT_SYSTEMS=launchd', `DESTDIR=${stage}`], { cwd: p.dir });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const stat = sh('stat', ['-c', '%U %a', join(stage, 'usr/local/var/run/ld')]);
    expect(stat.stdout.trim()).toBe('daemon 755');
    // Another PREFIX moves the directory, and the plist names it; uninstall removes it again.
    const other = tempDir('cd-launchd-stage-');
    expect(
      sh('make', ['-s', 'install-init', 'INIT_SYSTEMS=launchd', `DESTDIR=${other}`, 'PREFIX=/opt/ld'], { cwd: p.dir })
        .status,
    ).toBe(0);
    expect(sh('stat', ['-c', '%U', join(other, 'opt/ld/var/run/ld')]).stdout.trim()).toBe('daemon');
    expect(readFileSync(join(other, 'Library/LaunchDaemons/local.ld.plist'), 'utf8')).toContain(
      '<string>/opt/ld/var/run/ld/ld.pid</string>',
    );
    expect(sh('make', ['-s', 'uninstall-init', `DESTDIR=${other}`, 'PREFIX=/opt/ld'], { cwd: p.dir }).status).toBe(0);
    expect(existsSync(join(other, 'opt/ld/var/run/ld'))).toBe(false);
  });

  // The echo payload's socket on macOS (what `cc -D__APPLE__` compiles in, with the Makefile's own
  // flags and PREFIX): never under /run, which macOS lacks (launchd restarted the daemon in a loop), but
  // beside the pid file the plist gives -p, in /var/run or in the directory make install creates for
  // the --user account, wherever PREFIX puts it.
  const macSocket = (p: Project, makeArgs: readonly string[]) => {
    const mk = join(p.dir, 'mac-socket.mk');
    writeFileSync(
      mk,
      `mac-socket:\n\t@printf '#include "defaults.h"\\nLD_SOCKET\\n' | $(CC) $(ALL_CFLAGS) -D__APPLE__ -E -P -x c -\n`,
    );
    try {
      const r = sh('make', ['-s', '-f', 'Makefile', '-f', 'mac-socket.mk', 'mac-socket', ...makeArgs], { cwd: p.dir });
      expect(r.status, r.stderr).toBe(0);
      const last = r.stdout.trim().split('\n').pop() ?? '';
      // Adjacent string literals, as the compiler joins them.
      return [...last.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
    } finally {
      rmSync(mk);
    }
  };
  const pidArg = (file: string) =>
    xpath(
      file,
      "/plist/dict/key[.='ProgramArguments']/following-sibling::array[1]/string[.='-p']/following-sibling::string[1]/text()",
    );
  for (const [label, flags, makeArgs, dir] of [
    ['--payload echo (LaunchDaemon)', [], [], '/var/run'],
    ['--payload echo --user daemon', ['--user', 'daemon'], [], '/usr/local/var/run/ld'],
    [
      '--payload echo --user daemon, make PREFIX=/opt/ld',
      ['--user', 'daemon'],
      ['PREFIX=/opt/ld'],
      '/opt/ld/var/run/ld',
    ],
  ] as const) {
    itWith(['make', 'cc', 'xmllint'])(
      `${label}: the installed job's echo socket is in a directory that exists on macOS, never /run`,
      () => {
        const p = generate('ld', ['--init', 'launchd', '--payload', 'echo', ...flags]);
        const sock = macSocket(p, makeArgs);
        expect(sock.startsWith('/run/')).toBe(false);
        expect(sock).toBe(`${dir}/ld.sock`);
        const stage = tempDir('cd-launchd-stage-');
        const r = sh('make', ['-s', 'install-init', 'INIT_SYSTEMS=launchd', `DESTDIR=${stage}`, ...makeArgs], {
          cwd: p.dir,
        });
        expect(r.status, r.stdout + r.stderr).toBe(0);
        const installed = join(stage, 'Library/LaunchDaemons/local.ld.plist');
        // Beside the pid file launchd's job is given, and no installed file names /run.
        expect(pidArg(installed)).toBe(`${dir}/ld.pid`);
        expect(readFileSync(installed, 'utf8')).not.toMatch(/[>\s]\/run\//);
        // /var/run is macOS's own; the --user account's directory is made by make install.
        if (dir !== '/var/run') expect(existsSync(join(stage, dir))).toBe(true);
        // The shipped config leaves the socket to that default: an explicit socket line would win.
        const conf = readFileSync(join(p.dir, 'etc/ld.conf'), 'utf8');
        expect(conf).not.toMatch(/^socket\s*=/m);
        const t = sh('./ld', ['-t', '-c', 'etc/ld.conf'], { cwd: p.dir });
        if (existsSync(join(p.dir, 'ld'))) expect(t.status, t.stderr).toBe(0);
      },
    );
  }

  itWith([])('--scope user is a LaunchAgent for ~/Library/LaunchAgents; system scope a LaunchDaemon', () => {
    const agent = generate('ld', ['--init', 'launchd', '--scope', 'user']);
    expect(sh('cat', [join(agent.dir, 'init/install.mk')]).stdout).toMatch(
      /^LAUNCHDDIR = \$\(HOME\)\/Library\/LaunchAgents$/m,
    );
    const daemon = generate('ld', ['--init', 'launchd']);
    expect(sh('cat', [join(daemon.dir, 'init/install.mk')]).stdout).toMatch(/^LAUNCHDDIR = \/Library\/LaunchDaemons$/m);
  });
});
