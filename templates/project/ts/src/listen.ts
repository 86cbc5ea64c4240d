/*
 * listen.ts: a listening UNIX stream socket at a path, for echo.ts (the twin of echo_listen(),
 * echo_stale() and echo_unlink() in the C daemon's src/echo.c).
 *
 * A stale socket file (left by kill -9: nobody listens) is replaced; a live one, or anything that
 * is not a socket, is never removed. The mode is set by chmod(2) once bound; in the main thread
 * the bind itself runs under umask 0177, so that until then only the daemon's own account can
 * connect (a worker thread cannot change the umask: there the daemon's umask applies).
 *
 * libuv removes the path of a bound socket when its handle is closed, whatever file is at the
 * path by then. So a server is closed only while the file at its path is still the one it bound
 * (same device and inode: ours()); otherwise it is retired unclosed (unreachable, since its file
 * is gone) and its descriptor goes at exit. Closing is then the removal echo_unlink() does.
 */
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { type Server, type Socket, connect, createServer } from 'node:net';
import { dirname } from 'node:path';
import { isMainThread } from 'node:worker_threads';

import { errcode, errstr } from './errstr.js';

/* What listenUnix() bound: the server and the identity of the file it created. */
export interface Bound {
  server: Server;
  path: string;
  dev: bigint;
  ino: bigint;
}

/*
 * Whether ECONNREFUSED proves that nobody listens. Linux answers EAGAIN when a live listener's
 * queue is full, but the BSD kernels (and macOS) answer ECONNREFUSED: there a refusal is asked
 * again STALE_TRIES times, STALE_MS apart, before the socket is called stale.
 */
const STALE_TRIES = process.platform === 'linux' ? 1 : 5;
const STALE_MS = 125;

/* One connect(2): 0 accepted or queued, 1 refused, or the error. */
function knock(path: string): Promise<0 | 1 | Error> {
  return new Promise((resolve) => {
    const s = connect({ path });
    s.once('connect', () => {
      s.destroy();
      resolve(0);
    });
    s.once('error', (err) => {
      s.destroy();
      const code = errcode(err);
      resolve(code === 'ECONNREFUSED' ? 1 : code === 'EAGAIN' ? 0 : err);
    });
  });
}

/* Resolves when path is a socket nobody listens on, or gone; else rejects with the reason. */
async function stale(path: string): Promise<void> {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if (errcode(err) === 'ENOENT') return; /* gone meanwhile: bind again */
    throw new Error(`cannot check ${path}: ${errstr(err)}`);
  }
  if (!st.isSocket()) throw new Error(`cannot listen on ${path}: it exists and is not a socket`);
  for (let tries = 1; ; tries++) {
    const rc = await knock(path);
    if (rc === 0) throw new Error(`cannot listen on ${path}: another process is listening on it`);
    if (rc instanceof Error) {
      if (errcode(rc) === 'ENOENT') return;
      throw new Error(`cannot check ${path}: ${errstr(rc)}`);
    }
    if (tries >= STALE_TRIES) return;
    await new Promise((r) => setTimeout(r, STALE_MS));
  }
}

/* bind(2) and listen(2) on path: resolves the server, or rejects with the system error. */
function bindOnce(path: string, onConnection: (s: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, onConnection);
    server.once('error', reject);
    const old = isMainThread ? process.umask(0o177) : undefined;
    try {
      server.listen({ path }, () => {
        server.off('error', reject);
        resolve(server);
      });
    } finally {
      if (old !== undefined) process.umask(old);
    }
  });
}

/* libuv reports a missing directory as EACCES: name the real cause. */
function bindError(path: string, err: unknown): string {
  if (errcode(err) === 'EACCES') {
    try {
      lstatSync(dirname(path));
    } catch (e) {
      if (errcode(e) === 'ENOENT') return errstr(e);
    }
  }
  return errstr(err);
}

/* Returns a server listening on path with the given mode, and the file it created. */
export async function listenUnix(
  path: string,
  mode: number,
  onConnection: (s: Socket) => void,
): Promise<Bound> {
  let server: Server;
  try {
    server = await bindOnce(path, onConnection);
  } catch (err) {
    if (errcode(err) !== 'EADDRINUSE') throw new Error(`cannot bind ${path}: ${bindError(path, err)}`);
    await stale(path);
    try {
      unlinkSync(path);
    } catch (e) {
      if (errcode(e) !== 'ENOENT') throw new Error(`cannot replace stale socket ${path}: ${errstr(e)}`);
    }
    try {
      server = await bindOnce(path, onConnection);
    } catch (e) {
      throw new Error(`cannot replace stale socket ${path}: ${bindError(path, e)}`);
    }
  }
  try {
    chmodSync(path, mode);
  } catch (err) {
    server.close(); /* removes the file just bound */
    throw new Error(`cannot set the mode of ${path}: ${errstr(err)}`);
  }
  try {
    const st = lstatSync(path, { bigint: true });
    return { server, path, dev: st.dev, ino: st.ino };
  } catch (err) {
    server.close();
    throw new Error(`cannot listen on ${path}: ${errstr(err)}`);
  }
}

/* Whether the file at b.path is still the socket b created (same device and inode). */
export function ours(b: Bound): boolean {
  try {
    const st = lstatSync(b.path, { bigint: true });
    return st.dev === b.dev && st.ino === b.ino;
  } catch {
    return false;
  }
}

/* Stops b listening: closed (its file removed) if the file is still ours, else left unclosed. */
export function retire(b: Bound): void {
  if (ours(b)) b.server.close();
  else b.server.unref();
}
