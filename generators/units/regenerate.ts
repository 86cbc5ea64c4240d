// What `units` can and cannot change. It re-renders init/ only, while some answers also shaped the C
// sources (the compiled-in pid file, the privilege drop): when a flag needs those to change too, say so,
// with the one command that regenerates the whole project from the answers the user really chose.
import { completeAnswers, describeProblem, type Given, ordered, type Problem, problems } from '../core/answers.js';
import { YO_RC } from '../core/saved.js';
import { type Answers, CONVENTIONS, type Key } from '../core/conventions.js';
import { UsageError } from '../core/errors.js';
import { shWord } from '../core/escape.js';

/** The saved answers that were chosen, not defaulted: a default follows the other answers when they change. */
export function explicit(saved: Answers): Given {
  const out: Given = { name: saved.name };
  for (const row of CONVENTIONS) {
    const value = saved[row.key];
    const fallback = row.default(saved);
    if (JSON.stringify(value) !== JSON.stringify(fallback)) out[row.key] = value;
  }
  return out;
}

const savedPhrase = (p: Problem): string =>
  describeProblem(p).replace(/^(--[\w-]+|name)(:)?/, (f) => `saved ${f.replace(/^--/, '')}`);

/** The answers in .yo-rc.json, completed and checked; a bad one is named as saved, not as a flag. */
export function savedAnswers(saved: Given): Answers {
  const answers = ordered(completeAnswers(saved));
  const found = problems(answers);
  if (found.length > 0) throw new UsageError(`${YO_RC} holds an invalid answer: ${found.map(savedPhrase).join('; ')}`);
  return answers;
}

/**
 * The app's command line that regenerates the project in place from these answers. Without --force: run
 * in a terminal it asks before overwriting each edited file (src/echo.c, say); without one it refuses the
 * non-empty directory. --force would overwrite every edit without a word.
 */
export function commandFor(given: Given): string {
  const flags = CONVENTIONS.filter((row) => row.flag && given[row.key] !== undefined && given[row.key] !== false).map(
    (row) => {
      const value = given[row.key]!;
      if (value === true) return `--${row.flag}`;
      return `--${row.flag} ${shWord(Array.isArray(value) ? value.join(',') : String(value))}`;
    },
  );
  return ['create-daemon', given.name as string, '--dir', '.', ...flags].join(' ');
}

/** Said after the command, on the same line. */
const ASKS = '(in a terminal; it asks before overwriting each file you edited)';

/** Answers that also shape the daemon's own sources, which `units` never touches. */
const SOURCE_SHAPING: Partial<Record<Key, string>> = {
  user: 'the privilege drop (helper/privdrop.c)',
  scope: 'the pid file default',
};

/**
 * The saved answers with the flags applied. A flag that only init/ follows is fine; a flag whose
 * consequences the saved, compiled-in answers contradict is refused with the regenerating command.
 * A flag that changes an answer the C sources also follow comes back with a note (the caller says it).
 */
export function applyFlags(savedAnswers: Answers, flags: Given): { answers: Answers; note?: string } {
  const answers = ordered(completeAnswers({ ...savedAnswers, ...flags }));
  const found = problems(answers);
  const fromSaved = found.filter((p) => flags[p.row.key] === undefined);
  // The command leaves out the saved answers the flags contradict: they take their defaults for
  // the new answers (a fleet dropped for --scope user), instead of a command that is refused too.
  const kept = explicit(savedAnswers);
  for (const p of fromSaved) delete kept[p.row.key];
  const regenerate = commandFor({ ...kept, ...flags });
  if (fromSaved.length > 0) {
    const given = Object.keys(flags).map((k) => `--${CONVENTIONS.find((r) => r.key === k)?.flag ?? k}`);
    throw new UsageError(
      `${given.join(' ')} does not fit the saved answers, which are compiled into the daemon: ` +
        `${fromSaved.map(savedPhrase).join('; ')}; ` +
        `units cannot change that; regenerate the project with: ${regenerate} ${ASKS}`,
    );
  }
  if (found.length > 0) throw new UsageError(found.map((p) => describeProblem(p)).join('\n'));
  const changed = (Object.keys(SOURCE_SHAPING) as Key[]).filter((k) => savedAnswers[k] !== answers[k]);
  if (changed.length === 0) return { answers };
  const what = changed.map((k) => `--${k} also shapes ${SOURCE_SHAPING[k]}`).join('; ');
  return {
    answers,
    note: `${what}, which units leaves alone; to regenerate the whole project, run: ${regenerate} ${ASKS}`,
  };
}

/**
 * The sources record to save with `answers` (core/saved.ts): for each answer that differs from what the
 * project outside init/ was generated from, that value. `prior` is the record already saved, which
 * holds what an earlier `units` changed; an answer changed back to its generated value leaves it.
 */
export function sourcesRecord(saved: Answers, answers: Answers, prior: Given): Given {
  const out: Given = {};
  for (const row of CONVENTIONS) {
    const generated = row.key in prior ? prior[row.key] : saved[row.key];
    if (JSON.stringify(generated) !== JSON.stringify(answers[row.key])) out[row.key] = generated;
  }
  return out;
}
