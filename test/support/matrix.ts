// The test matrix, derived from the conventions table: every choice of every select row once (the
// others at their defaults), every init system alone and all together, and reload x payload x user.
import type { Given } from '../../generators/core/answers.js';
import { CONVENTIONS, INIT_SYSTEMS, PAYLOAD, RELOAD } from '../../generators/core/conventions.js';

export interface Cell {
  readonly title: string;
  readonly given: Given;
}

export function optionMatrix(): Cell[] {
  const cells: Cell[] = [{ title: 'defaults', given: {} }];
  for (const row of CONVENTIONS.filter((r) => r.kind === 'select' && r.key !== 'facility')) {
    for (const choice of row.choices ?? [])
      cells.push({ title: `${row.flag}=${choice}`, given: { [row.key]: choice } });
  }
  for (const system of INIT_SYSTEMS) cells.push({ title: `init=${system}`, given: { init: [system] } });
  cells.push({ title: 'init=all', given: { init: [...INIT_SYSTEMS] } });
  cells.push({ title: 'facility=local3', given: { facility: 'local3' } });
  return cells;
}

/** reload x payload x (with and without --user): the cells the emitted-daemon tests build and run. */
export function daemonMatrix(user = 'nobody'): Cell[] {
  return RELOAD.flatMap((reload) =>
    PAYLOAD.flatMap((payload) =>
      [false, true].map((withUser) => ({
        title: `reload=${reload} payload=${payload}${withUser ? ` user=${user}` : ''}`,
        given: { reload, payload, ...(withUser ? { user } : {}) },
      })),
    ),
  );
}

/**
 * Half of daemonMatrix(): the four cells in which every pair of values of any two of reload, payload
 * and user occurs (an orthogonal array). A suite whose cells differ only by which emitted files they
 * compile and run (every file of every shape is in some cell) runs these rather than all eight.
 */
export function pairwiseMatrix(user = 'nobody'): Cell[] {
  return daemonMatrix(user).filter(
    (c) => ((c.given.reload === 'single') === (c.given.payload === 'tick')) === (c.given.user === undefined),
  );
}
