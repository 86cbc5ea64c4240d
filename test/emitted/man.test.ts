// The emitted man pages, NAME(8) and NAME.conf(5), in mdoc: mandoc -Tlint passes them and man(1)
// renders them, in a representative set of answer cells. They share the README's source of truth,
// the rendered code: every option of main.c's getopt string, every key the config parser accepts
// (with its default and limits) and every exit status the code defines must be on the page, in
// its mdoc form, and the page may document nothing else. Rendering is pure, so no daemon runs;
// one real `make install` proves the installed pages carry the Makefile's RELEASED as their date.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAnswers, type Given, ordered } from '../../generators/core/answers.js';
import { releaseDates } from '../../generators/core/context.js';
import { oneLine, roffArg, roffText } from '../../generators/core/escape.js';
import { renderFiles } from '../../generators/core/render.js';
import { keepTmp, tempDir } from '../support/cli.js';
import { generateProject, make } from '../support/project.js';
import { itWith } from '../support/tools.js';

/** Quotes, "$", backslashes, "<", a leading ".", a macro name, delimiters, two sentences, non-ASCII. */
const HOSTILE = `.Ar "quoted" it's $HOME \\fB back\\slash <b> (x) , . Ends here. Next: é 😀\n'second line`;

const CELLS: readonly { title: string; given: Given }[] = [
  { title: 'C, tick (the defaults)', given: { name: 'myd' } },
  {
    title: 'C, echo, --user daemon, a hostile description',
    given: { name: 'myd', payload: 'echo', user: 'daemon', description: HOSTILE },
  },
  { title: 'TypeScript, tick', given: { name: 'myd', lang: 'typescript' } },
  { title: 'TypeScript, echo, multi', given: { name: 'myd', lang: 'typescript', payload: 'echo', reload: 'multi' } },
  { title: 'the starter, without systemd', given: { name: 'myd', starter: true, init: 'sysv,runit' } },
  // A name that sorts after systemd.service(5): SEE ALSO's order is one mandoc checks.
  { title: '--scope user, echo', given: { name: 'zz-top', scope: 'user', payload: 'echo' } },
];

/** The lines of an mdoc page's section, from its .Sh to the next one. */
function section(page: string, name: string): string[] {
  const lines = page.split('\n');
  const at = lines.indexOf(`.Sh ${name}`);
  if (at === -1) return [];
  const end = lines.findIndex((l, i) => i > at && l.startsWith('.Sh '));
  return lines.slice(at + 1, end === -1 ? undefined : end);
}

/** The list item whose .It line matches head, to the next .It or .El, as one line of text. */
function item(lines: readonly string[], head: RegExp): string | undefined {
  const at = lines.findIndex((l) => head.test(l));
  if (at === -1) return undefined;
  const end = lines.findIndex((l, i) => i > at && /^\.(It|El)\b/.test(l));
  return lines.slice(at, end === -1 ? undefined : end).join(' ');
}

const flat = (lines: readonly string[]): string => lines.join(' ').replace(/\s+/g, ' ');

/** main.c's options, from its getopt() call: each letter, and whether it takes an argument. */
function getoptOptions(mainC: string): { letter: string; arg: boolean }[] {
  const m = /getopt\(argc, argv, "([^"]+)"\)/.exec(mainC);
  if (!m) throw new Error('main.c has no getopt(argc, argv, "...") call');
  return [...m[1]!.matchAll(/([A-Za-z0-9])(:?)/g)].map(([, letter, colon]) => ({
    letter: letter!,
    arg: colon === ':',
  }));
}

type Files = ReadonlyMap<string, string>;
const file = (files: Files, path: string): string => {
  const text = files.get(path);
  if (text === undefined) throw new Error(`${path} is not generated for these answers`);
  return text;
};

/** The keys the rendered parser accepts: C's config_keys[], or config.ts's KEYS for defaults.ts's PAYLOAD. */
function configKeys(files: Files, ts: boolean): string[] {
  const quoted = (s: string) => [...s.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!);
  if (!ts) return quoted(/config_keys\[\] = \{([^}]*)\}/.exec(file(files, 'src/config.c'))![1]!);
  const payload = /PAYLOAD: [^=]+= "(\w+)"/.exec(file(files, 'src/defaults.ts'))![1]!;
  const table = /const KEYS[^=]*= \{([^}]*)\}/.exec(file(files, 'src/config.ts'))![1]!;
  return quoted(new RegExp(`${payload}: \\[([^\\]]*)\\]`).exec(table)![1]!);
}

/** A numeric constant of the rendered parser: C's CONFIG_<name> in src/config.h, or config.ts's <name>. */
function limit(files: Files, ts: boolean, name: string): number | undefined {
  const m = ts
    ? new RegExp(`^export const ${name} = ([^;]+);`, 'm').exec(file(files, 'src/config.ts'))
    : new RegExp(`^#define\\s+CONFIG_${name}\\s+([^/\\n]+)`, 'm').exec(file(files, 'src/config.h'));
  if (!m) return undefined;
  const factors = m[1]!.replace(/[()]/g, '').split('*');
  return factors.reduce((product, f) => {
    const t = f.trim().replace(/[UL]+$/, '');
    return product * (/^0o?[0-7]+$/.test(t) && t !== '0' ? parseInt(t.replace(/^0o?/, ''), 8) : Number(t));
  }, 1);
}

/** How each limit of the parser is written on NAME.conf(5): in a key's item, or anywhere in DESCRIPTION. */
const LIMITS: readonly { name: string; key?: string; text: (v: number) => string }[] = [
  { name: 'LINE_MAX', text: (v) => `at most ${v} bytes` },
  { name: 'FILE_MAX', text: (v) => `at most ${v} bytes` },
  { name: 'INTERVAL_MAX', key: 'interval', text: (v) => `from 1 to ${v}` },
  { name: 'SOCKET_MODE', key: 'socket_mode', text: (v) => `The default is 0${v.toString(8)}.` },
  { name: 'CLIENTS', key: 'max_clients', text: (v) => `The default is ${v}.` },
  { name: 'CLIENTS_MAX', key: 'max_clients', text: (v) => `from 1 to ${v}` },
  { name: 'BUFFERED', key: 'max_buffered', text: (v) => `The default is ${v / 1024 / 1024}M.` },
  { name: 'BUFFERED_MIN', key: 'max_buffered', text: (v) => `from ${v / 1024}K` },
  { name: 'BUFFERED_MAX', key: 'max_buffered', text: (v) => `to ${v / 1024 / 1024}M` },
  { name: 'SHARE_MIN', key: 'max_buffered', text: (v) => `at least ${v} bytes for each` },
];

/** Every exit status the rendered code defines, and where. */
function exitCodes(files: Files, ts: boolean): Map<number, string> {
  const codes = new Map<number, string>([[0, 'success']]);
  const add = (path: string, re: RegExp) => {
    for (const m of file(files, path).matchAll(re)) codes.set(Number(m[2]), `${m[1]} in ${path}`);
  };
  add('helper/exitcodes.h', /^#define\s+(\w+)\s+(\d+)/gm);
  if (ts) {
    // The helper's own (a sysexits.h value, so commented "EX_..."), and Node's.
    add('native/child.h', /^#define\s+(\w+)\s+(\d+)\s+\/\*\s*EX_/gm);
    add('src/main.ts', /^const (EXIT_\w+) = (\d+);/gm);
  }
  return codes;
}

/**
 * mandoc -Tlint's findings, run in the directory of the page's partner, so that their .Xr to each
 * other are checked too (mandoc looks for NAME.SECTION in the working directory last). Two lines
 * depend on the machine, not on the page, and are left out for the other packages' manuals only:
 * "referenced manual not found" (sd_notify(3) comes with libsystemd-dev; slim images have no man
 * pages at all) and "outdated mandoc.db lacks" (a page found without mandoc's database: Debian
 * indexes with man-db). The exit status is 1 exactly when such a manual is missing.
 */
function lint(
  page: string,
  cwd: string,
  own: readonly string[],
): { findings: string[]; status: number | null; missing: boolean } {
  const r = spawnSync('mandoc', ['-Tlint', page], { cwd, encoding: 'utf8' });
  const lines = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l !== '');
  const other = (name: string, sec: string) => !own.includes(`${name}(${sec})`);
  let missing = false;
  const findings = lines.filter((l) => {
    const db = /: outdated mandoc\.db lacks (\S+)\((\w+)\) entry/.exec(l);
    if (db) return !other(db[1]!, db[2]!);
    const xr = /: STYLE: referenced manual not found: Xr (\S+) (\w+)( \(\d+ times\))?$/.exec(l);
    if (xr && other(xr[1]!, xr[2]!)) return !(missing = true);
    return true;
  });
  return { findings, status: r.status, missing };
}

const root = tempDir('cd-man-');
afterAll(() => {
  if (!keepTmp) rmSync(root, { recursive: true, force: true });
});

describe('roffText and roffArg', () => {
  it("escape backslashes, a leading . or ', quotes, macro names and non-ASCII", () => {
    expect(roffText('.TH x\\y\nz')).toBe('\\&.TH x\\ey z');
    expect(roffText("'x")).toBe("\\&'x");
    expect(roffText('é 😀')).toBe('\\[u00E9] \\[u1F600]');
    expect(roffArg('Ar "x" (')).toBe('"\\&Ar \\(dqx\\(dq ("');
    expect(roffArg('.x')).toBe('"\\&.x"');
  });
});

for (const cell of CELLS) {
  describe(`man pages: ${cell.title}`, () => {
    const answers = ordered(completeAnswers(cell.given));
    const ts = answers.lang === 'typescript';
    const name = answers.name;
    const own = [`${name}(8)`, `${name}.conf(5)`];
    const dir = join(root, cell.title.replace(/[^a-z0-9]+/gi, '-'));
    let files: Files = new Map();
    let page8 = '';
    let page5 = '';

    beforeAll(async () => {
      files = new Map((await renderFiles(answers)).map((f) => [f.path, f.contents]));
      page8 = file(files, `man/${name}.8`);
      page5 = file(files, `man/${name}.conf.5`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.8`), page8);
      writeFileSync(join(dir, `${name}.conf.5`), page5);
    });

    it("documents every option of main.c's getopt string, and no other", () => {
      const options = getoptOptions(file(files, ts ? 'native/main.c' : 'src/main.c'));
      const synopsis = section(page8, 'SYNOPSIS');
      const flags = synopsis.flatMap((l) => /^\.Op Fl ([A-Za-z0-9]+)$/.exec(l)?.[1]?.split('') ?? []);
      for (const { letter, arg } of options) {
        expect(page8, `-${letter} in DESCRIPTION`).toMatch(
          new RegExp(`^\\.It Fl ${letter}${arg ? ' Ar \\w+' : ''}$`, 'm'),
        );
        if (arg)
          expect(synopsis, `-${letter} in SYNOPSIS`).toContainEqual(
            expect.stringMatching(`^\\.Op Fl ${letter} Ar \\w+$`),
          );
        else expect(flags, `-${letter} in SYNOPSIS`).toContain(letter);
      }
      const documented = [...page8.matchAll(/^\.It Fl (\S+)/gm)].map((m) => m[1]);
      expect(documented.sort()).toEqual(options.map((o) => o.letter).sort());
    });

    it('documents every key the config parser accepts, with its default and limits, and no other', () => {
      const keys = configKeys(files, ts);
      expect(keys.length).toBeGreaterThan(0);
      const list = section(page5, 'DESCRIPTION');
      for (const key of keys) expect(list, key).toContainEqual(expect.stringMatching(`^\\.It Cm ${key}( |$)`));
      expect([...page5.matchAll(/^\.It Cm (\S+)/gm)].map((m) => m[1]).sort()).toEqual([...keys].sort());
      // The defaults, as the shipped etc/NAME.conf writes them ("#key = value" when commented out).
      const shipped = file(files, `etc/${name}.conf`);
      for (const key of keys) {
        const value = new RegExp(`^#?${key} = (.+)$`, 'm').exec(shipped)?.[1];
        expect(value, `etc/${name}.conf sets ${key}`).toBeDefined();
        expect(item(list, new RegExp(`^\\.It Cm ${key}( |$)`)), `${key}'s default`).toContain(value);
      }
      for (const { name: constant, key, text } of LIMITS) {
        const value = limit(files, ts, constant);
        if (key !== undefined && !keys.includes(key)) continue;
        expect(value, `the parser's ${constant}`).toBeDefined();
        const where = key === undefined ? flat(list) : flat([item(list, new RegExp(`^\\.It Cm ${key}( |$)`))!]);
        expect(where, `${constant} = ${value} on ${name}.conf(5)`).toContain(text(value!));
      }
    });

    it('lists every exit status the code defines under EXIT STATUS, and no other', () => {
      const codes = exitCodes(files, ts);
      const status = section(page8, 'EXIT STATUS');
      for (const [code, where] of codes) expect(status, `${code} (${where})`).toContain(`.It ${code}`);
      const listed = status.flatMap((l) => /^\.It (\S+)$/.exec(l)?.[1] ?? []);
      expect(listed.map(Number).sort((x, y) => x - y)).toEqual([...codes.keys()].sort((x, y) => x - y));
      if (ts) {
        const child = file(files, 'native/child.h');
        const sec = (n: string) => /^#define\s+\S+\s+(\d+)/m.exec(child.slice(child.indexOf(`#define ${n}`)))![1];
        expect(flat(page8.split('\n')), 'CHILD_STOP_SEC').toContain(`at most ${sec('CHILD_STOP_SEC')} seconds`);
        expect(flat(page8.split('\n')), 'CHILD_READY_SEC').toContain(`within ${sec('CHILD_READY_SEC')} seconds`);
      }
    });

    itWith(['mandoc'])('passes mandoc -Tlint: no error, warning or style message', () => {
      for (const page of [`${name}.8`, `${name}.conf.5`]) {
        const r = lint(join(dir, page), dir, own);
        expect(r.findings, page).toEqual([]);
        expect(r.status, page).toBe(r.missing ? 1 : 0);
      }
    });

    itWith(['man'])('renders with man -l, the description as given', () => {
      for (const page of [`${name}.8`, `${name}.conf.5`]) {
        // Wide enough that no line wraps (groff hyphenates); the seccomp sandbox fails in some containers.
        const r = spawnSync('man', ['-l', '-P', 'cat', join(dir, page)], {
          encoding: 'utf8',
          env: { ...process.env, MANWIDTH: '1000', LC_ALL: 'C.UTF-8', MAN_DISABLE_SECCOMP: '1' },
        });
        expect(r.stderr, page).toBe('');
        expect(r.status, page).toBe(0);
        const text = r.stdout.replace(/.\x08/g, '');
        expect(text).toMatch(/^NAME$/m);
        expect(text).toMatch(/^SEE ALSO$/m);
        const nameLine = text.split('\n')[text.split('\n').indexOf('NAME') + 1]!.trim();
        const what = page.endsWith('.8') ? oneLine(answers.description) : `configuration file for ${name}`;
        expect(nameLine).toBe(`${basename(page).replace(/\.\d$/, '')} — ${what}`);
      }
    });
  });
}

itWith(['make', 'cc', 'mandoc'])("make install dates both pages with the Makefile's RELEASED, still lint-clean", () => {
  const dir = generateProject([], 'myd');
  // Another day than the one the pages were rendered with (past: mandoc warns about a future one), with a leading zero.
  const makefile = join(dir, 'Makefile');
  writeFileSync(makefile, readFileSync(makefile, 'utf8').replace(/^RELEASED =.*$/m, 'RELEASED =\t2021-02-09'));
  const stage = join(dir, 'stage');
  make(dir, ['install', `DESTDIR=${stage}`, 'INIT_SYSTEMS=']);
  const released = /^RELEASED =\s*(\S+)$/m.exec(readFileSync(makefile, 'utf8'))![1]!;
  const dd = `.Dd ${releaseDates(released).mdoc}`;
  expect(dd).toBe('.Dd February 9, 2021');
  const installed = [join(stage, 'usr/local/share/man/man8/myd.8'), join(stage, 'usr/local/share/man/man5/myd.conf.5')];
  for (const [i, path] of installed.entries()) {
    const page = readFileSync(path, 'utf8');
    expect(page.split('\n').filter((l) => l.startsWith('.Dd'))).toEqual([dd]);
    const source = readFileSync(join(dir, 'man', basename(path)), 'utf8');
    expect(page).toBe(source.replace(/^\.Dd .*$/m, dd));
    const r = lint(path, dirname(installed[1 - i]!), ['myd(8)', 'myd.conf(5)']);
    expect(r.findings, path).toEqual([]);
    expect(r.status, path).toBe(r.missing ? 1 : 0);
  }
});
