// Partial answers (flags, prompts, .yo-rc.json) -> complete, validated answers.
import { type Answers, CONVENTIONS, type Convention, type Key, type Value } from './conventions.js';
import { splitList } from './validate.js';

export type Given = Partial<Record<Key, Value>>;

/** The flag (or "name") a message about this convention should name. */
export const labelOf = (row: Convention): string => (row.flag ? `--${row.flag}` : row.recorded ? row.key : 'name');

/** Fill every missing answer with its default, in table order (later defaults see earlier answers). */
export function completeAnswers(given: Given): Answers {
  const out: Record<string, unknown> = {};
  for (const row of CONVENTIONS) {
    // Defaults may depend on any answer given, and on earlier rows' answers or defaults.
    const value = given[row.key] ?? row.default({ ...(given as Partial<Answers>), ...(out as Partial<Answers>) });
    // "systemd, openrc" is two items: spaces around a comma are not part of a name.
    out[row.key] = row.kind === 'checkbox' && typeof value === 'string' ? splitList(value) : value;
  }
  return out as unknown as Answers;
}

export interface Problem {
  readonly row: Convention;
  readonly message: string;
}

/** Every answer checked against its validator, given all the others; an empty list means valid. */
export function problems(answers: Answers, only?: ReadonlySet<Key>): Problem[] {
  const found: Problem[] = [];
  for (const row of CONVENTIONS) {
    if (only && !only.has(row.key)) continue;
    const result = row.validate(answers[row.key], answers);
    if (result !== true) found.push({ row, message: result });
  }
  return found;
}

/**
 * Each `--flag` in text, where `pattern` finds it, that names a convention (other than `self`, if given)
 * which no flag in `given` gave, renamed by `words(row, flag)`: a message names values by their flag only when a flag
 * carried them.
 */
function nameUngiven(
  text: string,
  pattern: RegExp,
  self: Convention | undefined,
  given: Given,
  words: (row: Convention, flag: string) => string,
): string {
  return text.replace(pattern, (flag, name: string) => {
    const row = CONVENTIONS.find((r) => r.flag === name);
    return row && row !== self && given[row.key] === undefined ? words(row, flag) : flag;
  });
}

/**
 * "--pidfile must be ...": the validator's message with the flag that carried the value. With `given`
 * (the flags of the run), another convention that no flag gave is named as its default: "--pidfile and
 * the default config file (--config) must be different files". Only such a partner of the sentence
 * ("and --config must ..."): "with --scope user" says what to give.
 */
export function describeProblem(p: Problem, given?: Given): string {
  const label = labelOf(p.row);
  const bare = p.row.flag ?? p.row.key;
  const text = p.message.startsWith(`${bare} `) ? `${label}${p.message.slice(bare.length)}` : `${label}: ${p.message}`;
  if (given === undefined) return text;
  return nameUngiven(
    text,
    /(?<=.)--([a-z][a-z-]*)(?= must )/g,
    p.row,
    given,
    (row, flag) => `${row.noun.replace(/^(the|a|an) /, '$1 default ')} (${flag})`,
  );
}

/**
 * Flags the other answers leave without effect (--systemd-type with no systemd among the init systems):
 * one line each, saying why. A warning, not an error, so that scripts that pass them keep working.
 */
export function unusedFlags(answers: Answers, given: Given): string[] {
  return CONVENTIONS.filter(
    (row) => row.flag && row.unused && given[row.key] !== undefined && !row.when?.(answers),
  ).map((row) => `--${row.flag} ${String(given[row.key])} has no effect: ${row.unused!(answers)}`);
}

/**
 * A validator's message as a prompt shows it: the value named in the prompt's words ("The lock/PID file
 * must be ..."), and another convention by its flag only when it was given as a flag, else by its words.
 */
export function promptProblem(p: Problem, given: Given): string {
  const bare = p.row.flag ?? p.row.key;
  const subject = p.message.startsWith(`${bare} `) || p.message.startsWith(`${bare}'s `);
  const text = subject ? `${p.row.noun}${p.message.slice(bare.length)}` : p.message;
  const worded = nameUngiven(text, /--([a-z][a-z-]*)/g, undefined, given, (row) => row.noun);
  return worded.charAt(0).toUpperCase() + worded.slice(1);
}

/** Answers in table order, for a deterministic .yo-rc.json. */
export function ordered(answers: Answers): Answers {
  return Object.fromEntries(CONVENTIONS.map((row) => [row.key, answers[row.key]])) as unknown as Answers;
}
