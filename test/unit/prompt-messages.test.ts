// Interactive error messages use the prompt's words; flag names appear only for values given as flags.
import { describe, expect, it } from 'vitest';
import type { Given } from '../../generators/core/answers.js';
import { questionsFor } from '../../generators/core/prompts.js';

const validate = (key: string, given: Given, input: unknown): unknown => {
  const q = questionsFor(given).find((x) => x.name === key)!;
  return q.validate(input, {});
};

describe('prompt error messages', () => {
  it('name the value as the prompt does, not as the flag', () => {
    expect(validate('pidfile', { name: 'myd' }, 'run/x.pid')).toBe(
      'The lock/PID file must be an absolute path, got "run/x.pid"',
    );
    expect(validate('umask', { name: 'myd' }, '999')).toBe(
      'The file mode creation mask must be three octal digits, or four starting with 0, such as 022, 027 or 0022, got "999"',
    );
    expect(validate('name', {}, 'help')).toBe(
      'The daemon name "help" is a create-daemon subcommand; choose another, such as "helpd"',
    );
    expect(validate('name', {}, '')).toBe('A daemon name is required, for example "mydaemon"');
    expect(validate('user', { name: 'myd' }, 'root')).toBe(
      'The account root is the default; to stay root, leave out the account',
    );
    expect(validate('init', { name: 'myd' }, [])).toMatch(/^The list of init systems needs at least one of systemd/);
  });

  it('name another answer by its flag only when it was given as a flag', () => {
    expect(validate('pidfile', { name: 'myd', user: 'svc' }, '/run/myd.pid')).toMatch(
      /^The lock\/PID file "\/run\/myd.pid" sits directly in \/run, where --user svc cannot create or remove it;/,
    );
    expect(validate('pidfile', { name: 'myd' }, '/etc/myd.conf')).toBe(
      'The lock/PID file and the config file must be different files, both are "/etc/myd.conf"',
    );
    expect(validate('pidfile', { name: 'myd', config: '/etc/myd.conf' }, '/etc/myd.conf')).toBe(
      'The lock/PID file and --config must be different files, both are "/etc/myd.conf"',
    );
    expect(validate('pidfile', { name: 'myd' }, '$XDG_RUNTIME_DIR/myd.pid')).toMatch(
      /^The lock\/PID file may use \$XDG_RUNTIME_DIR only with the service scope user;/,
    );
  });
});
