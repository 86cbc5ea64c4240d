/*
 * path.ts: turns a path as written into one the daemon can use for its whole life (the twin of
 * the C daemon's src/path.c).
 *
 * "$XDG_RUNTIME_DIR/..." (per-user services) is expanded from the environment at run time; a
 * relative path is made absolute against the start-up directory, because the daemon runs in
 * "/" (APUE 13.3 rule 4) and re-reads its config there on SIGHUP. "@name" is kept as it is (the
 * config refuses it for the socket). macOS has no XDG_RUNTIME_DIR: there a LaunchAgent's
 * run-time files go to its TMPDIR. Lengths are counted in bytes, as the kernel counts them.
 */
export const XDG_PREFIX = '$XDG_RUNTIME_DIR/';
export const PATH_MAX = 4096;

export type Expanded = { ok: true; path: string } | { ok: false; error: string };

/* Expands input; the result must fit in a buffer of outlen bytes (a NUL included). */
export function expandPath(
  input: string,
  outlen: number = PATH_MAX,
  env: NodeJS.ProcessEnv = process.env,
): Expanded {
  let out: string;
  if (input.startsWith(XDG_PREFIX)) {
    let dir = env['XDG_RUNTIME_DIR'];
    if (dir === undefined && process.platform === 'darwin') dir = env['TMPDIR'];
    if (dir === undefined || !dir.startsWith('/')) {
      return {
        ok: false,
        error:
          `${input}: XDG_RUNTIME_DIR is ${dir === undefined ? 'not set' : 'not an absolute path'}; ` +
          'a per-user service needs it (systemd --user and pam_systemd set it)',
      };
    }
    out = `${dir}/${input.slice(XDG_PREFIX.length)}`;
  } else if (input.startsWith('/') || input.startsWith('@')) {
    out = input;
  } else {
    try {
      out = `${process.cwd()}/${input}`;
    } catch (err) {
      return { ok: false, error: `${input}: cannot make it absolute: ${String(err)}` };
    }
  }
  if (Buffer.byteLength(out) >= outlen) {
    return { ok: false, error: `${clip(input, 64)}...: path too long (at most ${outlen - 1} bytes)` };
  }
  return { ok: true, path: out };
}

/* The directory part of an absolute path, or undefined when it has no "/" (strrchr). */
export function dirOf(path: string): string | undefined {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? undefined : path.slice(0, slash);
}

/* At most max bytes of s, cut at a character boundary (printf's "%.64s"). */
export function clip(s: string, max: number): string {
  const b = Buffer.from(s);
  if (b.length <= max) return s;
  let end = max;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end).toString();
}
