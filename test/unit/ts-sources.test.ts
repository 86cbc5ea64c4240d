// The TypeScript daemon's file list (generators/core/ts-sources.ts) is declarative: it must name
// exactly the files of templates/project/ts/src, so that none is left out of a project or listed
// without a template.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TS_SOURCES } from '../../generators/core/ts-sources.js';

describe('TS_SOURCES', () => {
  it('lists every file of templates/project/ts/src, and only those', () => {
    const dir = new URL('../../templates/project/ts/src/', import.meta.url);
    expect([...TS_SOURCES].sort()).toEqual(readdirSync(dir).sort());
  });
});
