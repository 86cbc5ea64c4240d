// A private mount namespace for running init scripts and supervisors as root without touching the
// host: a holder process keeps the namespace alive, and every command enters it with nsenter.
// Inside, /run and /var/log are fresh tmpfs mounts, /dev is private with a busybox syslogd on
// /dev/log (TOOLS.md: glibc's syslog needs /dev/log, and there is none here), and the caller's
// bind mounts put staged files where the scripts expect them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from './init-project.js';

export const NS_TOOLS = ['unshare', 'nsenter', 'busybox'] as const;

export interface NsOptions {
  /** Scratch directory outside the namespace; the syslog lands in <work>/syslog. */
  readonly work: string;
  /** [source outside, target inside] bind mounts, made after the tmpfs mounts. */
  readonly binds?: readonly (readonly [string, string])[];
  /** Extra setup, run as root inside the namespace after the mounts. */
  readonly setup?: string;
}

export class MountNs {
  private constructor(
    private readonly holder: ChildProcess,
    readonly pid: number,
    readonly work: string,
  ) {}

  get syslog(): string {
    return join(this.work, 'syslog');
  }

  static async open(o: NsOptions): Promise<MountNs> {
    mkdirSync(join(o.work, 'olddev'), { recursive: true });
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const binds = (o.binds ?? []).map(([from, to]) => `mount --bind ${q(from)} ${q(to)}`).join('\n');
    const script = `set -e
W=${q(o.work)}
mount --bind /dev "$W/olddev"
mount -t tmpfs -o mode=0755 tmpfs /dev
for n in null zero full random urandom tty; do touch /dev/$n; mount --bind "$W/olddev/$n" /dev/$n; done
mkdir -p /dev/pts /dev/shm
mount --bind "$W/olddev/pts" /dev/pts
mount --bind "$W/olddev/shm" /dev/shm
ln -s /proc/self/fd /dev/fd
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=0755 tmpfs /var/log
${binds}
${o.setup ?? ''}
busybox syslogd -n -O "$W/syslog" </dev/null >/dev/null 2>&1 &
echo $! >"$W/syslogd.pid"
while [ ! -S /dev/log ]; do sleep 0.05; done
echo ready
exec sleep 3600
`;
    const holder = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    holder.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      holder.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) resolve();
      });
      holder.on('exit', (code) => reject(new Error(`namespace setup exited ${code}: ${err}`)));
    });
    return new MountNs(holder, holder.pid!, o.work);
  }

  /** Runs argv inside the namespace (as root, with a clean init-like environment). */
  run(argv: readonly string[], env: NodeJS.ProcessEnv = {}, timeout = 60_000) {
    const r = sh(
      'nsenter',
      [
        '-t',
        String(this.pid),
        '-m',
        '--',
        'env',
        '-i',
        'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
        ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        ...argv,
      ],
      { timeout },
    );
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
  }

  /** Runs a sh -c script inside the namespace. */
  sh(script: string, env: NodeJS.ProcessEnv = {}, timeout?: number) {
    return this.run(['sh', '-c', script], env, timeout);
  }

  /** Kills the holder; the caller stops anything it started inside first. */
  close(): void {
    try {
      process.kill(Number(readFileSync(join(this.work, 'syslogd.pid'), 'utf8')), 'SIGTERM');
    } catch {
      // already gone
    }
    this.holder.kill('SIGKILL');
  }
}
