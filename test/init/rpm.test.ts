// The RPM spec (NAME.spec) and `make dist` / `make rpm`: packages built for real by rpmbuild (Debian's
// rpm 4.18), read back with rpm -qp (files, config files, scriptlets, version, requirements), and linted
// by rpmlint, with every remaining complaint accounted for below.
import { readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, type TestContext } from 'vitest';
import { itWith } from '../support/tools.js';
import { keepTmp, ROOT, tempDir } from '../support/cli.js';
import { generate, must, sh, type Project } from '../support/init-project.js';
import { runAsync } from '../support/project.js';

// Debian's rpm database is empty (gcc and make came from dpkg), so rpmbuild would refuse every
// BuildRequires: --nodeps skips that check, and only that.
const NODEPS = '--nodeps';
// Debian has no systemd-rpm-macros. Stand-ins that print their name and arguments prove that the spec
// calls each scriptlet macro where it is defined (rpmspec below shows that it expands to nothing where not).
const SCRIPTLET_MACROS = ['systemd_post', 'systemd_preun', 'systemd_postun_with_restart'];
const STAND_INS = SCRIPTLET_MACROS.map((m) => `--define '${m}() echo STAND-IN ${m} %{*}'`).join(' ');

/** What rpmlint 2.4 still reports, each for a reason outside the spec's control. Anything else fails. */
const RPMLINT_EXPECTED: Record<string, string> = {
  'no-signature': 'a local build is unsigned: signing (rpmsign) is the distributor’s step',
  'no-packager-tag': 'Packager: is the build system’s to set; Fedora forbids it in a spec',
  'no-group-tag': 'Group: is obsolete (Fedora dropped it in 2018); rpmlint’s upstream defaults still ask for it',
  'no-buildroot-tag': 'BuildRoot: is ignored since rpm 4.6',
  'no-url-tag': 'create-daemon cannot know where the project lives: the user adds URL:',
  'invalid-url': 'Source0: is the tarball make dist writes, not a download address (none is known)',
  'invalid-license': 'rpmlint’s default configuration lists no valid license at all, so every License: is "invalid"',
  'unstripped-binary-or-object': 'Debian’s rpm makes no -debuginfo package, which is what strips the binary on Fedora',
  'manpage-not-compressed':
    'Debian’s brp-compress runs `read -d` under dash, fails, and leaves man pages uncompressed (Fedora gzips them; the spec’s globs take either); rpmlint’s default wants bz2 anyway',
  'bad-manual-page-folder': 'follows from the above: rpmlint takes the ".5" of NAME.conf.5 for a compression suffix',
  'no-manual-page-for-binary':
    'an rpmlint 2.4 bug: FilesCheck records the man pages’ sections ("8"), not their names, so no binary ever has one',
  'name-repeated-in-summary': 'the default description, "NAME daemon", starts with the name',
  'hardcoded-library-path':
    'TypeScript: the compiled JavaScript is architecture-independent, so /usr/lib (not lib64), like Fedora’s nodejs_sitelib',
};

const rpmEval = (expr: string): string => must('rpm', ['--eval', expr]).trim();
const stripCompression = (f: string): string => f.replace(/\.(gz|bz2|xz|zst)$/, '');

/** A project generated in a directory removed when the test ends (kept when it failed under CREATE_DAEMON_KEEP_TMP=1). */
function project(ctx: TestContext, name: string, flags: readonly string[]): Project {
  const parent = tempDir('cd-rpm-');
  ctx.onTestFinished(({ task }) => {
    if (task.result?.state === 'pass' || !keepTmp) rmSync(parent, { recursive: true, force: true });
  });
  return generate(name, flags, parent);
}

interface Case {
  readonly name: string;
  readonly flags: readonly string[];
  readonly init: 'systemd' | 'sysv';
  readonly user?: string;
  readonly ts?: boolean;
}

const CASES: readonly Case[] = [
  { name: 'rpmd', flags: [], init: 'systemd' },
  { name: 'rpmu', flags: ['--user', 'daemon', '--payload', 'echo'], init: 'systemd', user: 'daemon' },
  { name: 'rpms', flags: ['--init', 'sysv'], init: 'sysv' },
  // tsc and Node's types come from this repository's node_modules (the spec's %{?node_modules}), not npm.
  { name: 'rpmt', flags: ['--lang', 'typescript'], init: 'systemd', ts: true },
];

const RPM_TOOLS = ['make', 'tar', 'gzip', 'rpm', 'rpmbuild', 'rpmspec', 'rpm2archive', 'rpmlint'];

describe('make rpm: the package built, read back and linted', () => {
  for (const c of CASES) {
    itWith(
      RPM_TOOLS,
      undefined,
      true,
    )(`${c.name} ${c.flags.join(' ') || '(--yes)'}`, async (ctx) => {
      const p = project(ctx, c.name, c.flags);
      const tmp = join(p.dir, '..', 'tmp');
      mkdirSync(tmp);
      const flags = [NODEPS, STAND_INS, `--define '_tmppath ${tmp}'`];
      if (c.ts) flags.push(`--define 'node_modules ${join(ROOT, 'node_modules')}'`);
      const build = await runAsync(['make', 'rpm', `RPMBUILD_FLAGS=${flags.join(' ')}`], { cwd: p.dir });
      expect(build.status, build.out.slice(-3000)).toBe(0);
      const rpms = readdirSync(join(p.dir, 'rpmbuild/RPMS'), { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.rpm'),
      );
      expect(rpms).toHaveLength(1);
      const pkg = join(p.dir, 'rpmbuild/RPMS', rpms[0]!);
      const q = (...args: string[]): string => must('rpm', ['-qp', ...args, pkg]);

      // The version is the Makefile's.
      expect(q('--qf', '%{VERSION}')).toBe(must('make', ['-s', 'version'], { cwd: p.dir }).trim());

      const files = q('-l').trim().split('\n').map(stripCompression);
      const unitdir = rpmEval('%{?_unitdir}%{!?_unitdir:/usr/lib/systemd/system}');
      const initddir = rpmEval('%{?_initddir}%{!?_initddir:/etc/rc.d/init.d}');
      const initFile = c.init === 'systemd' ? `${unitdir}/${c.name}.service` : `${initddir}/${c.name}`;
      const expected = [
        `/usr/sbin/${c.name}`,
        `/etc/${c.name}.conf`,
        `/usr/share/man/man8/${c.name}.8`,
        `/usr/share/man/man5/${c.name}.conf.5`,
        initFile,
      ];
      if (c.ts) expected.push(`/usr/lib/${c.name}/main.js`, `/usr/lib/${c.name}/package.json`);
      expect(files).toEqual(expect.arrayContaining(expected));
      // No file of another init system, nothing staged under /usr/local.
      expect(files.filter((f) => /launchd|LaunchDaemons|\/usr\/local\/|systemd\/system\/|init\.d/.test(f))).toEqual([
        initFile,
      ]);
      // The config files, %config(noreplace): the daemon's, and SysV's settings file.
      const configs = [`/etc/${c.name}.conf`, ...(c.init === 'sysv' ? [`/etc/default/${c.name}`] : [])];
      expect(q('-c').trim().split('\n').sort()).toEqual(configs.sort());
      // The packaged init file starts /usr/sbin/NAME (install.mk rewrote /usr/local/sbin).
      rmSync(`${pkg}.tgz`, { force: true });
      must('rpm2archive', [pkg]);
      const initText = must('tar', ['-xzOf', `${pkg}.tgz`, `.${initFile}`]);
      expect(initText).toContain(c.init === 'systemd' ? `ExecStart=/usr/sbin/${c.name} ` : `'/usr/sbin/${c.name}'`);

      const scripts = q('--scripts');
      if (c.init === 'systemd') {
        for (const m of SCRIPTLET_MACROS) expect(scripts).toContain(`echo STAND-IN ${m} ${c.name}.service`);
        // Where the macros are not defined (here, without the stand-ins) each expands to nothing, and the spec still parses.
        expect(must('rpmspec', ['-P', join(p.dir, `${c.name}.spec`)])).toMatch(/^%post\n+%preun\n+%postun\n+%files$/m);
      } else {
        expect(scripts).toMatch(
          /if \[ "\$1" -eq 1 \] && \[ -x \/sbin\/chkconfig \]; then\n\s+\/sbin\/chkconfig --add rpms\n/,
        );
        expect(scripts).toContain('/sbin/chkconfig --del rpms');
        expect(scripts).toContain(`${initddir}/rpms try-restart`);
      }
      if (c.user) {
        expect(scripts).toMatch(/^preinstall scriptlet/m);
        expect(scripts).toContain(`getent passwd ${c.user} >/dev/null || useradd -r -g ${c.user} `);
      } else expect(scripts).not.toMatch(/^preinstall/m);
      if (c.ts) expect(q('-R')).toMatch(/^nodejs >= 1:20$/m);

      const lint = sh('rpmlint', [join(p.dir, `${c.name}.spec`), pkg]);
      expect(lint.stdout).toMatch(/1 packages and 1 specfiles checked/);
      const codes = [...lint.stdout.matchAll(/^\S+: [EW]: (\S+)/gm)].map((m) => m[1]!);
      const unexplained = codes.filter((code) => !(code in RPMLINT_EXPECTED));
      expect(unexplained, lint.stdout).toEqual([]);
    });
  }
});

describe('make rpm and the spec refuse a version that is not the Makefile’s', () => {
  itWith(
    ['make', 'tar', 'gzip', 'rpmbuild'],
    undefined,
    true,
  )('VERSION, Version: and the changelog', async (ctx) => {
    const p = project(ctx, 'rpmv', ['--init', 'sysv']);
    const makefile = join(p.dir, 'Makefile');
    const spec = join(p.dir, 'rpmv.spec');
    const original = readFileSync(makefile, 'utf8');
    writeFileSync(makefile, original.replace(/^VERSION =\t.*$/m, 'VERSION =\t0.2.0'));
    let r = await runAsync(['make', 'rpm', `RPMBUILD_FLAGS=${NODEPS}`], { cwd: p.dir });
    expect(r.status).not.toBe(0);
    expect(r.out).toContain(
      "make: rpmv.spec says Version: 0.1.0, and 0.1.0 in its newest changelog entry, but the Makefile's VERSION is 0.2.0: make them equal",
    );
    expect(existsSync(join(p.dir, 'rpmbuild'))).toBe(false);

    // The spec's own check, for rpmbuild run by hand on a tarball of another version.
    must('make', ['-s', 'dist', 'DIST=rpmv-0.1.0'], { cwd: p.dir });
    const topdir = join(p.dir, 'rpmbuild');
    r = await runAsync(
      ['rpmbuild', '-bb', NODEPS, '--define', `_topdir ${topdir}`, '--define', `_sourcedir ${p.dir}`, spec],
      { cwd: p.dir },
    );
    expect(r.status).not.toBe(0);
    expect(r.out).toContain("rpmv.spec: Version: is 0.1.0, but the Makefile's VERSION is 0.2.0: make them equal");

    // A new Version: without its changelog entry.
    writeFileSync(spec, readFileSync(spec, 'utf8').replace(/^Version:( +)0\.1\.0$/m, 'Version:$10.2.0'));
    r = await runAsync(['make', 'rpm'], { cwd: p.dir });
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('rpmv.spec says Version: 0.2.0, and 0.1.0 in its newest changelog entry');
  });
});

describe('make dist', () => {
  itWith(['make', 'tar', 'gzip'])('leaves out build outputs, and the same tree gives the same bytes', (ctx) => {
    const p = project(ctx, 'rpmz', ['--lang', 'typescript']);
    // What a build, make check and make rpm leave (without spending the time to build).
    for (const d of ['dist', 'rpmbuild/RPMS', 'node_modules/x', '.git']) mkdirSync(join(p.dir, d), { recursive: true });
    for (const f of ['rpmz', 'helper/log.o', 'helper/have.h', 'tests/probe', 'native/paths.h', 'dist/main.js'])
      writeFileSync(join(p.dir, f), 'x');
    writeFileSync(join(p.dir, 'rpmz-0.0.1.tar.gz'), 'x');
    const tarball = join(p.dir, 'rpmz-0.1.0.tar.gz');
    must('make', ['-s', 'dist'], { cwd: p.dir });
    const first = readFileSync(tarball);
    const names = must('tar', ['-tzf', tarball]).trim().split('\n');
    expect(names.every((n) => n.startsWith('rpmz-0.1.0/'))).toBe(true);
    expect(names).toEqual(
      expect.arrayContaining(['rpmz-0.1.0/Makefile', 'rpmz-0.1.0/rpmz.spec', 'rpmz-0.1.0/src/main.ts']),
    );
    const leaked = names.filter((n) =>
      /^rpmz-0\.1\.0\/(rpmz|.*\.o|helper\/have\.h|tests\/probe|native\/paths\.h|dist\/.*|rpmbuild\/.*|node_modules\/.*|\.git\/|rpmz-.*\.tar\.gz)$/.test(
        n,
      ),
    );
    expect(leaked).toEqual([]);
    // Another mtime and another umask's modes change nothing.
    chmodSync(join(p.dir, 'README.md'), 0o664);
    writeFileSync(join(p.dir, 'Makefile'), readFileSync(join(p.dir, 'Makefile')));
    must('make', ['-s', 'dist'], { cwd: p.dir });
    expect(readFileSync(tarball).equals(first)).toBe(true);
  });

  itWith(['make'])('a --scope user project has no spec, and make rpm says why', (ctx) => {
    const p = project(ctx, 'rpmus', ['--scope', 'user']);
    expect(existsSync(join(p.dir, 'rpmus.spec'))).toBe(false);
    const r = sh('make', ['rpm'], { cwd: p.dir });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('make: there is no rpmus.spec: create-daemon writes one for a system service');
  });
});

describe('the spec escapes the description', () => {
  itWith(['rpmspec'])('macros, a leading % or # and quotes come back as typed', (ctx) => {
    const text = `%files %{name} %(touch PWNED) %% "q" 's' $HOME \`id\` back\\slash <x> and a long tail of words to wrap over the line #x`;
    const p = project(ctx, 'rpmx', ['--description', text]);
    const out = must('rpmspec', ['-q', '--qf', '%{summary}\n--\n%{description}', join(p.dir, 'rpmx.spec')], {
      cwd: p.dir,
    });
    const [summary, description] = out.split('\n--\n') as [string, string];
    expect(summary).toBe(text);
    // A first word starting with % or # would start a section or a comment: it follows the name.
    expect(description.replace(/\n/g, ' ')).toBe(`rpmx: ${text}`);
    expect(existsSync(join(p.dir, 'PWNED'))).toBe(false);
  });
});
