// Logging never stops the daemon: a /dev/log receiver that stops reading, one that is missing or
// restarts, and a daemon out of descriptors. Each scenario runs in a private mount namespace with a
// tmpfs /dev, as ../shared/TOOLS.md describes, and a small Python receiver on /dev/log that can
// fill its own queue (clients of its own send until a fresh one is refused) and read only once
// W/drain exists. glibc's syslog(3) would block in send() on the full queue.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { generateProject, make, run, WERROR } from '../support/project.js';
import { describeWith, isRoot } from '../support/tools.js';

const RECEIVER = `import os, socket, sys, time
path, out, mode = sys.argv[1:4]
w = os.path.dirname(out)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
if mode == 'stall':
    clients = []
    while len(clients) < 200:
        c = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        c.connect(path)
        c.setblocking(False)
        clients.append(c)
        try:
            c.send(b'<0>filler')
        except BlockingIOError:
            break
        try:
            while True:
                c.send(b'<0>filler')
        except BlockingIOError:
            pass
    open(os.path.join(w, 'full'), 'w').close()
    while not os.path.exists(os.path.join(w, 'drain')):
        time.sleep(0.02)
with open(out, 'ab', buffering=0) as f:
    while True:
        d = s.recv(65536)
        if not d.startswith(b'<0>filler'):
            f.write(d + b'\\n')
`;

const HOLDER = `import socket, sys, time
cs = []
for i in range(int(sys.argv[2])):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect(sys.argv[1])
    cs.append(c)
time.sleep(60)
`;

// The private /dev, helpers, and a daemon started detached (its exit status and time in W/start).
const PRELUDE = `set -eu
W=$1 P=$2
mount --bind /dev "$W/olddev"
mount -t tmpfs -o mode=0755 tmpfs /dev
for n in null zero urandom tty; do touch /dev/$n; mount --bind "$W/olddev/$n" /dev/$n; done
mkdir -p /dev/pts /dev/shm
mount --bind "$W/olddev/pts" /dev/pts
mount --bind "$W/olddev/shm" /dev/shm
fail() { echo "$*" >&2; kill $(cat "$W"/*.kids 2>/dev/null) 2>/dev/null || true; exit 1; }
waitfile() { "$P/tests/probe" wait-text "$1" "$2" "\${3:-6000}" || fail "timed out waiting for $2 in $1"; }
waitfor() { n=0; while ! [ "$1" "$2" ]; do n=$((n + 1)); [ "$n" -lt 300 ] || fail "no $2"; sleep 0.02; done; }
receiver() {
	rm -f /dev/log
	python3 "$W/recv.py" /dev/log "$W/syslog.out" "$1" & echo $! >"$W/recv.kids"
	waitfor -S /dev/log
	[ "$1" != stall ] || waitfor -e "$W/full"
}
ms() { date +%s%3N; }
start() {
	t0=$(ms); rc=0
	timeout 10 "$P/myd" -c "$W/test.conf" -p "$W/test.pid" 2>"$W/start.err" || rc=$?
	echo "$rc $(($(ms) - t0))" >"$W/start"
	[ "$rc" = 0 ] || fail "start exited $rc"
	pid=$(cat "$W/test.pid"); echo "$pid" >"$W/daemon.pid"
}
stop() {
	kill -TERM "$pid"
	"$P/tests/probe" wait-dead "$pid" 2000 || { kill -KILL "$pid"; fail "SIGTERM did not stop $pid in 2 s"; }
	[ ! -e "$W/test.pid" ] || fail "the pid file is still there"
}
usr1() { i=0; while [ "$i" -lt "$1" ]; do kill -USR1 "$pid"; i=$((i + 1)); sleep 0.01; done; }
echoes() { timeout 5 "$P/tests/probe" echo "$W/s.sock" "$1" >/dev/null || fail "the echo socket does not answer"; }
`;

const SCENARIOS = {
  // Full before the daemon starts, never read: start, serving and SIGTERM must not wait on it.
  stall: `receiver stall; start; usr1 100; echoes "still here"; usr1 20; echoes "again"; stop`,
  // The same, then the receiver reads again: the next line is preceded by the count of dropped ones.
  drain: `receiver stall; start; usr1 20; touch "$W/drain"; sleep 0.2
n=0; until grep -q 'dropped' "$W/syslog.out" 2>/dev/null; do
	n=$((n + 1)); [ "$n" -lt 60 ] || fail "no report of dropped lines"; kill -USR1 "$pid"; sleep 0.1
done
stop; waitfile "$W/syslog.out" "]: stopped"`,
  // A reading receiver: the format; then it restarts (a new socket on /dev/log) and lines still come.
  format: `receiver read; start; waitfile "$W/syslog.out" "]: started"
kill "$(cat "$W/recv.kids")"; receiver read
kill -USR1 "$pid"; waitfile "$W/syslog.out" "ignoring"; stop; waitfile "$W/syslog.out" "]: stopped"`,
  // No /dev/log at all: the daemon starts and serves; once a receiver appears, lines reach it.
  missing: `start; echoes "no syslog"; receiver read
kill -USR1 "$pid"; waitfile "$W/syslog.out" "ignoring"; stop; waitfile "$W/syslog.out" "]: stopped"`,
  // Started before syslogd (boot order), then out of descriptors: the accept warning still reaches
  // the syslogd that came up (syslog(3) drops its socket when connect fails, and would need a new
  // one then: EMFILE; ours keeps its own and only connects it).
  fds: `start; top=$(ls /proc/$pid/fd | sort -n | tail -n 1)
prlimit --pid "$pid" --nofile=$((top + 2)):$((top + 2))
receiver read
python3 "$W/hold.py" "$W/s.sock" 4 & echo $! >"$W/hold.kids"
waitfile "$W/syslog.out" "cannot accept"; kill "$(cat "$W/hold.kids")"; stop`,
} as const;

type Scenario = keyof typeof SCENARIOS;

/** Runs one scenario for a fresh echo project; returns the daemon's pid, its start and its syslog. */
function scenario(reload: string, name: Scenario) {
  const dir = generateProject(['--payload', 'echo', '--reload', reload, '--facility', 'local3']);
  make(dir, [WERROR, 'myd', 'tests/probe']);
  const work = join(dir, 'ns');
  mkdirSync(join(work, 'olddev'), { recursive: true });
  writeFileSync(join(work, 'test.conf'), `socket = ${work}/s.sock\n`);
  writeFileSync(join(work, 'recv.py'), RECEIVER);
  writeFileSync(join(work, 'hold.py'), HOLDER);
  writeFileSync(join(work, 'syslog.out'), '');
  const script = `${PRELUDE}${SCENARIOS[name]}\nkill $(cat "$W"/*.kids) 2>/dev/null || true\n`;
  const r = run(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', work, dir], {
    timeout: 90_000,
  });
  const log = readFileSync(join(work, 'syslog.out'), 'utf8');
  expect(r.status, `${r.out}\n${log}`).toBe(0);
  const [rc, msec] = readFileSync(join(work, 'start'), 'utf8').trim().split(' ').map(Number);
  const pid = readFileSync(join(work, 'daemon.pid'), 'utf8').trim();
  const ours = log.split('\n').filter((l) => l.includes(`myd[${pid}]: `));
  const startErr = readFileSync(join(work, 'start.err'), 'utf8');
  return { rc, msec: msec!, pid, ours, log, startErr };
}

const noRoot = () => (isRoot ? undefined : 'needs root for unshare --mount');
const TOOLS = ['make', 'cc', 'unshare', 'python3', 'prlimit', 'timeout'];

for (const reload of ['single', 'multi']) {
  describeWith(TOOLS, noRoot)(`syslog never blocks the daemon (--reload ${reload}, echo)`, () => {
    it(`a full /dev/log queue: start returns 0 at once, the socket echoes, SIGTERM stops it in 2 s`, () => {
      const s = scenario(reload, 'stall');
      expect(s.rc).toBe(0);
      expect(s.msec, 'the detached start returns within 3 s').toBeLessThan(3000);
      expect(s.ours, 'nothing got through the full queue').toEqual([]);
    });

    it('when the receiver reads again, the next line says how many were dropped', () => {
      const s = scenario(reload, 'drain');
      const at = s.ours.findIndex((l) => / log messages? (was|were) dropped /.test(l));
      expect(at, s.log).toBeGreaterThanOrEqual(0);
      // local3.warning; "started" and at least the 20 "ignoring SIGUSR1" lines were dropped.
      const m = /^<156>.* myd\[\d+\]: (\d+) log messages were dropped while the syslog socket/.exec(s.ours[at]!);
      expect(m, s.ours[at]).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(2);
      expect(
        s.ours.some((l) => l.includes(': started')),
        'started was dropped',
      ).toBe(false);
      expect(s.ours[at + 1], 'the line that got through follows its report').toMatch(/^<158>.*: ignoring SIGUSR1/);
      expect(s.ours.at(-1)).toMatch(/^<158>.*: stopped$/);
    });

    it('the datagram format is "<PRI>Mmm dd hh:mm:ss myd[PID]: text", through a syslogd restart', () => {
      const s = scenario(reload, 'format');
      // A receiver listens: the start says nothing.
      expect(s.startErr).toBe('');
      const stamp = '[A-Z][a-z]{2} [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9]';
      expect(s.ours[0], s.log).toMatch(new RegExp(`^<158>${stamp} myd\\[${s.pid}\\]: started \\(version `));
      expect(
        s.ours.find((l) => l.includes('ignoring SIGUSR1')),
        s.log,
      ).toMatch(new RegExp(`^<158>${stamp} myd\\[`));
      expect(s.ours.at(-1)).toMatch(/^<158>.*: stopped$/);
    });

    it('with no /dev/log the daemon starts and serves, having said once on stderr where its lines go; a receiver that appears later gets them', () => {
      const s = scenario(reload, 'missing');
      expect(s.rc).toBe(0);
      // Detached, stderr is /dev/null: the start command is the last chance to say it.
      expect(s.startErr).toBe(
        'myd: cannot reach syslog at /dev/log (No such file or directory): once detached, its log lines are ' +
          'lost until a syslog daemon listens there (-f shows them on stderr)\n',
      );
      expect(
        s.ours.find((l) => l.includes('dropped')),
        s.log,
      ).toMatch(/^<156>.*: \d+ log messages? (was|were) dropped/);
      expect(
        s.ours.some((l) => l.includes(': ignoring SIGUSR1')),
        s.log,
      ).toBe(true);
    });

    it('started before syslogd, then out of descriptors (prlimit): the "cannot accept" warning arrives', () => {
      const s = scenario(reload, 'fds');
      expect(
        s.ours.find((l) => l.includes('cannot accept')),
        s.log,
      ).toMatch(/^<156>.*: cannot accept /);
    });
  });
}
