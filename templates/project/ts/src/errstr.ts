/*
 * errstr.ts: an error's cause in words, as strerror(3) gives it ("No such file or directory"),
 * so that messages read like the C daemon's "cannot VERB OBJECT: CAUSE" (helper/errstr.c).
 */
import { getSystemErrorMap } from 'node:util';

/* The cause of err: strerror's text for a system error, else the error's own message. */
export function errstr(err: unknown): string {
  if (err !== null && typeof err === 'object') {
    const e = err as { errno?: unknown; code?: unknown; message?: unknown };
    if (typeof e.errno === 'number') {
      const known = getSystemErrorMap().get(e.errno);
      if (known !== undefined) return capitalize(known[1]);
    }
    if (typeof e.code === 'string' && typeof e.message === 'string') {
      // "EACCES: permission denied, open '/x'" -> "Permission denied"
      const m = /^[A-Z0-9_]+: ([^,]+)/.exec(e.message);
      if (m?.[1] !== undefined) return capitalize(m[1]);
    }
    if (typeof e.message === 'string') return e.message;
  }
  return String(err);
}

/* The errno name of err ("ENOENT"), or "" when it is not a system error. */
export function errcode(err: unknown): string {
  if (err !== null && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return '';
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}
