// A small C function-body extractor for the starter tests: finds a function definition by name
// (the name and "(" at the start of a line, the return type on the line before, as style(9)
// lays them out), and its body by matching braces, skipping comments, strings and character
// constants. Enough for the emitted code, which is written in that style; not a C parser.

export interface CFunction {
  readonly name: string;
  /** Offsets of the body's "{" and one past its matching "}". */
  readonly start: number;
  readonly end: number;
  /** The text between the braces. */
  readonly body: string;
}

/** Skips a comment, string or character constant starting at i; returns the index after it, or i. */
function skipLexeme(src: string, i: number): number {
  if (src.startsWith('/*', i)) {
    const e = src.indexOf('*/', i + 2);
    return e === -1 ? src.length : e + 2;
  }
  if (src.startsWith('//', i)) {
    const e = src.indexOf('\n', i);
    return e === -1 ? src.length : e;
  }
  const q = src[i];
  if (q === '"' || q === "'") {
    let j = i + 1;
    while (j < src.length && src[j] !== q) j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  return i;
}

/** Index one past the bracket that closes the one at open ("(" or "{"). */
function matchClose(src: string, open: number): number {
  const o = src[open]!;
  const c = o === '(' ? ')' : '}';
  let depth = 0;
  for (let i = open; i < src.length;) {
    const next = skipLexeme(src, i);
    if (next !== i) {
      i = next;
      continue;
    }
    if (src[i] === o) depth++;
    else if (src[i] === c && --depth === 0) return i + 1;
    i++;
  }
  throw new Error(`unbalanced ${o} at offset ${open}`);
}

/** Every function definition in src, in order. */
export function cFunctions(src: string): CFunction[] {
  const found: CFunction[] = [];
  // A definition: an identifier and "(" at the start of a line, after a return-type line.
  const re = /^([A-Za-z_]\w*)\(/gm;
  for (let m = re.exec(src); m !== null; m = re.exec(src)) {
    const before = src.slice(0, m.index).replace(/\n$/, '');
    const typeLine = before.slice(before.lastIndexOf('\n') + 1);
    if (!/^[A-Za-z_][\w\s*]*$/.test(typeLine) || /^(return|else|do)\b/.test(typeLine)) continue;
    const params = m.index + m[1]!.length;
    let i = matchClose(src, params);
    while (/\s/.test(src[i] ?? '')) i++;
    if (src[i] !== '{') continue; // a prototype
    const end = matchClose(src, i);
    found.push({ name: m[1]!, start: i, end, body: src.slice(i + 1, end - 1) });
    re.lastIndex = end;
  }
  return found;
}

/** The function called name in src; throws if there is none. */
export function cFunction(src: string, name: string): CFunction {
  const f = cFunctions(src).find((x) => x.name === name);
  if (f === undefined) throw new Error(`no definition of ${name}() found`);
  return f;
}

/** src with the body of function name replaced by body (the text between the braces). */
export function spliceBody(src: string, name: string, body: string): string {
  const f = cFunction(src, name);
  return `${src.slice(0, f.start + 1)}${body}${src.slice(f.end - 1)}`;
}

/** Code without comments and with all white space removed: for "does A contain B" questions. */
export function squeeze(code: string): string {
  let out = '';
  for (let i = 0; i < code.length;) {
    const next = skipLexeme(code, i);
    if (next !== i) {
      if (code[i] === '"' || code[i] === "'") out += code.slice(i, next);
      i = next;
      continue;
    }
    out += code[i];
    i++;
  }
  return out.replace(/\s+/g, '');
}
