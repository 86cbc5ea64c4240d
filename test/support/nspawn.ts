// A real systemd as PID 1, for the tests that drive the generated units with systemctl
// (../shared/TOOLS.md, "A real systemd as PID 1"): systemd-nspawn boots the host's own systemd on a
// throw-away overlay of /, in a mount namespace and a cgroup of its own, with no network. Projects
// are installed into the overlay with their own `make install DESTDIR=...`; commands run inside
// through nsenter. poweroff() (also called when the test file ends, failed or not) stops the
// container, kills whatever is left in its cgroups and removes them; the mounts live and die with
// the private mount namespace.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './cli.js';
import { isRoot } from './tools.js';

export const NSPAWN_TOOLS = ['systemd-nspawn', 'unshare', 'nsenter', 'make', 'cc'] as const;

const HIERARCHIES = ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified'];

/** Why a container cannot be booted here (beyond the tools), or undefined when it can. */
export function nspawnReason(): string | undefined {
  if (!isRoot) return 'systemd-nspawn needs root';
  const missing = HIERARCHIES.filter((h) => !existsSync(h));
  // The recipe is for the hybrid layout these machines have (TOOLS.md).
  if (missing.length > 0) return `no ${missing.join(' or ')} (the hybrid cgroup layout TOOLS.md describes)`;
  return undefined;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunOptions {
  readonly input?: string;
  readonly timeout?: number;
  /** Run as this account inside, through runuser (its login environment is not read). */
  readonly user?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export class Container {
  private closed = false;

  private constructor(
    /** The systemd-nspawn process: its mount namespace holds the overlay at `root`. */
    private readonly nspawn: ChildProcess,
    /** The container's PID 1, as the host sees it. */
    readonly leader: number,
    readonly name: string,
    readonly work: string,
  ) {}

  /** The overlay the container runs on, as seen from nspawn's mount namespace. */
  get root(): string {
    return join(this.work, 'root');
  }

  /** What nspawn and the container's console printed, for failure messages. */
  console(): string {
    try {
      return readFileSync(join(this.work, 'console'), 'utf8');
    } catch {
      return '';
    }
  }

  /**
   * Boots a container. One failed boot is retried with a fresh one: on a loaded machine a CI run once
   * saw a container whose systemctl answered "offline" (its view of /proc/1/root, just after nsenter)
   * and never recovered; a second boot is cheaper than a failed run.
   */
  static async boot(): Promise<Container> {
    try {
      return await Container.bootOnce();
    } catch (e) {
      process.stderr.write(`nspawn: first boot failed, booting another container: ${(e as Error).message}\n`);
      return await Container.bootOnce();
    }
  }

  private static async bootOnce(): Promise<Container> {
    const work = tempDir('cd-nspawn-');
    const name = `cdt${process.pid}x${Date.now() % 100000}`;
    for (const h of HIERARCHIES) mkdirSync(join(h, name));
    // The hybrid layout: nspawn gets a cgroup of its own in both trees; a tmpfs on /run/systemd
    // keeps its state off the host's; the overlay's upper layer is a tmpfs, gone with the namespace.
    const script = `set -e
W=${q(work)} M=${q(name)}
for h in ${HIERARCHIES.join(' ')}; do echo $$ > "$h/$M/cgroup.procs"; done
mount -t tmpfs tmpfs /run/systemd
mkdir -p "$W/ovl" "$W/root"
mount -t tmpfs tmpfs "$W/ovl"
mkdir "$W/ovl/up" "$W/ovl/wk"
mount -t overlay overlay -o lowerdir=/,upperdir="$W/ovl/up",workdir="$W/ovl/wk" "$W/root"
exec systemd-nspawn --quiet --boot -D "$W/root" --machine="$M" --register=no --keep-unit \\
  --private-network --console=pipe
`;
    const out = openSync(join(work, 'console'), 'a');
    const nspawn = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
      stdio: ['ignore', out, out],
    });
    closeSync(out);
    const pid = nspawn.pid!;
    let leader: number | undefined;
    const end = Date.now() + 30_000;
    while (leader === undefined) {
      if (nspawn.exitCode !== null || Date.now() > end) {
        const c = new Container(nspawn, 0, name, work);
        await c.poweroff();
        throw new Error(`systemd-nspawn did not start a systemd:\n${c.console()}`);
      }
      leader = childNamed(pid, 'systemd');
      if (leader === undefined) await sleep(50);
    }
    const c = new Container(nspawn, leader, name, work);
    // degraded is fine: some of the host's own units do not start in a container.
    // Until the manager has its private socket, systemctl cannot connect: ask again.
    let state = c.run(['systemctl', 'is-system-running', '--wait'], { timeout: 60_000 });
    // "offline" is what systemctl says when it believes it runs in a chroot (it compares /proc/1/root
    // with /): seen once, just after the manager started; asked again a little later, it answers.
    for (let i = 0; i < 300 && (/Failed to connect/.test(state.stderr) || /^offline$/m.test(state.stdout)); i++) {
      await sleep(50);
      state = c.run(['systemctl', 'is-system-running', '--wait'], { timeout: 60_000 });
    }
    if (!/^(running|degraded)$/m.test(state.stdout)) {
      await c.poweroff();
      throw new Error(`the container's systemd is ${state.stdout.trim()}:\n${state.stderr}\n${c.console()}`);
    }
    return c;
  }

  /** Runs argv inside the container (every namespace of its PID 1). */
  run(argv: readonly string[], o: RunOptions = {}): SpawnSyncReturns<string> {
    const env = Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const inner = o.user
      ? ['runuser', '-u', o.user, '--', 'env', ...env, ...argv]
      : env.length > 0
        ? ['env', ...env, ...argv]
        : [...argv];
    return spawnSync('nsenter', ['-t', String(this.leader), '-a', ...inner], {
      encoding: 'utf8',
      input: o.input,
      timeout: o.timeout ?? 60_000,
      stdio: [o.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
  }

  /** run(), throwing with the output unless it exits 0; returns stdout. */
  must(argv: readonly string[], o: RunOptions = {}): string {
    const r = this.run(argv, o);
    if (r.status !== 0)
      throw new Error(`in the container, ${argv.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** A shell command line inside; throws unless it exits 0. */
  sh(script: string, o: RunOptions = {}): string {
    return this.must(['sh', '-ec', script], o);
  }

  /** `make install DESTDIR=<the overlay> ...vars` of a project on the host, run in nspawn's namespace. */
  install(dir: string, vars: readonly string[]): string {
    const r = spawnSync(
      'nsenter',
      ['-t', String(this.nspawn.pid), '-m', 'make', '-s', '-C', dir, 'install', `DESTDIR=${this.root}`, ...vars],
      { encoding: 'utf8', timeout: 170_000, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (r.status !== 0) throw new Error(`make install ${vars.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
    return r.stdout;
  }

  /** A file inside the container, read through nspawn's namespace (undefined when absent). */
  readFile(path: string): string | undefined {
    const r = this.run(['cat', path]);
    return r.status === 0 ? r.stdout : undefined;
  }

  /** Stops the container (cleanly if it answers) and removes everything it made on the host. */
  async poweroff(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.nspawn.exitCode === null && this.leader > 0) {
      this.run(['systemctl', 'poweroff', '--no-block'], { timeout: 10_000 });
      for (let i = 0; i < 200 && this.nspawn.exitCode === null; i++) await sleep(50);
    }
    if (this.nspawn.exitCode === null) {
      this.nspawn.kill('SIGKILL');
      for (let i = 0; i < 100 && this.nspawn.exitCode === null; i++) await sleep(50);
    }
    removeCgroups(this.name);
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** The child of pid whose command is comm, if any. */
function childNamed(pid: number, comm: string): number | undefined {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (Number(after[1]) === pid && name === comm) return Number(e);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** Kills what is left in the container's cgroups and removes them, children first. */
function removeCgroups(name: string): void {
  for (const h of HIERARCHIES) {
    const top = join(h, name);
    if (!existsSync(top)) continue;
    const dirs: string[] = [];
    const walk = (d: string) => {
      dirs.push(d);
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    };
    walk(top);
    for (let attempt = 0; attempt < 50; attempt++) {
      for (const d of dirs)
        for (const p of readFileSync(join(d, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean))
          try {
            process.kill(Number(p), 'SIGKILL');
          } catch {
            // gone
          }
      let left = 0;
      for (const d of [...dirs].reverse())
        try {
          rmdirSync(d);
        } catch {
          left++;
        }
      if (left === 0) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      dirs.splice(0, dirs.length);
      if (existsSync(top)) walk(top);
      else break;
    }
  }
}
