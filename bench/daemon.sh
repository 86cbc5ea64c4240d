#!/bin/sh
# The emitted daemon's costs, for both reload models, each figure a median measured in the same run as
# its floor:
#   start -> ready      the start command (detaching) until the original process exits, vs /bin/true
#   RSS                 VmRSS of a running tick daemon
#   SIGHUP -> in force  kill(SIGHUP) until READY=1 arrives on NOTIFY_SOCKET (sent after the new config is in force)
#   SIGTERM -> exit     kill(SIGTERM) until waitpid() returns, in the foreground (-f)
#   idle wakeups        voluntary context switches of every thread over 10 s, tick interval 3600
# and the same for the TypeScript daemon (--lang typescript, tick payload): the C helper (the pid in
# the pid file) with Node as its child. Its floors are Node's own, run in alternation with it:
#   start -> ready      vs node -e ''
#   RSS                 the helper's; the Node child's vs a bare idle node (-e 'setInterval(()=>{},1e9)')
#                       running beside it, both read 0.5 s after the daemon is ready
#   SIGHUP -> in force  as above (the helper forwards it to Node, Node answers RELOADING then READY)
#   SIGTERM -> exit     kill(SIGTERM) of the helper until its waitpid() returns and the Node child is gone
#   idle wakeups        the helper's and the Node child's, with a bare idle node's over the same 10 s; then
#                       the next 10 s as well (V8's memory reducer runs one full GC about 7 s after start)
# and, for the multi model, what a worker thread alone costs: a node that starts one (eval'd, idle) and
# exits once it is online, and an idle node with an idle worker, beside the others.
#
#   sh bench/daemon.sh [runs]     (default 20; needs gcc, make, python3, and node_modules: npm ci)
set -eu
runs=${1:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cd-bench-daemon.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

[ -f "$root/dist/cli.mjs" ] || (cd "$root" && node bin/build.mjs >/dev/null)
for model in single multi; do
	node "$root/bin/create-daemon.js" benchd --yes --reload "$model" --dir "$work/$model" >/dev/null
	make -s -C "$work/$model" >/dev/null
	node "$root/bin/create-daemon.js" benchd --yes --lang typescript --reload "$model" --payload tick \
		--dir "$work/ts-$model" >/dev/null
	ln -s "$root/node_modules" "$work/ts-$model/node_modules"
	make -s -C "$work/ts-$model" >/dev/null
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

def reload_and_stop(exe, d, cfg, pidfile, runs, hup, term, child=False):
    """SIGHUP until READY=1 (after RELOADING=1), and SIGTERM until the process (and, with child, its only
    child) is gone: in the foreground under a notify socket; appends to hup and term."""
    sock_path = os.path.join(d, 'notify.sock')
    for _ in range(max(3, runs // 4)):
        if os.path.exists(sock_path): os.unlink(sock_path)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sock_path); s.settimeout(5)
        p = subprocess.Popen([exe, '-f', '-c', cfg, '-p', pidfile], env={**os.environ, 'NOTIFY_SOCKET': sock_path},
                             stderr=subprocess.DEVNULL)
        while b'READY=1' not in s.recv(4096): pass
        kids = children(p.pid) if child else []
        for i in range(4):
            conf(d, 3600, f'reload{i}')
            t = now(); os.kill(p.pid, signal.SIGHUP)
            while True:
                msg = s.recv(4096)
                if b'READY=1' in msg and b'RELOADING=1' not in msg: break
            hup.append(now() - t)
        t = now(); os.kill(p.pid, signal.SIGTERM); p.wait()
        for k in kids: wait_gone(k)
        term.append(now() - t)
        s.close()

for model in ('single', 'multi'):
    d = os.path.join(work, model)
    exe, pidfile = os.path.join(d, 'benchd'), os.path.join(d, 'benchd.pid')
    cfg = conf(d, 3600, 'idle')
    start, floor, rss, hup, term = [], [], [], [], []
    for _ in range(runs):
        t = now(); subprocess.run(['/bin/true'], check=True); floor.append(now() - t)
        t = now(); subprocess.run([exe, '-c', cfg, '-p', pidfile], check=True, stderr=subprocess.DEVNULL); start.append(now() - t)
        pid = int(open(pidfile).read())
        rss.append(rss_kib(pid))
        os.kill(pid, signal.SIGTERM); wait_gone(pid)

    # Reload and stop, in the foreground under a notify socket.
    reload_and_stop(exe, d, cfg, pidfile, runs, hup, term)

    # Idle wakeups over 10 s.
    cfg = conf(d, 3600, 'idle')
    subprocess.run([exe, '-c', cfg, '-p', pidfile], check=True, stderr=subprocess.DEVNULL)
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

# The TypeScript daemon: the helper (the pid file's pid) and Node, its only child.
def node_of(d):
    with open(os.path.join(d, 'native', 'paths.h')) as f:
        return next(l.split('"')[1] for l in f if 'NODE ' in l)

def children(pid):
    kids = []
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                with open(f'/proc/{p}/stat') as f:
                    if int(f.read().rsplit(')', 1)[1].split()[1]) == pid: kids.append(int(p))
            except (FileNotFoundError, ProcessLookupError):
                pass
    return kids

node = node_of(os.path.join(work, 'ts-single'))
idle_js = 'setInterval(()=>{},1e9)'
worker_js = "new (require('worker_threads').Worker)('setInterval(()=>{},1e9)',{eval:true})"
online_js = worker_js + ".on('online',()=>process.exit())"
print(subprocess.run([node, '--version'], capture_output=True, text=True, check=True).stdout.strip(), 'at', node)
for model in ('single', 'multi'):
    d = os.path.join(work, 'ts-' + model)
    exe, pidfile = os.path.join(d, 'benchd'), os.path.join(d, 'benchd.pid')
    cfg = conf(d, 3600, 'idle')
    idles = [idle_js] + ([worker_js] if model == 'multi' else [])
    start, floor, floor_w, rss, rss_node, hup, term = [], [], [], [], [], [], []
    rss_bare = [[] for _ in idles]
    for _ in range(runs):
        t = now(); subprocess.run([node, '-e', ''], check=True); floor.append(now() - t)
        if model == 'multi':
            t = now(); subprocess.run([node, '-e', online_js], check=True); floor_w.append(now() - t)
        t = now(); subprocess.run([exe, '-c', cfg, '-p', pidfile], check=True, stderr=subprocess.DEVNULL)
        start.append(now() - t)
        pid = int(open(pidfile).read()); kid, = children(pid)
        bare = [subprocess.Popen([node, '-e', js]) for js in idles]
        time.sleep(0.5)
        rss.append(rss_kib(pid)); rss_node.append(rss_kib(kid))
        for b, r in zip(bare, rss_bare): r.append(rss_kib(b.pid)); b.kill(); b.wait()
        os.kill(pid, signal.SIGTERM); wait_gone(pid); wait_gone(kid)

    # Reload and stop, in the foreground under a notify socket: the exit is the helper's and Node's.
    reload_and_stop(exe, d, cfg, pidfile, runs, hup, term, child=True)

    # Idle wakeups over 10 s, a bare idle node beside it.
    cfg = conf(d, 3600, 'idle')
    subprocess.run([exe, '-c', cfg, '-p', pidfile], check=True, stderr=subprocess.DEVNULL)
    pid = int(open(pidfile).read()); kid, = children(pid)
    bare = [subprocess.Popen([node, '-e', js]) for js in idles]
    time.sleep(0.5)
    pids = [pid, kid] + [b.pid for b in bare]
    before = [threads_switches(x) for x in pids]; time.sleep(10)
    after = [threads_switches(x) for x in pids]; time.sleep(10)
    later = [threads_switches(x) for x in pids]
    wake = [a - b for a, b in zip(after, before)]
    wake2 = [a - b for a, b in zip(later, after)]
    for b in bare: b.kill(); b.wait()
    os.kill(pid, signal.SIGTERM); wait_gone(pid); wait_gone(kid)

    ms = lambda x: f'{x * 1000:.2f} ms'
    mib = lambda x: f'{x / 1024:.2f} MiB'
    print(f'TypeScript, {model}-threaded reload ({runs} runs, medians):')
    print(f'  start -> ready      {ms(med(start))}  vs node -e \'\' {ms(med(floor))}  = {med(start) / med(floor):.2f}x  (target <= 1.5x)')
    print(f'  RSS, helper         {mib(med(rss))}  (target <= 2 MiB)')
    print(f'  RSS, Node child     {mib(med(rss_node))}  vs idle node {mib(med(rss_bare[0]))}  = {med(rss_node) / med(rss_bare[0]):.2f}x  (target <= 1.2x)')
    print(f'  SIGHUP -> in force  {ms(med(hup))}  (target <= 5 ms)')
    print(f'  SIGTERM -> exit     {ms(med(term))}  (target <= 50 ms)')
    print(f'  idle wakeups, 10 s  helper {wake[0]} (target 0), Node child {wake[1]}, idle node {wake[2]};'
          f' the next 10 s: {wake2[0]}, {wake2[1]}, {wake2[2]}')
    if model == 'multi':
        print(f'  floor, a worker     node starting one until online {ms(med(floor_w))} = {med(floor_w) / med(floor):.2f}x node -e \'\';'
              f' idle node + idle worker {mib(med(rss_bare[1]))} = {med(rss_bare[1]) / med(rss_bare[0]):.2f}x idle node,'
              f' {wake[3]} wakeups, then {wake2[3]}')
EOF
