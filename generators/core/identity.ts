// Who maintains the generated project, and when its first version was released: recorded once, at
// generation, in .yo-rc.json (so that re-rendering the packages' files, by `units` or on another
// machine, gives the same bytes). Read from the environment the way Debian's tools do (dch(1):
// DEBFULLNAME and DEBEMAIL, then NAME and EMAIL), then git's identity, then a placeholder the
// README tells the user to replace.
import { execFileSync } from 'node:child_process';

let gitIdentity: { name: string; email: string } | undefined | null = null;

function git(): { name: string; email: string } | undefined {
  if (gitIdentity !== null) return gitIdentity;
  const get = (key: string): string => {
    try {
      return execFileSync('git', ['config', '--get', key], {
        encoding: 'utf8',
        timeout: 2000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      return '';
    }
  };
  const name = get('user.name');
  const email = get('user.email');
  gitIdentity = name && email ? { name, email } : undefined;
  return gitIdentity;
}

/** "Name <address>" for the name's project; a placeholder at example.org when nothing says who. */
export function defaultMaintainer(daemon: string, env: NodeJS.ProcessEnv = process.env): string {
  // DEBEMAIL may hold "Name <address>" itself (dch(1)).
  const full = /^(.+?)\s*<([^>]+)>$/.exec(env.DEBEMAIL ?? '');
  const name = env.DEBFULLNAME || full?.[1] || env.NAME;
  const email = full?.[2] || env.DEBEMAIL || env.EMAIL;
  if (name && email) return `${name.trim()} <${email.trim()}>`;
  const id = git();
  if (id) return `${id.name} <${id.email}>`;
  return `${daemon} maintainers <${daemon}@example.org>`;
}

/** Today (UTC), or SOURCE_DATE_EPOCH's day when set (reproducible-builds.org), as YYYY-MM-DD. */
export function today(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = Number(env.SOURCE_DATE_EPOCH);
  const when = env.SOURCE_DATE_EPOCH && Number.isFinite(epoch) ? new Date(epoch * 1000) : new Date();
  return when.toISOString().slice(0, 10);
}
