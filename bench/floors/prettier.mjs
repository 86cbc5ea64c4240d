// Floor 2: the least that formatting create-daemon's emitted README costs in a fresh process: Prettier's
// standalone core and Markdown plugin (the same modules the bundle carries), formatting the README of a
// project that bench/scaffold.mjs generated, with create-daemon's options. Nothing else.
//
//   node bench/floors/prettier.mjs PROJECT_DIR
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier/standalone';
import * as markdown from 'prettier/plugins/markdown';

const file = join(process.argv[2], 'README.md');
const text = await format(readFileSync(file, 'utf8'), {
  parser: 'markdown',
  plugins: [markdown],
  proseWrap: 'preserve',
});
writeFileSync(join(process.cwd(), 'README.md'), text);
