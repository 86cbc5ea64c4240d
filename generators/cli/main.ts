// The command line: parse and validate everything before yeoman is loaded, so that a bad value costs
// no module loading and writes nothing; then hand the run to the generator.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { completeAnswers, describeProblem, type Given, problems, unusedFlags } from '../core/answers.js';
import { type Answers } from '../core/conventions.js';
import { type Key } from '../core/conventions.js';
import { CancelError, FailError, UsageError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import { refuseTarget } from '../core/target.js';
import { helpText } from './help.js';
import { nearest } from '../core/validate.js';
import { STUDENT_RE, variantRecord } from '../core/variant.js';
import { type Command, fixedRows, flagRows, parseConfig } from './options.js';

export const PROGRAM = 'create-daemon';

export function version(): string {
  const pkg = JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string };
  return pkg.version;
}

export interface Parsed {
  readonly command: Command;
  readonly given: Given;
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
}

/** parseArgs' errors, said the way the rest of our messages are. */
function usageFromParseError(error: NodeJS.ErrnoException, command: Command, args: readonly string[]): UsageError {
  const help = command === 'units' ? 'create-daemon units --help' : 'create-daemon --help';
  // "Option '-y, --yes' does not take ..." / "Option '--pidfile <value>' argument missing" / "Unknown option '-x'"
  const quoted = /'(-[^']*)'/.exec(error.message)?.[1] ?? '';
  const option = quoted.replace(/ <value>$/, '').replace(/^-\w, /, '');
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      // "-h=1" arrives as the short-option group "-h", "-=", "-1": name what the user typed.
      const typed = args.find((a) => /^-[^-]/.test(a) && a.includes(option.slice(1))) ?? option;
      // --pidfle, --pidfle=x and -pidfile all meant --pidfile.
      const word = typed.replace(/^--?/, '').replace(/=.*/s, '');
      const longs = [...flagRows(command).map((r) => r.flag!), ...fixedRows(command).map((o) => o.flag)];
      const guess = word.length > 1 ? nearest(word, longs) : undefined;
      return new UsageError(`unknown option ${typed}; ${guess ? `did you mean --${guess}?` : `see ${help}`}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(error.message)
        ? new UsageError(`${option} takes no value`)
        : new UsageError(`${option} needs a value (use ${option}=VALUE for a value that starts with "-")`);
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument; see ${help}`);
    default:
      return new UsageError(error.message);
  }
}

/** `create-daemon help`, `create-daemon help units` and `create-daemon units help`: the word is --help. */
function helpWord(argv: readonly string[]): Parsed | undefined {
  const [first, second] = argv;
  // `help foo`: a topic there is none of, said so, rather than the general help as if it were foo's.
  if (first === 'help' && second !== undefined && second !== 'units' && !second.startsWith('-'))
    throw new UsageError(`no help on "${second}": create-daemon help, or create-daemon help units`);
  if (first === 'help') return { command: second === 'units' ? 'units' : 'app', given: {}, flags: { help: true } };
  if (first === 'units' && second === 'help') return { command: 'units', given: {}, flags: { help: true } };
  return undefined;
}

export function parse(argv: readonly string[]): Parsed {
  const asHelp = helpWord(argv);
  if (asHelp) return asHelp;
  const command: Command = argv[0] === 'units' ? 'units' : 'app';
  const args = command === 'units' ? argv.slice(1) : argv;
  let parsed: {
    values: Record<string, string | boolean | undefined>;
    positionals: string[];
    tokens: { kind: string; name?: string; rawName?: string }[];
  };
  try {
    parsed = parseArgs({
      args: [...args],
      options: parseConfig(command),
      allowPositionals: command === 'app',
      strict: true,
      tokens: true,
    }) as typeof parsed;
  } catch (error) {
    throw usageFromParseError(error as NodeJS.ErrnoException, command, args);
  }
  const { values, positionals, tokens } = parsed;
  // The last of two values would win silently: say so instead.
  const seen = new Set<string>();
  for (const t of tokens.filter((t) => t.kind === 'option')) {
    if (seen.has(t.name!))
      throw new UsageError(`--${t.name} given twice; give it once${t.name === 'init' ? ', with a comma list' : ''}`);
    seen.add(t.name!);
  }
  if (values.dir === '') throw new UsageError('--dir needs a path');
  if (positionals.length > 1)
    throw new UsageError(`expected one daemon name, got ${positionals.length}: ${positionals.join(' ')}`);
  const given: Given = {};
  if (positionals[0] !== undefined) given.name = positionals[0];
  for (const row of flagRows(command)) {
    const value = values[row.flag!];
    // "systemd,,sysv" or "systemd,": an item left out by mistake, not silently dropped.
    if (
      row.kind === 'checkbox' &&
      typeof value === 'string' &&
      value.trim() !== '' &&
      value.split(',').some((s) => s.trim() === '')
    )
      throw new UsageError(
        `--${row.flag} has an empty item in ${JSON.stringify(value)}: give the names with one comma between each, like --${row.flag} ${(row.choices ?? []).slice(0, 2).join(',')}`,
      );
    // Trimmed like a prompt's answer, so a flag and a prompt save the same value.
    if (typeof value === 'string') given[row.key] = value.trim();
    else if (typeof value === 'boolean') given[row.key] = value;
  }
  const variant = variantGiven(values);
  if (variant !== undefined) given.variant = variant;
  return { command, given, flags: values };
}

/**
 * --variant-seed (or $CREATE_DAEMON_VARIANT_SEED, which keeps it out of the command line, where any
 * user's ps(1) shows it) and --student (or $CREATE_DAEMON_STUDENT) as the saved record: the id and
 * the HMAC. The seed goes no further than this function. A seed from the environment alone makes a
 * variant only for a run that names a student.
 */
function variantGiven(values: Record<string, string | boolean | undefined>): string | undefined {
  const flag = values.student;
  const seedFlag = values['variant-seed'];
  // The environment's values are a course's settings, exported for a loop over the students: they
  // apply to --starter runs, or with the other half given as a flag (the reference, generated with
  // them still set, has no variant).
  const env = values.starter === true || typeof seedFlag === 'string' || typeof flag === 'string' ? process.env : {};
  const student = typeof flag === 'string' ? flag.trim() : (env.CREATE_DAEMON_STUDENT ?? '').trim();
  const fromEnv = env.CREATE_DAEMON_VARIANT_SEED;
  const seed = typeof seedFlag === 'string' ? seedFlag : fromEnv;
  if (seed === undefined) {
    if (typeof flag === 'string')
      throw new UsageError(
        '--student names whose variant --variant-seed derives: give --variant-seed too (or CREATE_DAEMON_VARIANT_SEED)',
      );
    // Half of a course's settings: not silently a handout without a variant.
    if (student !== '')
      throw new UsageError(
        'CREATE_DAEMON_STUDENT is set but no seed: give --variant-seed (or CREATE_DAEMON_VARIANT_SEED), or unset CREATE_DAEMON_STUDENT for a handout without a variant',
      );
    return undefined;
  }
  if (typeof seedFlag !== 'string' && student === '')
    throw new UsageError(
      "CREATE_DAEMON_VARIANT_SEED is set but no student is named: give --student ID (or CREATE_DAEMON_STUDENT) for that student's handout, or unset CREATE_DAEMON_VARIANT_SEED for a handout without a variant",
    );
  // tests/grade.sh hashes the seed file's bytes: the same bytes, so text as Node can hold it (an
  // environment value that is not UTF-8 arrives with U+FFFD), on one line, 8 bytes or more.
  if (seed.includes('\uFFFD'))
    throw new UsageError('--variant-seed must be UTF-8 text (this one has bytes that are not): choose another secret');
  if (/\p{Cc}/u.test(seed))
    throw new UsageError(
      '--variant-seed must be on one line, with no control character (a line end, a tab, a CR): tests/grade.sh reads it from one line of a file',
    );
  if (Buffer.byteLength(seed) < 8)
    throw new UsageError(
      "--variant-seed must be the course's secret, at least 8 bytes (the same for every student; keep it out of the handouts)",
    );
  if (student === '')
    throw new UsageError('--variant-seed needs the student id: --student ID, or CREATE_DAEMON_STUDENT=ID');
  if (!STUDENT_RE.test(student))
    throw new UsageError(
      `--student must be 1-64 letters, digits and . _ @ + - (a login, a student number or an e-mail address), starting with a letter or digit; got ${JSON.stringify(student)}`,
    );
  return variantRecord(seed, student);
}

/** Each given value against its own validator, in the context of the other given values. */
export function checkGiven(given: Given): void {
  const answers = completeAnswers(given);
  const found = problems(answers, new Set(Object.keys(given) as Key[]));
  if (found.length > 0) throw new UsageError(found.map((p) => describeProblem(p, given)).join('\n'));
}

export async function main(argv: readonly string[]): Promise<number> {
  // A reader that goes away (`create-daemon myd --yes | head -1`) must not stop a run half-way:
  // the progress lines are lost, the project is still written whole.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  try {
    const { command, given, flags } = parse(argv);
    if (flags.help) {
      process.stdout.write(helpText(command, version()));
      return 0;
    }
    if (flags.version) {
      // The program's name too, as create-vite and npm print it: a bare number says nothing in a log.
      process.stdout.write(`${PROGRAM} ${version()}\n`);
      return 0;
    }
    checkGiven(given);
    await tuneForShortRun();
    const yes = Boolean(flags.yes) || !process.stdin.isTTY;
    // A starter chosen at the prompt comes too late for the course's settings: say so, not silently.
    if (
      command === 'app' &&
      !yes &&
      flags.starter !== true &&
      given.variant === undefined &&
      (process.env.CREATE_DAEMON_VARIANT_SEED !== undefined || process.env.CREATE_DAEMON_STUDENT !== undefined)
    )
      warn(
        'CREATE_DAEMON_VARIANT_SEED and CREATE_DAEMON_STUDENT apply to --starter given as a flag: a starter chosen at the prompt has no variant',
      );
    const prefetch = await import('./prefetch.js');
    if (command === 'units') {
      prefetch.prefetchUnits(process.cwd(), given);
      warnUnused(await unitsAnswers(given), given);
      if (flags.check && flags.force) warn('--force has no effect with --check, which writes nothing');
      const { runUnits } = await import('./run.js');
      return await runUnits({ given, yes, force: Boolean(flags.force), check: Boolean(flags.check) });
    }
    const dir = typeof flags.dir === 'string' ? flags.dir : undefined;
    if (yes) {
      // Everything is known now: refuse before loading yeoman, with nothing written.
      const answers = completeAnswers(given);
      const found = problems(answers);
      if (found.length > 0) throw new UsageError(found.map((p) => describeProblem(p, given)).join('\n'));
      refuseTarget(resolve(dir ?? answers.name), Boolean(flags.force));
      warnUnused(answers, given);
      prefetch.prefetchApp(answers);
    } else {
      // Prettier loads in its worker while the questions are asked.
      prefetch.startFormatter();
    }
    const { runApp } = await import('./run.js');
    // The name may still be asked for; then the target is only known after the prompt.
    const target = resolve(dir ?? (given.name as string | undefined) ?? completeAnswers(given).name);
    const answers = await runApp(
      { given, yes, force: Boolean(flags.force), ...(dir === undefined ? {} : { dir }) },
      target,
    );
    // Interactively, whether a flag applies is known only once the questions are answered.
    if (!yes) warnUnused(answers, given);
    return 0;
  } catch (error) {
    return report(error);
  }
}

const warn = (line: string): void => {
  process.stderr.write(`${PROGRAM}: warning: ${line}\n`);
};

const warnUnused = (answers: Answers | undefined, given: Given): void => {
  if (answers) unusedFlags(answers, given).forEach(warn);
};

/** What units will work from (the saved answers with the flags applied); undefined when it will refuse. */
async function unitsAnswers(given: Given): Promise<Answers | undefined> {
  const [{ findProjectRoot, loadSaved }, { applyFlags, savedAnswers }] = await Promise.all([
    import('../core/saved.js'),
    import('../units/regenerate.js'),
  ]);
  try {
    return applyFlags(savedAnswers(loadSaved(findProjectRoot(process.cwd()))), given).answers;
  } catch {
    return undefined; // the units run says why, as its one line
  }
}

/**
 * A run lives a few hundred milliseconds: too short for V8's optimising compilers (TurboFan; Maglev on
 * Node 22+) to win back what they spend compiling on the second core, which the Prettier worker needs
 * (bench/README.md: about 12% of a scaffold's wall time on Node 20). Set before yeoman, Prettier or the
 * worker load; the flags only stop code from being optimised later. CREATE_DAEMON_V8_OPT=1 keeps them on,
 * for the benchmark's comparison. --help and --version never get here, and never load node:v8.
 */
async function tuneForShortRun(): Promise<void> {
  if (process.env.CREATE_DAEMON_V8_OPT) return;
  const v8 = process.getBuiltinModule('node:v8') as typeof import('node:v8');
  v8.setFlagsFromString('--no-turbofan');
  v8.setFlagsFromString('--no-maglev');
}

/** One line per problem on stderr, and the exit status for the kind of error. */
export function report(error: unknown): number {
  const e = error as Error;
  const say = (msg: string) =>
    process.stderr.write(
      `${msg
        .split('\n')
        .map((l) => `${PROGRAM}: ${l}`)
        .join('\n')}\n`,
    );
  if (e instanceof UsageError) {
    say(e.message);
    return 2;
  }
  if (e instanceof CancelError || e?.name === 'ExitPromptError' || e?.name === 'AbortPromptError') {
    say(e instanceof CancelError ? e.message : 'cancelled; nothing was written');
    return 130;
  }
  say(e instanceof FailError ? e.message : (e?.message ?? String(error)));
  return 1;
}
