// --fleet nomad: the job spec (fleet/nomad/NAME.nomad.hcl) parses as HCL (@cdktf/hcl2json, the HCL2
// parser compiled to WebAssembly), and the parsed job says what the answers and the rest of the fleet
// say: the image and the task's command, the config template and where it lands, SIGHUP on a change,
// SIGTERM and the fleet's grace period, the `-s` script check. No Nomad agent runs here: what Nomad
// does with a correct job is Nomad's to prove. One generated project (non-default name, config path,
// account and payload, so that each value comes from an answer) for the file.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLEET_GRACE_SEC } from '../../generators/core/fleet.js';
import { generate, type Project } from '../support/init-project.js';

// A "_" in the name: Nomad's service names are RFC 1123 labels, the image's repository too.
const NAME = 'nom_d';
const CONFIG = '/etc/nomd/main.conf';

/** What the job must say, from the answers. */
interface Expected {
  readonly name: string;
  readonly image: string;
  readonly configFile: string;
  readonly configBase: string;
  readonly binPath: string;
  readonly graceSec: number;
  readonly serviceName: string;
}

type Json = Record<string, unknown>;
const asList = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
/** HCL blocks come out as {label: [body]} (labelled) or [body] (unlabelled): the one body. */
const one = (v: unknown, label?: string): Json | undefined => {
  const list = label === undefined ? asList(v) : asList((v as Json | undefined)?.[label]);
  return list.length === 1 ? list[0] : undefined;
};

/** A Nomad duration ("10s", "1m30s", "500ms") in seconds; NaN when it is not one. */
function seconds(d: unknown): number {
  if (typeof d !== 'string' || !/^(\d+(ms|s|m|h))+$/.test(d)) return NaN;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 } as const;
  let total = 0;
  for (const [, n, u] of d.matchAll(/(\d+)(ms|s|m|h)/g)) total += Number(n) * unit[u as keyof typeof unit];
  return total;
}

/** Every way the parsed job departs from `e`; empty when it is right. */
function jobProblems(job: Json, e: Expected): string[] {
  const problems: string[] = [];
  const want = (what: string, got: unknown, expected: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(expected))
      problems.push(`${what}: ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  };
  const body = one(job['job'], e.name);
  if (!body) return [`no single job "${e.name}"`];
  want('job type', body['type'], 'service');
  const group = one(body['group'], e.name);
  if (!group) return [...problems, `no single group "${e.name}"`];
  want('count', group['count'], 1);
  const task = one(group['task'], e.name);
  if (!task) return [...problems, `no single task "${e.name}"`];

  want('driver', task['driver'], 'docker');
  const config = one(task['config']) ?? {};
  want('image', config['image'], e.image);
  // The task's command: the entrypoint, then the args.
  const entrypoint = config['entrypoint'];
  const args = config['args'];
  want('entrypoint', entrypoint, [e.binPath, '-f']);
  want('command', [...asStrings(entrypoint), ...asStrings(args)], [e.binPath, '-f', '-c', `/local/${e.configBase}`]);

  // The template renders the project's config where -c reads it: local/ is /local in the task.
  const templates = asList(task['template']);
  want('template blocks', templates.length, 1);
  const t = templates[0] ?? {};
  want('template data', t['data'], `\${file("${e.configFile}")}`);
  want('template destination', t['destination'], `local/${e.configBase}`);
  const argv = asStrings(args);
  want('-c and the template', `/${String(t['destination'])}`, argv[argv.indexOf('-c') + 1]);
  want('template change_mode', t['change_mode'], 'signal');
  want('template change_signal', t['change_signal'], 'SIGHUP');
  // The config is text to Nomad: its template actions use delimiters a config does not hold.
  want('template delimiters', [t['left_delimiter'], t['right_delimiter']], ['[[[', ']]]']);

  want('kill_signal', task['kill_signal'], 'SIGTERM');
  want('kill_timeout (s)', seconds(task['kill_timeout']), e.graceSec);

  const service = one(task['service']) ?? {};
  // Script checks need Consul: Nomad's own provider runs http and tcp checks only.
  want('service provider', service['provider'], 'consul');
  want('service name', service['name'], e.serviceName);
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(String(service['name'])))
    problems.push(`service name ${String(service['name'])}: not an RFC 1123 label, which Nomad requires`);
  const check = one(service['check']) ?? {};
  want('check type', check['type'], 'script');
  want('check command', check['command'], e.binPath);
  want('check args', check['args'], ['-s']);
  const interval = seconds(check['interval']);
  const timeout = seconds(check['timeout']);
  if (!(interval > 0 && timeout > 0 && timeout < interval))
    problems.push(
      `check interval ${String(check['interval'])} and timeout ${String(check['timeout'])}: want 0 < timeout < interval`,
    );
  return problems;
}

let p: Project;
let job: Json;
let expected: Expected;

beforeAll(async () => {
  p = generate(NAME, ['--fleet', 'oci,nomad,portable', '--config', CONFIG, '--user', 'nobody', '--payload', 'echo']);
  const file = join(p.dir, `fleet/nomad/${NAME}.nomad.hcl`);
  job = (await parse(file, readFileSync(file, 'utf8'))) as Json;
  expected = {
    name: NAME,
    image: 'localhost/nom-d:0.1.0',
    configFile: `etc/${NAME}.conf`,
    configBase: 'main.conf',
    binPath: `/usr/local/sbin/${NAME}`,
    graceSec: FLEET_GRACE_SEC,
    serviceName: 'nom-d',
  };
}, 120_000);

describe('the Nomad job', () => {
  it('parses, and says what the answers say', () => {
    expect(jobProblems(job, expected)).toEqual([]);
    // file() is read where `nomad job run` runs: the project's top, where the config is.
    expect(existsSync(join(p.dir, expected.configFile))).toBe(true);
  });

  it('is caught when it departs from the answers', () => {
    const mutate = (edit: (task: Json) => void): Json => {
      const copy = structuredClone(job);
      edit(one(one(one(copy['job'], NAME)!['group'], NAME)!['task'], NAME)!);
      return copy;
    };
    const cases: [string, (task: Json) => void, RegExp][] = [
      ['kill_timeout', (t) => (t['kill_timeout'] = '30s'), /kill_timeout/],
      ['kill_signal', (t) => (t['kill_signal'] = 'SIGINT'), /kill_signal/],
      ['-c path', (t) => ((one(t['config'])!['args'] as string[])[1] = '/etc/nomd.conf'), /-c and the template/],
      ['-f twice', (t) => (one(t['config'])!['args'] = ['-f', '-c', '/local/main.conf']), /command/],
      ['entrypoint', (t) => delete one(t['config'])!['entrypoint'], /entrypoint/],
      ['change_signal', (t) => (one(t['template'])!['change_signal'] = 'SIGUSR1'), /change_signal/],
      ['template file', (t) => (one(t['template'])!['data'] = '${file("nomd.conf")}'), /template data/],
      ['check command', (t) => (one(one(t['service'])!['check'])!['command'] = '/bin/true'), /check command/],
      ['check timeout', (t) => (one(one(t['service'])!['check'])!['timeout'] = '1m'), /check interval/],
      ['image', (t) => (one(t['config'])!['image'] = 'nomd:latest'), /image/],
      ['delimiters', (t) => delete one(t['template'])!['left_delimiter'], /template delimiters/],
      ['service name', (t) => (one(t['service'])!['name'] = NAME), /service name/],
    ];
    for (const [what, edit, caught] of cases) {
      const problems = jobProblems(mutate(edit), expected);
      expect(problems.join('\n'), what).toMatch(caught);
    }
    // The parser is no rubber stamp either: a job cut short is refused.
    const text = readFileSync(join(p.dir, `fleet/nomad/${NAME}.nomad.hcl`), 'utf8');
    return expect(parse('cut.hcl', text.slice(0, text.lastIndexOf('}')))).rejects.toThrow();
  });

  it('runs the command the OCI image would run by itself', () => {
    // fleet/oci/Containerfile's exec-form ENTRYPOINT: the job restates it rather than trust it.
    const containerfile = readFileSync(join(p.dir, 'fleet/oci/Containerfile'), 'utf8');
    const entry = /^ENTRYPOINT (\[.*\])$/m.exec(containerfile)?.[1];
    expect(entry, 'the Containerfile has an exec-form ENTRYPOINT').toBeDefined();
    const task = one(one(one(job['job'], NAME)!['group'], NAME)!['task'], NAME)!;
    expect(one(task['config'])!['entrypoint']).toEqual(JSON.parse(entry!));
  });

  it('stops like every engine of the fleet: the portable unit waits as long as kill_timeout', () => {
    const unit = readFileSync(join(p.dir, `fleet/portable/${NAME}.service`), 'utf8');
    const task = one(one(one(job['job'], NAME)!['group'], NAME)!['task'], NAME)!;
    expect(unit).toMatch(new RegExp(`^TimeoutStopSec=${seconds(task['kill_timeout'])}s$`, 'm'));
  });
});
