// Per-student variants of the course starter (issue 17, item 4), as Bomb Lab gives each student
// their own bomb: the teacher's secret seed and a student id derive, through HMAC-SHA256, some of
// the assignment's details. Only the id and the HMAC (never the seed) are saved, in .yo-rc.json's
// "variant"; everything else is worked out from them here, and by tests/grade.sh from the seed.
//
// THE derivation, from the digest's hex digits (tests/grade.sh's variant_values does the same in
// sh, and a test checks that both write the same files):
//   digit 0, odd: SIGUSR2 reloads, else SIGHUP   digit 1 mod 8: facility local0..local7
//   digits 2-5: the syslog ident's suffix        digits 6-13: the token in the "started" line
//   digits 14-17: the pid file's name (<name>-<hex>.pid, in the pid file's directory)
import { createHmac } from 'node:crypto';
import { posix } from 'node:path';
import type { Facility } from './conventions.js';

/** What HMAC-SHA256 signs: this prefix, then the student id (a newline between, none after). */
export const VARIANT_CONTEXT = 'create-daemon variant 1';
/** A student id: a login, a student number or an e-mail address; also a directory name in a batch. */
export const STUDENT_RE = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}$/;
/** .yo-rc.json's "variant": the student id and the HMAC, or '' (no variant). */
export const VARIANT_RE = /^([A-Za-z0-9][A-Za-z0-9._@+-]{0,63}) ([0-9a-f]{64})$/;

export interface Variant {
  readonly student: string;
  /** The reload signal without its SIG (kill -HUP, sv hup; systemd's kill -USR2). */
  readonly reload: 'HUP' | 'USR2';
  /** The other one of the two: a spare signal, logged and ignored. */
  readonly spare: 'HUP' | 'USR2';
  readonly ident: string;
  readonly facility: Facility;
  readonly token: string;
  readonly pidfile: string;
}

/**
 * The saved record for a seed and a student id. The id is taken in lower case (tests/grade.sh does the
 * same): a login typed "Ada" in one place and "ada" in another, or an e-mail address's case, must not
 * grade a student against someone else's variant.
 */
export function variantRecord(seed: string, student: string): string {
  const id = student.toLowerCase();
  const digest = createHmac('sha256', seed).update(`${VARIANT_CONTEXT}\n${id}`).digest('hex');
  return `${id} ${digest}`;
}

/** The variant a saved record gives a daemon `name` whose answers put the pid file at `pidfile`. */
export function parseVariant(record: string, name: string, pidfile: string): Variant | undefined {
  const m = VARIANT_RE.exec(record);
  if (!m) return undefined;
  const h = m[2]!;
  const digit = (i: number): number => parseInt(h[i]!, 16);
  const odd = (digit(0) & 1) === 1;
  return {
    student: m[1]!,
    reload: odd ? 'USR2' : 'HUP',
    spare: odd ? 'HUP' : 'USR2',
    ident: `${name}-${h.slice(2, 6)}`,
    facility: `local${digit(1) % 8}` as Facility,
    token: h.slice(6, 14),
    pidfile: `${posix.dirname(pidfile)}/${name}-${h.slice(14, 18)}.pid`,
  };
}
