// Real syslog traffic, captured: a private mount namespace with a tmpfs /dev (null, zero, urandom,
// tty, pts and shm bound back) and s6-socklog on /dev/log, as ../shared/TOOLS.md describes. The
// detached daemon's lines must carry the chosen facility: local3.info is <158>, local3.warning <156>.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { cellFlags, generateProject, make, run, WERROR } from '../support/project.js';
import { daemonMatrix } from '../support/matrix.js';
import { describeWith, isRoot } from '../support/tools.js';

const SCRIPT = `set -eu
W=$1 P=$2
mount --bind /dev "$W/olddev"
mount -t tmpfs -o mode=0755 tmpfs /dev
for n in null zero urandom tty; do touch /dev/$n; mount --bind "$W/olddev/$n" /dev/$n; done
mkdir -p /dev/pts /dev/shm
mount --bind "$W/olddev/pts" /dev/pts
mount --bind "$W/olddev/shm" /dev/shm
s6-socklog -r >"$W/syslog.out" 2>"$W/socklog.err" &
sl=$!
waitfor() {
	n=0
	while ! grep -q "$1" "$W/syslog.out"; do
		n=$((n + 1))
		if [ "$n" -gt 300 ]; then echo "timed out waiting for: $1" >&2; kill "$sl"; exit 1; fi
		sleep 0.02
	done
}
n=0
while [ ! -S /dev/log ]; do n=$((n + 1)); [ "$n" -lt 300 ] || exit 1; sleep 0.02; done
"$P/myd" -c "$W/test.conf" -p "$W/test.pid"
pid=$(cat "$W/test.pid")
echo "$pid" >"$W/daemon.pid"
waitfor "myd\\[$pid\\]: started"
if grep -q '^interval' "$W/test.conf"; then waitfor "myd\\[$pid\\]: syslog tick"; fi
cp "$W/broken.conf" "$W/test.conf"
kill -HUP "$pid"
waitfor "myd\\[$pid\\]: reload failed"
kill -TERM "$pid"
waitfor "myd\\[$pid\\]: stopped"
kill "$sl"
`;

const noRoot = () => (isRoot ? undefined : 'needs root for unshare --mount');

describeWith(['make', 'gcc', 'unshare', 's6-socklog'], noRoot)('syslog capture (--facility local3)', () => {
  // One cell per reload model, each with the other payload, both dropping privileges.
  const wanted = ['reload=single payload=tick user=nobody', 'reload=multi payload=echo user=nobody'];
  for (const cell of daemonMatrix().filter((c) => wanted.includes(c.title))) {
    it(`the detached daemon logs with <158> and <156>: ${cell.title}`, () => {
      const dir = generateProject([...cellFlags(cell), '--facility', 'local3']);
      make(dir, [WERROR]);
      const work = join(dir, 'ns');
      mkdirSync(join(work, 'olddev'), { recursive: true });
      const tick = cell.given.payload === 'tick';
      writeFileSync(
        join(work, 'test.conf'),
        tick ? 'interval = 1\nmessage = syslog tick\n' : `socket = ${work}/s.sock\n`,
      );
      writeFileSync(join(work, 'broken.conf'), 'no equals sign here\n');
      run(['chown', '-R', 'nobody', work]);
      const r = run(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', SCRIPT, 'sh', work, dir], {
        timeout: 60_000,
      });
      const log = readFileSync(join(work, 'syslog.out'), 'utf8');
      expect(r.status, `${r.out}\n${log}`).toBe(0);
      const pid = readFileSync(join(work, 'daemon.pid'), 'utf8').trim();
      const ours = log.split('\n').filter((l) => l.includes(`myd[${pid}]:`));
      expect(
        ours.find((l) => l.includes(': started')),
        log,
      ).toMatch(/^<158>/);
      if (tick)
        expect(
          ours.find((l) => l.includes(': syslog tick')),
          log,
        ).toMatch(/^<158>/);
      expect(
        ours.find((l) => l.includes(': reload failed: ')),
        log,
      ).toMatch(new RegExp(`^<156>.*reload failed: ${work}/test.conf:1: .*; keeping the previous configuration`));
      expect(
        ours.find((l) => l.includes(': stopped')),
        log,
      ).toMatch(/^<158>/);
      // Every line of the daemon's carries facility local3 (19).
      for (const l of ours) expect(Number(/^<(\d+)>/.exec(l)?.[1]) >> 3, l).toBe(19);
    });
  }
});
