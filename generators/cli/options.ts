// The command line, derived from the conventions table: parseArgs options, and the flags --help lists.
import type { ParseArgsConfig } from 'node:util';
import { CONVENTIONS, type Convention } from '../core/conventions.js';

export interface FixedOption {
  readonly flag: string;
  readonly short?: string;
  readonly arg?: string;
  readonly help: string;
  readonly units?: boolean;
  readonly app?: boolean;
}

/** Options that are not conventions: they steer the run and are never saved. */
export const FIXED: readonly FixedOption[] = [
  {
    flag: 'yes',
    short: 'y',
    help: 'take the default for every convention not given as a flag; never prompt',
    units: true,
    app: true,
  },
  { flag: 'dir', arg: '<path>', help: 'where to write (default ./<name>)', app: true },
  {
    flag: 'variant-seed',
    arg: '<secret>',
    help: "a course's per-student variant: the teacher's secret (or $CREATE_DAEMON_VARIANT_SEED, out of ps's sight), with --student, derives the student's reload signal (the value in their own code), syslog ident and facility, pid file and log token (the seed is never written)",
    app: true,
  },
  {
    flag: 'student',
    arg: '<id>',
    help: "the student id of --variant-seed (default $CREATE_DAEMON_STUDENT): a login, number or e-mail address, in any case; the id tests/grade.sh will see (a batch folder's name, or Gradescope's e-mail)",
    app: true,
  },
  { flag: 'force', help: 'overwrite files that differ, without asking', units: true, app: true },
  {
    flag: 'check',
    help: 'write nothing; exit 1 if the init-system files differ from what the saved answers generate',
    units: true,
  },
  { flag: 'help', short: 'h', help: 'every option, its choices and its default', units: true, app: true },
  { flag: 'version', short: 'V', help: 'print the version', units: true, app: true },
];

export type Command = 'app' | 'units';

export const flagRows = (command: Command): Convention[] =>
  CONVENTIONS.filter((row) => row.flag !== undefined && (command === 'app' || row.units));

export const fixedRows = (command: Command): FixedOption[] =>
  FIXED.filter((o) => (command === 'app' ? o.app : o.units));

export function parseConfig(command: Command): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const row of flagRows(command)) options[row.flag!] = { type: row.kind === 'confirm' ? 'boolean' : 'string' };
  for (const o of fixedRows(command))
    options[o.flag] = { type: o.arg ? 'string' : 'boolean', ...(o.short ? { short: o.short } : {}) };
  return options;
}
