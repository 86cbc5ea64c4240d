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

/** RPM spec text: one line, "%" doubled so that rpm expands no macro in it (rpm.org, "Macro syntax"). */
export function specText(value: string): string {
  return oneLine(value).replace(/%/g, '%%');
}

/** Markdown inline text: one line, with every character that could start markup backslash-escaped. */
export function mdText(value: string): string {
  return oneLine(value).replace(/[\\`*_{}[\]<>()#+\-.!|&~]/g, (c) => `\\${c}`);
}

/**
 * roff text (man pages): one line, ASCII only. "\" becomes "\e" and any other character outside
 * ASCII "\[uXXXX]" (mandoc and groff alike); a "." or "'" that would start the line, making it a
 * request or a macro, is put behind the zero-width "\&".
 */
export function roffText(value: string): string {
  let out = '';
  for (const ch of oneLine(value)) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\e';
    else if (code > 0x7e) out += `\\[u${code.toString(16).toUpperCase().padStart(4, '0')}]`;
    else out += ch;
  }
  return out.replace(/^[.']/, '\\&$&');
}

/**
 * One mdoc macro argument (the text of .Nd): quoted, so that it stays one argument, with "\(dq"
 * for '"', and behind "\&", so that no word of it is read as a macro name or a delimiter.
 */
export function roffArg(value: string): string {
  return `"\\&${roffText(value).replace(/^\\&/, '').replace(/"/g, '\\(dq')}"`;
}

/** A Markdown code span holding value as it is: fenced by one backtick more than the longest run inside (CommonMark 6.1). */
export function mdCode(value: string): string {
  const longest = Math.max(0, ...(oneLine(value).match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^`|`$/.test(value) ? ' ' : '';
  return `${fence}${pad}${oneLine(value)}${pad}${fence}`;
}
