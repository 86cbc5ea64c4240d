// The RPM spec's own text fields (templates/rpm/spec), computed once: rpm expands macros in
// every line of a spec, so each user-supplied string goes through specText ("%" doubled).
import { posix } from 'node:path';
import type { Answers } from './conventions.js';
import { oneLine, specText } from './escape.js';

/**
 * %description's lines: the words of text in lines of at most width columns. rpm expands each line
 * before it looks at it, so a line must not start with "%" (an expanded "%%files" starts a section)
 * or "#" (a comment, dropped): such a word stays on the line before, and a first word of that kind
 * follows the daemon's name.
 */
export function descriptionLines(name: string, text: string, width = 79): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  if (/^[%#]/.test(words[0] ?? '')) words.unshift(`${name}:`);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > width && !/^[%#]/.test(word)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : [];
}

export function rpmFields(a: Answers) {
  const text = oneLine(a.description);
  // rpmlint: a Summary starts with a capital letter and does not end with a period.
  const summary = (text.charAt(0).toUpperCase() + text.slice(1)).replace(/\.+$/, '');
  const configDir = posix.dirname(a.config);
  return {
    summary: specText(summary || a.name),
    // Wrapped before escaping, so that a "%%" is never split; rpmlint wants lines under 80 columns.
    description: descriptionLines(a.name, text).map(specText),
    maintainer: specText(a.maintainer),
    // SPDX: an unlicensed project's code is proprietary (LicenseRef- is SPDX's form for a name
    // outside its list).
    license: a.license === 'none' ? 'LicenseRef-Proprietary' : a.license,
    config: specText(a.config),
    // The config's own directory (/etc/NAME/), owned by the package; /etc itself is not.
    configDir: configDir === '/etc' ? '' : specText(configDir),
    // RPM distributions start services with systemd; SysV's script is packaged only without it.
    init: a.init.includes('systemd') ? ('systemd' as const) : ('sysv' as const),
  };
}
