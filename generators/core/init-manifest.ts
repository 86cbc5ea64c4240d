// The init-system files: the group that `create-daemon units` re-renders. One entry per emitted
// file; `when` picks the init systems chosen in --init. Executable scripts are 0o755.
import type { Answers } from './conventions.js';
import { FLEET_FILES } from './fleet-manifest.js';
import type { FileEntry } from './manifest-types.js';

type InitSystem = 'systemd' | 'sysv' | 'launchd' | 'openrc' | 'runit' | 'rcd';

const chosen =
  (system: InitSystem) =>
  (answers: Answers): boolean =>
    answers.init.includes(system);

const rpmPackage = (answers: Answers): boolean =>
  answers.scope === 'system' && (answers.init.includes('systemd') || answers.init.includes('sysv'));

/** A Debian package with the SysV script, which lintian holds to Debian's own script conventions. */
const sysvPackage = (answers: Answers): boolean => answers.scope === 'system' && answers.init.includes('sysv');

export const INIT_FILES: readonly FileEntry[] = [
  { template: 'init/systemd/service', destination: 'init/systemd/{name}.service', when: chosen('systemd') },
  { template: 'init/sysv/init.d', destination: 'init/sysv/{name}', when: chosen('sysv'), mode: 0o755 },
  { template: 'init/sysv/default', destination: 'init/sysv/{name}.default', when: chosen('sysv') },
  { template: 'init/launchd/plist', destination: 'init/launchd/{label}.plist', when: chosen('launchd') },
  { template: 'init/openrc/init.d', destination: 'init/openrc/{name}', when: chosen('openrc'), mode: 0o755 },
  { template: 'init/runit/run', destination: 'init/runit/{name}/run', when: chosen('runit'), mode: 0o755 },
  { template: 'init/runit/log-run', destination: 'init/runit/{name}/log/run', when: chosen('runit'), mode: 0o755 },
  { template: 'init/rcd/rc.d', destination: 'init/rcd/{name}', when: chosen('rcd'), mode: 0o755 },
  // The RPM package: its scriptlets and files follow the init systems. A system package only, for
  // systemd or SysV (what RPM distributions run); a --scope user service has none.
  { template: 'rpm/spec', destination: '{name}.spec', when: rpmPackage },
  // The Debian package's build (debian/rules: which init files it installs, dh_installinit), and
  // lintian's overrides for the SysV script (each with its reason); the rest of debian/ is in manifest.ts.
  { template: 'debian/rules', destination: 'debian/rules', when: (a) => a.scope === 'system', mode: 0o755 },
  { template: 'debian/lintian-overrides', destination: 'debian/lintian-overrides', when: sysvPackage },
  // The fleet files (--fleet): the images, the manifests and the job, which follow the answers.
  ...FLEET_FILES,
  { template: 'init/install.mk', destination: 'init/install.mk' },
  { template: 'init/README.md', destination: 'init/README.md' },
];
