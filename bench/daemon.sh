#!/bin/sh
# The emitted daemon's costs, for both reload models, each figure a median measured in the same run as
# its floor:
#   start -> ready      the start command (detaching) until the original process exits, vs /bin/true
#   RSS                 VmRSS of a running tick daemon
#   SIGHUP -> in force  kill(SIGHUP) until READY=1 arrives on NOTIFY_SOCKET (sent after the new config is in force)
#   SIGTERM -> exit     kill(SIGTERM) until waitpid() returns, in the foreground (-f)
#   idle wakeups        voluntary context switches of every thread over 10 s, tick interval 3600
#
#   sh bench/daemon.sh [runs]     (default 20; needs gcc, make, python3)
set -eu
runs=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cd-bench-daemon.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

[ -f "$root/dist/cli.mjs" ] || (cd "$root" && node bin/build.mjs >/dev/null)
for model in single multi; do
	node "$root/bin/create-daemon.js" benchd --yes --reload "$model" --dir "$work/$model" >/dev/null
	make -s -C "$work/$model" >/dev/null
done

python3 - "$work" "$runs" <<'EOF'
import os, signal, socket, statistics, subprocess, sys, time

work, runs = sys.argv[1], int(sys.argv[2])
now = time.perf_counter

def conf(d, interval, message):
    path = os.path.join(d, 'bench.conf')
    with open(path, 'w') as f:
        f.write(f'interval = {interval}\nmessage = {message}\n')
    return path

def wait_gone(pid):
    while True:
        try:
            with open(f'/proc/{pid}/stat') as f:
                if f.read().rsplit(')', 1)[1].split()[0] == 'Z':
                    return
        except FileNotFoundError:
            return
        time.sleep(0.001)

def threads_switches(pid):
    total = 0
    for tid in os.listdir(f'/proc/{pid}/task'):
        with open(f'/proc/{pid}/task/{tid}/status') as f:
            for line in f:
                if line.startswith('voluntary_ctxt_switches'):
                    total += int(line.split()[1])
    return total

def rss_kib(pid):
    with open(f'/proc/{pid}/status') as f:
        return next(int(l.split()[1]) for l in f if l.startswith('VmRSS'))

def med(xs):
    return statistics.median(xs)

for model in ('single', 'multi'):
    d = os.path.join(work, model)
    exe, pidfile = os.path.join(d, 'benchd'), os.path.join(d, 'benchd.pid')
    cfg = conf(d, 3600, 'idle')
    start, floor, rss, hup, term = [], [], [], [], []
    for _ in range(runs):
        t = now(); subprocess.run(['/bin/true'], check=True); floor.append(now() - t)
        t = now(); subprocess.run([exe, '-c', cfg, '-p', pidfile], check=True); start.append(now() - t)
        pid = int(open(pidfile).read())
        rss.append(rss_kib(pid))
        os.kill(pid, signal.SIGTERM); wait_gone(pid)

    # Reload and stop, in the foreground under a notify socket.
    sock_path = os.path.join(d, 'notify.sock')
    for _ in range(max(3, runs // 4)):
        if os.path.exists(sock_path): os.unlink(sock_path)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sock_path); s.settimeout(5)
        p = subprocess.Popen([exe, '-f', '-c', cfg, '-p', pidfile], env={**os.environ, 'NOTIFY_SOCKET': sock_path},
                             stderr=subprocess.DEVNULL)
        while b'READY=1' not in s.recv(4096): pass
        for i in range(4):
            conf(d, 3600, f'reload{i}')
            t = now(); os.kill(p.pid, signal.SIGHUP)
            while True:
                msg = s.recv(4096)
                if b'READY=1' in msg and b'RELOADING=1' not in msg: break
            hup.append(now() - t)
        t = now(); os.kill(p.pid, signal.SIGTERM); p.wait(); term.append(now() - t)
        s.close()

    # Idle wakeups over 10 s.
    cfg = conf(d, 3600, 'idle')
    subprocess.run([exe, '-c', cfg, '-p', pidfile], check=True)
    pid = int(open(pidfile).read())
    time.sleep(0.5)
    before = threads_switches(pid); time.sleep(10); after = threads_switches(pid)
    os.kill(pid, signal.SIGTERM); wait_gone(pid)

    ms = lambda x: f'{x * 1000:.2f} ms'
    print(f'{model}-threaded reload ({runs} runs, medians):')
    print(f'  start -> ready      {ms(med(start))}  vs /bin/true {ms(med(floor))}  = {med(start) / med(floor):.2f}x  (target <= 3x)')
    print(f'  RSS, tick daemon    {med(rss) / 1024:.2f} MiB  (target <= 2 MiB)')
    print(f'  SIGHUP -> in force  {ms(med(hup))}  (target <= 1 ms)')
    print(f'  SIGTERM -> exit     {ms(med(term))}  (target <= 10 ms)')
    print(f'  idle wakeups, 10 s  {after - before}  (target 0)')
EOF
