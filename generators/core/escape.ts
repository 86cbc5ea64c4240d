// Escaping for each target language. Templates interpolate these results raw (<%- %>), so every
// user-supplied string reaches a file only through one of these functions, chosen by the file's language.

/** A C string literal, quotes included. Octal escapes (at most three digits) cannot swallow the next character. */
export function cString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    // "?" is escaped so that no "??x" trigraph forms under -std=c11.
    else if (ch === '?') out += '\\?';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** One POSIX shell word: single-quoted, with each ' closed, escaped and reopened. */
export function shWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Text inside a double-quoted shell string: only \\, $, " and ` are special there (POSIX 2.2.3). */
export function dqText(value: string): string {
  return value.replace(/[\\$"`]/g, (c) => `\\${c}`);
}

/** XML character data or attribute value. */
export function xmlText(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** One line of plain text: newlines and other control characters folded to single spaces. */
export function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** A systemd unit value: one line, "%" specifiers doubled, no trailing "\" (a line continuation). */
export function unitValue(value: string): string {
  return oneLine(value).replace(/%/g, '%%').replace(/\\+$/, '');
}

/** Markdown inline text: one line, with every character that could start markup backslash-escaped. */
export function mdText(value: string): string {
  return oneLine(value).replace(/[\\`*_{}[\]<>()#+\-.!|&~]/g, (c) => `\\${c}`);
}
