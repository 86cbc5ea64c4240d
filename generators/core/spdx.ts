// The license header of every emitted source file: one SPDX-License-Identifier comment (spdx.dev,
// "Handling license info"; the REUSE specification), in the comment syntax of the file's language,
// as its first line, or its second after a #! line or an XML declaration. Documentation, data and
// settings files (Markdown, JSON, LICENSE, the config and debian/'s control files) take none: the
// LICENSE file and debian/copyright cover them.
import { posix } from 'node:path';

type Style = 'c' | 'slashes' | 'hash' | 'xml' | 'roff';

function styleOf(path: string): Style | undefined {
  const base = posix.basename(path);
  if (/\.[ch]$/.test(base)) return 'c';
  if (/\.ts$/.test(base)) return 'slashes';
  if (/\.plist$/.test(base)) return 'xml';
  if (/\.\d$/.test(base)) return 'roff';
  if (path.startsWith('debian/') && base !== 'rules') return undefined;
  if (
    /\.(sh|mk|service|spec|yml|yaml|hcl|default)$/.test(base) ||
    ['Makefile', 'rules', 'Containerfile'].includes(base)
  )
    return 'hash';
  // The init scripts and runit's run files: shell scripts without an extension.
  if (path.startsWith('init/') && !/\.(md|plist)$/.test(base)) return 'hash';
  return undefined;
}

const COMMENT: Record<Style, (text: string) => string> = {
  c: (t) => `/* ${t} */`,
  slashes: (t) => `// ${t}`,
  hash: (t) => `# ${t}`,
  xml: (t) => `<!-- ${t} -->`,
  roff: (t) => `.\\" ${t}`,
};

/** contents with `spdx` (the "SPDX-License-Identifier: ..." text) as its license comment; unchanged when empty. */
export function withSpdx(path: string, contents: string, spdx: string): string {
  const style = styleOf(path);
  if (!spdx || !style) return contents;
  const line = `${COMMENT[style](spdx)}\n`;
  const first = /^(#!|<\?xml)[^\n]*\n/.exec(contents);
  return first ? first[0] + line + contents.slice(first[0].length) : line + contents;
}
