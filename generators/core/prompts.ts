// Prompts derived from the conventions table: one per convention that no flag gave, in table order,
// validated by the same functions as the flags.
import type { Answers } from './conventions.js';
import { CONVENTIONS } from './conventions.js';
import type { Given } from './answers.js';
import { completeAnswers, promptProblem } from './answers.js';

type Asked = Record<string, unknown>;

/** Checkbox answers may arrive as values or as choice objects, depending on the prompt library. */
const values = (v: unknown): string[] =>
  (Array.isArray(v) ? v : []).map((x) =>
    typeof x === 'object' && x !== null && 'value' in x ? String(x.value) : String(x),
  );

/** Answers so far (flags + earlier prompts) with defaults filled, for `when`, `default` and `validate`. */
const soFar = (given: Given, asked: Asked): Partial<Answers> => completeAnswers({ ...given, ...(asked as Given) });

/**
 * The questions for what `given` lacks. A message names another convention by its flag only when
 * `flags` (the command line's) gave it: answers from earlier prompts are named in words.
 */
export function questionsFor(given: Given, flags: Given = given) {
  return CONVENTIONS.filter((row) => !row.recorded && given[row.key] === undefined).map((row) => ({
    type: row.kind === 'text' ? 'input' : row.kind,
    name: row.key,
    message: row.message,
    ...(row.choices
      ? {
          choices: (asked: Asked) =>
            (row.choicesFor?.(soFar(given, asked)) ?? row.choices!).map((c) => ({ name: c, value: c })),
        }
      : {}),
    ...(row.kind === 'select' ? { pageSize: 10 } : {}),
    when: (asked: Asked) => row.when?.(soFar(given, asked)) ?? true,
    default: (asked: Asked) => row.default(soFar(given, asked)),
    ...(row.kind === 'checkbox' || row.kind === 'confirm'
      ? {}
      : { filter: (input: unknown) => (typeof input === 'string' ? input.trim() : input) }),
    validate: (input: unknown, asked: Asked = {}) => {
      const value =
        row.kind === 'checkbox' ? values(input) : row.kind === 'confirm' ? Boolean(input) : String(input ?? '').trim();
      const result = row.validate(value, { ...soFar(given, asked), [row.key]: value });
      return result === true ? true : promptProblem({ row, message: result }, flags);
    },
  }));
}
