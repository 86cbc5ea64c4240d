// --fleet oci: `make image` builds the Containerfile with podman and no registry, FROM scratch
// around `make static`'s musl binary; the image then runs under podman --network=none (a private
// podman: test/support/podman.ts): ready through --sdnotify=container, as uid 65532, the echo
// payload answering through a bind-mounted socket directory, SIGHUP re-reading a bind-mounted
// config, its own query mode as the HEALTHCHECK, and `podman stop` a clean exit within the grace
// period. And NAME_LOG, the variable the image sets: stderr alone with sd-daemon(3) prefixes.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect } from 'vitest';
import { FLEET_GRACE_SEC, FLEET_UID } from '../../generators/core/fleet.js';
import { tempDir } from '../support/cli.js';
import { generate, must, noDaemonReason, sh, waitFor, type Project } from '../support/init-project.js';
import { privatePodman, removePodmanTest, type Podman } from '../support/podman.js';
import { describeWith, itWith } from '../support/tools.js';

const NAME = 'ocid';
const IMAGE = `localhost/${NAME}:0.1.0`;
const BIN = `/usr/local/sbin/${NAME}`;
const RECV_SRC = fileURLToPath(new URL('../init/fixtures/notify-recv.c', import.meta.url));

/** The daemon's lines in a container's output: podman's own complaints (no systemd for health timers) left out. */
const daemonLines = (out: string): string[] =>
  out.split('\n').filter((l) => l !== '' && !/^time="[^"]*" level=/.test(l));

/** One line to the echo socket, and what comes back. */
function echo(path: string, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = createConnection(path);
    let got = '';
    const timer = setTimeout(
      () => (c.destroy(), reject(new Error(`no echo from ${path}: got ${JSON.stringify(got)}`))),
      5000,
    );
    c.on('connect', () => c.write(line));
    c.on('data', (d) => {
      got += d.toString();
      if (got.includes('\n')) {
        clearTimeout(timer);
        c.end();
        resolve(got);
      }
    });
    c.on('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

/** The uids of a process (real, effective, saved, fs) from /proc. */
const uids = (pid: number): string => /^Uid:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!.trim();

describeWith(['podman', 'runc', 'musl-gcc', 'make', 'gcc', 'tar'], noDaemonReason)(
  '--fleet oci: the image under podman',
  () => {
    let T: string;
    let p: Project;
    let pm: Podman;

    beforeAll(() => {
      T = tempDir('cd-oci-');
      pm = privatePodman('cd-oci-podman-');
      p = generate(NAME, ['--fleet', 'oci', '--payload', 'echo', '--user', 'nobody', '--init', 'systemd'], T);
      must('make', ['-s', 'image'], { cwd: p.dir, env: pm.env, timeout: 170_000 });
    }, 180_000);

    afterAll(() => removePodmanTest(pm, T));

    itWith([])('FROM scratch: the static binary, its config, passwd, /tmp and the pid directory, nothing else', () => {
      const [img] = JSON.parse(pm.must(['image', 'inspect', IMAGE])) as {
        Size: number;
        RootFS: { Layers: string[] };
        Config: {
          User: string;
          Entrypoint: string[];
          StopSignal: string;
          Env: string[];
        };
        Healthcheck: { Test: string[] };
      }[];
      const c = img!.Config;
      expect(c.User).toBe(`${FLEET_UID}:${FLEET_UID}`);
      expect(c.Entrypoint).toEqual([BIN, '-f']);
      expect(c.StopSignal).toBe('SIGTERM');
      expect(c.Env).toContain('OCID_LOG=stderr');
      // Exec form: no shell in the image to run a CMD-SHELL.
      expect(img!.Healthcheck.Test).toEqual(['CMD', BIN, '-s']);
      // Two COPY layers on nothing.
      expect(img!.RootFS.Layers).toHaveLength(2);
      console.log(`${IMAGE}: ${img!.Size} bytes (${(img!.Size / 1024).toFixed(0)} KiB)`);
      expect(img!.Size).toBeLessThan(2 * 1024 * 1024);

      // Every file in the image, with its mode and owner (podman export of a container never started).
      pm.must(['create', '--name', 'listing', IMAGE]);
      const tar = join(T, 'image.tar');
      pm.must(['export', '-o', tar, 'listing']);
      pm.must(['rm', 'listing']);
      const entries = must('tar', ['-tvf', tar, '--numeric-owner'])
        .trim()
        .split('\n')
        .map((l) => {
          const f = l.split(/\s+/);
          return `${f[0]} ${f[1]} ${f[5]!.replace(/^\.?\/?/, '/').replace(/\/$/, '')}`;
        })
        // podman adds the mount points it needs to any image: /dev, /proc, /sys, /run/.containerenv, /etc/hosts...
        .filter((e) => !/ \/(dev|proc|sys)$| \/run\/\.containerenv$| \/etc\/(hosts|hostname|resolv\.conf)$/.test(e));
      expect(entries.sort()).toEqual(
        [
          'drwxr-xr-x 0/0 /etc',
          '-rw-r--r-- 0/0 /etc/group',
          `-rw-r--r-- 0/0 /etc/${NAME}.conf`,
          '-rw-r--r-- 0/0 /etc/passwd',
          'drwxr-xr-x 0/0 /run',
          `drwxr-xr-x ${FLEET_UID}/${FLEET_UID} /run/${NAME}`,
          'drwxrwxrwt 0/0 /tmp',
          'drwxr-xr-x 0/0 /usr',
          'drwxr-xr-x 0/0 /usr/local',
          'drwxr-xr-x 0/0 /usr/local/sbin',
          `-rwxr-xr-x 0/0 ${BIN}`,
        ].sort(),
      );
      // ps and the privilege drop (started as root) find the account by name.
      expect(must('tar', ['-xOf', tar, 'etc/passwd'])).toContain(`nobody:x:${FLEET_UID}:${FLEET_UID}:`);
    });

    itWith([])(
      'podman run --network=none: READY=1, non-root, echo through the socket directory, HUP, health, a clean stop',
      async () => {
        const sockDir = join(T, 'sock');
        mkdirSync(sockDir);
        chownSync(sockDir, FLEET_UID, FLEET_UID);
        // The config as the Containerfile says to give one: a directory, bind-mounted, and -c.
        const confDir = join(T, 'conf');
        mkdirSync(confDir, { mode: 0o755 });
        const conf = join(confDir, `${NAME}.conf`);
        const CONF_IN = `/etc/${NAME}-config/${NAME}.conf`;
        const original = readFileSync(join(p.dir, `etc/${NAME}.conf`), 'utf8');
        writeFileSync(conf, original, { mode: 0o644 });
        // sd_notify: podman passes the container's datagrams on to its own NOTIFY_SOCKET.
        must('gcc', ['-o', join(T, 'notify-recv'), RECV_SRC]);
        const notify = join(T, 'notify.sock');
        const recv = spawn(join(T, 'notify-recv'), [notify], { stdio: ['ignore', 'pipe', 'inherit'] });
        let notes = '';
        recv.stdout!.on('data', (d: Buffer) => (notes += d.toString()));
        try {
          await waitFor('the notify receiver', () => (notes.includes('listening') ? true : undefined));
          pm.must(
            [
              'run',
              '-d',
              '--name',
              NAME,
              '--network=none',
              '--sdnotify=container',
              '-v',
              `${sockDir}:/run/${NAME}`,
              '-v',
              `${confDir}:/etc/${NAME}-config:ro`,
              IMAGE,
              '-c',
              CONF_IN,
            ],
            { env: { NOTIFY_SOCKET: notify } },
          );
          await waitFor('READY=1 through podman', () => (/^READY=1$/m.test(notes) ? true : undefined));
          const logs = () => daemonLines(pm.run(['logs', NAME]).stderr);
          await waitFor('the started line', () => (logs().some((l) => l.startsWith('<6>started')) ? true : undefined));

          // Non-root, seen from the host: the container's process 1 is the daemon, as uid 65532.
          const pid = Number(pm.must(['inspect', '--format', '{{.State.Pid}}', NAME]).trim());
          expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual([BIN, '-f', '-c', CONF_IN, '']);
          expect(uids(pid)).toBe(Array(4).fill(FLEET_UID).join('\t'));

          // The echo payload, from the host, through the bind-mounted directory.
          expect(await echo(join(sockDir, `${NAME}.sock`), 'through the bind mount\n')).toBe(
            'through the bind mount\n',
          );

          // The HEALTHCHECK, run by hand (no systemd here to schedule it): the query mode, no shell.
          const health = pm.run(['healthcheck', 'run', NAME]);
          expect(health.status, health.stdout + health.stderr).toBe(0);

          // SIGHUP re-reads the config: the reload line names the new limit. Replaced as an editor
          // saves a file (a new inode, renamed over the old), which a directory mount shows.
          expect(original).toMatch(/^max_clients = 256$/m);
          writeFileSync(`${conf}.new`, original.replace(/^max_clients = 256$/m, 'max_clients = 7'), { mode: 0o644 });
          renameSync(`${conf}.new`, conf);
          pm.must(['kill', '--signal', 'HUP', NAME]);
          await waitFor('the reload line', () =>
            logs().some((l) =>
              /^<6>configuration reloaded from \/etc\/ocid-config\/ocid\.conf: .*at most 7 clients/.test(l),
            )
              ? true
              : undefined,
          );

          // podman stop: SIGTERM, a clean exit (0, not SIGKILL's 137) well within the grace period.
          const t0 = Date.now();
          pm.must(['stop', NAME]);
          const took = Date.now() - t0;
          expect(took).toBeLessThan(FLEET_GRACE_SEC * 1000);
          expect(pm.must(['inspect', '--format', '{{.State.ExitCode}}', NAME]).trim()).toBe('0');
          // It removed its pid file and socket on the way out.
          expect(readdirSync(sockDir)).toEqual([]);

          // Every line carries its severity, and nothing was worth a warning: not even the privilege
          // drop (--user nobody), which as uid 65532 has nothing to do and says so as information.
          const all = logs();
          expect(all.length).toBeGreaterThanOrEqual(4);
          for (const l of all) expect(l).toMatch(/^<[67]>/);
          expect(all).toContain('<6>not started as root: running as uid 65532, no privileges to drop');
          expect(all.at(-1)).toBe('<6>stopped');

          // Gone, the health check fails.
          expect(pm.run(['healthcheck', 'run', NAME]).status).not.toBe(0);
          pm.must(['rm', NAME]);
        } finally {
          recv.kill('SIGTERM');
        }
      },
      60_000,
    );

    itWith([])(
      'OCID_LOG: "stderr" alone with sd-daemon(3) prefixes and no syslog socket; "syslog" and unset as before; others named',
      async () => {
        // The same static binary, on the host: the variable is the daemon's, not the image's.
        // As the image's uid, so that the privilege drop has nothing to do, as in the image.
        const bin = join(p.dir, 'build/static', NAME);
        expect(existsSync(bin)).toBe(true);
        chmodSync(T, 0o711);
        const dir = join(T, 'host');
        mkdirSync(dir);
        chownSync(dir, FLEET_UID, FLEET_UID);
        const conf = join(dir, 'c.conf');
        writeFileSync(conf, `socket = ${dir}/s.sock\n`);
        const runOnce = async (value: string | undefined): Promise<{ err: string; sockets: number }> => {
          const env: NodeJS.ProcessEnv = { ...process.env };
          delete env.OCID_LOG;
          if (value !== undefined) env.OCID_LOG = value;
          const d = spawn(bin, ['-f', '-c', conf, '-p', `${dir}/d.pid`], {
            env,
            uid: FLEET_UID,
            gid: FLEET_UID,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          d.stderr!.on('data', (b: Buffer) => (err += b.toString()));
          try {
            await waitFor('started', () => (err.includes('started') ? true : undefined));
            const sockets = readdirSync(`/proc/${d.pid}/fd`).filter((fd) => {
              const r = sh('readlink', [`/proc/${d.pid}/fd/${fd}`]);
              return r.stdout.startsWith('socket:');
            }).length;
            // 'close', not 'exit': stderr's last lines may still be in the pipe when it exits.
            const exited = new Promise<number | null>((r) => d.on('close', (c) => r(c)));
            d.kill('SIGTERM');
            expect(await exited).toBe(0);
            return { err, sockets };
          } finally {
            if (d.exitCode === null) d.kill('SIGKILL');
          }
        };
        const pre = await runOnce('stderr');
        expect(pre.err).toMatch(/^<6>started \(version 0\.1\.0\): echoing on /m);
        expect(pre.err.trim().split('\n').at(-1)).toBe('<6>stopped');
        for (const v of [undefined, 'syslog']) {
          const plain = await runOnce(v);
          expect(plain.err, `OCID_LOG=${v}`).toMatch(/^ocid: started \(version 0\.1\.0\)/m);
          expect(plain.err).not.toMatch(/^</m);
          // The syslog socket, kept open from the start: the one socket more than in stderr mode.
          expect(plain.sockets, `OCID_LOG=${v}`).toBe(pre.sockets + 1);
        }
        const odd = await runOnce('journal');
        expect(odd.err).toMatch(/^ocid: OCID_LOG=journal is not understood \("stderr" or "syslog"\)/);
      },
      30_000,
    );
  },
);
