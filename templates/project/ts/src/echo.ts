/*
 * echo.ts: the echo payload (the twin of the C daemon's src/echo.c). A UNIX stream socket server
 * that sends each line back to its client (the client-server model of APUE 13.1).
 *
 * Every client is served from the one event loop: a client that stops reading, sends a huge
 * line or vanishes mid-line costs only its own socket and buffer. A line is echoed once
 * complete, so a client may send it whole before reading; a line longer than a client may hold
 * is echoed in pieces as it arrives. While a client's echo waits to be sent (write() said the
 * socket's buffer is full), nothing more is read from it: a client that never reads is
 * throttled by its own socket buffer. At end-of-file the rest of a line cut short goes back,
 * then the server closes its side.
 *
 * Memory is bounded by the config: at most max_clients are served at once. Half of max_buffered
 * is split into equal shares, one per client; the other half is a pool from which a client may
 * hold more, up to LINE_MAX, while the pool lasts. Node cannot leave connections in the listen
 * backlog, so the clients beyond max_clients are accepted and held unread, in arrival order, at
 * most BACKLOG of them (Node's own listen backlog); they cost a descriptor each, no buffer.
 *
 * The socket file (listen.ts): a stale one is replaced, a live one or a non-socket is never
 * removed, the mode is set before any client is served, and at exit only the file this process
 * created is removed. On SIGTERM the clients get at most DRAIN_MS to take their echoes.
 */
import type { Socket } from 'node:net';

import type { Config, EchoConfig } from './config.js';
import { errstr } from './errstr.js';
import { type Bound, listenUnix, ours, retire } from './listen.js';
import type { Logger, Payload } from './payload.js';

export const LINE_MAX = 2 * 1024 * 1024; /* longest line echoed whole */
export const DRAIN_MS = 2000; /* how long clients may drain at stop */
const BACKLOG = 511; /* connections held unread beyond max_clients */
const WARN_EVERY_MS = 10000; /* at most one accept warning per 10 s */

interface Client {
  sock: Socket;
  held: Buffer[]; /* the start of a line not yet complete */
  heldLen: number;
  pooled: number; /* of heldLen, the bytes beyond the share, taken from the pool */
}

export class Echo implements Payload {
  private readonly clients = new Set<Client>();
  private readonly waiting: Socket[] = [];
  private share = 0;
  private pool = 0;
  private pooled = 0;
  private closing = false;
  private lastWarn = -Infinity;

  private constructor(
    private cf: EchoConfig,
    private bound: Bound,
    private readonly log: Logger,
  ) {
    this.limits();
    this.watch(bound);
  }

  static async open(cf: EchoConfig, log: Logger): Promise<Echo> {
    let self: Echo | undefined;
    const early: Socket[] = [];
    const bound = await listenUnix(cf.socket, cf.socketMode, (s) =>
      self === undefined ? early.push(s) : self.accept(s),
    );
    self = new Echo({ ...cf }, bound, log);
    for (const s of early) self.accept(s);
    return self;
  }

  /* Each client's share, from the config (echo_limits()). */
  private limits(): void {
    this.pool = Math.floor(this.cf.maxBuffered / 2);
    this.share = Math.min(Math.floor((this.cf.maxBuffered - this.pool) / this.cf.maxClients), LINE_MAX);
  }

  /* accept(2) errors (EMFILE...): libuv keeps listening; say so at most every 10 s. */
  private watch(b: Bound): void {
    b.server.on('error', (err) => {
      const now = performance.now();
      if (now - this.lastWarn < WARN_EVERY_MS) return;
      this.lastWarn = now;
      this.log.warn(`cannot accept a client on ${b.path}: ${errstr(err)}`);
    });
  }

  private accept(sock: Socket): void {
    if (this.closing || this.waiting.length >= BACKLOG) {
      sock.destroy();
      return;
    }
    sock.on('error', () => sock.destroy());
    if (this.clients.size >= this.cf.maxClients) {
      this.waiting.push(sock);
      sock.once('close', () => {
        const i = this.waiting.indexOf(sock);
        if (i !== -1) this.waiting.splice(i, 1);
      });
      return;
    }
    this.serve(sock);
  }

  /* Serves the clients that wait, while there is room. */
  private admit(): void {
    while (!this.closing && this.clients.size < this.cf.maxClients) {
      const sock = this.waiting.shift();
      if (sock === undefined) return;
      if (!sock.destroyed) this.serve(sock);
    }
  }

  private serve(sock: Socket): void {
    const c: Client = { sock, held: [], heldLen: 0, pooled: 0 };
    this.clients.add(c);
    sock.on('data', (chunk: Buffer) => this.read(c, chunk));
    /* The client is done sending: what is left of a line cut short goes back too. */
    sock.on('end', () => {
      this.flush(c);
      sock.end();
    });
    sock.on('drain', () => {
      if (!this.closing) sock.resume();
    });
    sock.once('close', () => {
      this.release(c);
      this.clients.delete(c);
      this.admit();
    });
    sock.resume();
  }

  private read(c: Client, chunk: Buffer): void {
    const nl = chunk.lastIndexOf(0x0a);
    if (nl !== -1) {
      const line = chunk.subarray(0, nl + 1);
      const rest = chunk.subarray(nl + 1);
      this.send(c, c.heldLen === 0 ? line : Buffer.concat([...c.held, line]));
      this.release(c);
      chunk = rest;
    }
    if (chunk.length > 0) {
      c.held.push(chunk);
      c.heldLen += chunk.length;
      /* A line too long to hold: echo what we have. */
      if (!this.room(c)) {
        this.send(c, Buffer.concat(c.held));
        this.release(c);
      }
    }
  }

  /* Whether c may hold heldLen bytes: within its share, or with what the pool has left. */
  private room(c: Client): boolean {
    if (c.heldLen >= LINE_MAX) return false;
    if (c.heldLen <= this.share) return true;
    const over = c.heldLen - this.share;
    if (over > c.pooled && this.pooled - c.pooled + over > this.pool) return false;
    this.pooled += over - c.pooled;
    c.pooled = over;
    return true;
  }

  /* Forgets what c holds, giving back what it took from the pool. */
  private release(c: Client): void {
    c.held = [];
    c.heldLen = 0;
    this.pooled -= c.pooled;
    c.pooled = 0;
  }

  private flush(c: Client): void {
    if (c.heldLen > 0) this.send(c, Buffer.concat(c.held));
    this.release(c);
  }

  private send(c: Client, data: Buffer): void {
    if (!c.sock.write(data)) c.sock.pause();
  }

  /*
   * A new socket is bound before the old one is let go: a failure changes nothing. It is needed
   * when the path changed, and when the file at the path is no longer the one bound (removed,
   * or replaced): the same device and inode, not the same name, mean the same socket.
   */
  async apply(cf: Config): Promise<void> {
    if (cf.payload !== 'echo') throw new Error('the echo payload cannot take a config for tick');
    if (cf.socket !== this.cf.socket || !ours(this.bound)) {
      const bound = await listenUnix(cf.socket, cf.socketMode, (s) => this.accept(s));
      retire(this.bound);
      this.bound = bound;
      this.watch(bound);
    } else {
      const { chmodSync, lstatSync } = await import('node:fs');
      try {
        if ((lstatSync(cf.socket).mode & 0o7777) !== cf.socketMode) chmodSync(cf.socket, cf.socketMode);
      } catch (err) {
        throw new Error(`cannot set the mode of ${cf.socket}: ${errstr(err)}`);
      }
    }
    this.cf = { ...cf };
    this.limits();
    this.admit();
  }

  /* Stops listening (the file removed if ours), then lets the clients drain, DRAIN_MS at most. */
  async close(): Promise<void> {
    this.closing = true;
    retire(this.bound);
    for (const s of this.waiting.splice(0)) s.destroy();
    if (this.clients.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const c of this.clients) c.sock.destroy();
      }, DRAIN_MS);
      const done = (): void => {
        if (this.clients.size > 0) return;
        clearTimeout(timer);
        resolve();
      };
      for (const c of this.clients) {
        c.sock.pause();
        c.sock.once('close', () => setImmediate(done));
        c.sock.once('finish', () => c.sock.destroy());
        if (c.sock.writableFinished) c.sock.destroy();
        else c.sock.end();
      }
    });
  }
}
