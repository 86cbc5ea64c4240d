// The start order's table names real test files: a renamed file would silently lose its rank.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';
import { SECONDS } from '../support/sequencer.js';

it('every file the sequencer ranks exists', () => {
  const missing = Object.keys(SECONDS).filter((f) => !existsSync(join(ROOT, f)));
  expect(missing).toEqual([]);
});
