// --help, built from the conventions table so it can never drift from the flags.
import { CONVENTIONS, type Convention } from '../core/conventions.js';
import { type Command, type FixedOption, fixedRows, flagRows } from './options.js';

const defaultText = (row: Convention): string => {
  if (row.defaultHelp) return row.defaultHelp;
  const d = row.default({});
  return Array.isArray(d) ? d.join(',') : String(d);
};

function lines(left: string, text: string): string[] {
  const pad = 32;
  return left.length >= pad - 1 ? [`  ${left}`, `${' '.repeat(pad + 2)}${text}`] : [`  ${left.padEnd(pad)}${text}`];
}

const fixedLine = (o: FixedOption) =>
  lines(`${o.short ? `-${o.short}, ` : '    '}--${o.flag}${o.arg ? ` ${o.arg}` : ''}`, o.help);

export function helpText(command: Command, version: string): string {
  const name = CONVENTIONS.find((r) => r.key === 'name')!;
  const head =
    command === 'app'
      ? [
          `create-daemon ${version}: write a correct Unix daemon in C or TypeScript, with its init-system files and a self-test`,
          '',
          'Usage: create-daemon [name] [options]',
          '       create-daemon units [options]   (inside a generated project: re-render the init-system files)',
          "       create-daemon help [units]      (this help, or units' help)",
          '',
          ...lines('name', `${name.help} (default ${defaultText(name)})`),
        ]
      : [
          `create-daemon units ${version}: re-render a generated project's init-system files (init/, debian/rules, the RPM spec) from .yo-rc.json`,
          '',
          'Usage: create-daemon units [options]   (run inside a generated project; flags change the saved answers)',
          '',
        ];
  const rows = flagRows(command).flatMap((row) =>
    lines(`    --${row.flag}${row.arg ? ` ${row.arg}` : ''}`, `${row.help} (default ${defaultText(row)})`),
  );
  const tail =
    command === 'app'
      ? [
          '',
          'With no terminal on stdin, create-daemon behaves as if --yes were given.',
          'Exit status: 0 ok, 1 failure, 2 bad usage or value, 130 cancelled.',
        ]
      : ['', 'Exit status: 0 ok, 1 edited files or drift (--check), 2 not a project or bad value, 130 cancelled.'];
  return [...head, ...rows, ...fixedRows(command).flatMap(fixedLine), ...tail, ''].join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const code = (s: string) => `\`${s.replace(/\|/g, '\\|')}\``;

/** The README's options table: the same rows as --help, as Markdown. */
export function optionsMarkdown(): string {
  const rows = CONVENTIONS.filter((row) => !row.recorded).map((row) => {
    const flag = row.flag ? code(`--${row.flag}${row.arg ? ` ${row.arg}` : ''}`) : `${code(row.arg)} (positional)`;
    const prompt = row.when ? 'yes, when it applies' : 'yes';
    const units = row.units ? 'yes' : '';
    return `| ${flag} | ${cell(row.help)} | ${code(defaultText(row))} | ${prompt} | ${units} |`;
  });
  return ['| option | what it sets | default | prompted | `units` |', '| --- | --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
