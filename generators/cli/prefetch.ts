// Start a run's pure work before yeoman loads. Rendering and formatting depend on the answers alone, and
// with --yes (or inside a project, for units) the answers are known as soon as the flags are: the files
// are rendered now and Prettier formats them in its worker (core/format.ts), on the other core, while
// this thread loads yeoman. The generator then makes the same calls and shares these results (both
// functions keep one result per input), so what is written is exactly what it would be without this.
// Nothing here reports: an error comes again from the generator's own call, and is reported there.
import type { Given } from '../core/answers.js';
import { ordered } from '../core/answers.js';
import type { Answers } from '../core/conventions.js';
import { formatIfPretty, startFormatter } from '../core/format.js';
import { renderFiles } from '../core/render.js';
import { findProjectRoot, loadSaved, newSavedText, YO_RC } from '../core/saved.js';
import { applyFlags, savedAnswers } from '../units/regenerate.js';

const quietly = (work: () => Promise<unknown>): void => {
  Promise.resolve()
    .then(work)
    .catch(() => {});
};

/** `create-daemon NAME --yes` into a new directory: every file, and the .yo-rc.json yeoman will write. */
export function prefetchApp(answers: Answers): void {
  startFormatter();
  const saved = ordered(answers);
  quietly(() => renderFiles(saved));
  quietly(() => formatIfPretty(YO_RC, newSavedText(saved)));
}

export { startFormatter };

/** `create-daemon units` from cwd: init/ as the saved answers and as the flags make it. */
export function prefetchUnits(cwd: string, given: Given): void {
  startFormatter();
  quietly(async () => {
    const saved = savedAnswers(loadSaved(findProjectRoot(cwd)));
    await Promise.all([renderFiles(saved, ['init']), renderFiles(applyFlags(saved, given).answers, ['init'])]);
  });
}
