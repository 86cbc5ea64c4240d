/*
 * control.ts: the control channel to the launcher, fd 3, one end of an AF_UNIX SOCK_STREAM
 * socketpair. The launcher is the process the init system sees: it logs our LOG lines (to
 * syslog, and stderr in the foreground), turns READY, RELOADING, STATUS and STOPPING into
 * sd_notify(3) messages or the start command's verdict, and reports a FAIL and exits with its
 * status.
 *
 * Protocol, node -> launcher, one UTF-8 line each, never a control character inside:
 *   LOG info TEXT | LOG warn TEXT | READY STATUS | RELOADING | STATUS TEXT | STOPPING |
 *   FAIL EXIT-STATUS MESSAGE
 * Nothing is sent the other way: end-of-file on fd 3 means the launcher is gone, and the daemon
 * exits at once, so that no orphan keeps serving. Pending lines are flushed before any exit.
 */
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';

import { clip } from './path.js';
import type { Logger } from './payload.js';

export const CONTROL_FD = 3;
/* How long an exit waits for the launcher to take the last lines. */
const FLUSH_MS = 1000;

/* The longest line the launcher reads whole, newline excluded (CHILD_LINE_MAX - 1). */
export const LINE_MAX = 1023;

/*
 * One protocol line: control characters (C0, DEL, C1, U+2028/9) folded to spaces, and cut at
 * LINE_MAX bytes (at a character boundary), as the C daemon's log lines are cut.
 */
export function encodeLine(kind: string, text?: string): string {
  const line = (text === undefined ? kind : `${kind} ${text}`).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  return clip(line, LINE_MAX) + '\n';
}

/* Whether fd is an open socket (the launcher's channel) rather than closed or something else. */
export function isSocketFd(fd: number): boolean {
  try {
    return fstatSync(fd).isSocket();
  } catch {
    return false;
  }
}

export class Control implements Logger {
  private readonly sock: Socket;
  private exiting = false;

  /* onLost runs when the launcher goes away (end-of-file or an error on the channel). */
  constructor(fd: number, onLost: () => void) {
    this.sock = new Socket({ fd, readable: true, writable: true, allowHalfOpen: true });
    const lost = (): void => {
      if (!this.exiting) onLost();
    };
    this.sock.on('data', () => undefined); /* nothing is expected; read to see end-of-file */
    this.sock.on('end', lost);
    this.sock.on('error', lost);
    this.sock.on('close', lost);
  }

  send(kind: string, text?: string): void {
    if (this.sock.writable) this.sock.write(encodeLine(kind, text));
  }

  info(text: string): void {
    this.send('LOG info', text);
  }

  warn(text: string): void {
    this.send('LOG warn', text);
  }

  /* Exits with status once the lines sent so far are flushed, FLUSH_MS at most. */
  exit(status: number): void {
    if (this.exiting) return;
    this.exiting = true;
    process.exitCode = status;
    const bye = (): never => process.exit(status);
    setTimeout(bye, FLUSH_MS);
    this.sock.once('finish', bye);
    this.sock.once('close', bye);
    this.sock.end();
  }

  /* Start-up failed before READY: the launcher reports the message and exits with status. */
  fail(status: number, message: string): void {
    this.send('FAIL', `${status} ${message}`);
    this.exit(status);
  }
}
