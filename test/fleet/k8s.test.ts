// --fleet k8s: the kustomize base (fleet/k8s/base, with etc/kustomization.yaml's ConfigMap) and
// its DaemonSet variant (fleet/k8s/daemonset), rendered by `kubectl kustomize`; every document
// validated by kubernetes-models and typed as its interface for `tsc --noEmit`, which a misspelt
// key must fail; and the Deployment run by `podman kube play --network=none` with its ConfigMap
// mounted, its probe command run by hand, and a pod stop that is a clean SIGTERM exit. The
// daemon's name has a "_", which Kubernetes names cannot: they use "-".
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigMap } from 'kubernetes-models/v1';
import { DaemonSet, Deployment } from 'kubernetes-models/apps/v1';
import { afterAll, beforeAll, expect } from 'vitest';
import { FLEET_GRACE_SEC, FLEET_UID } from '../../generators/core/fleet.js';
import { ROOT, tempDir } from '../support/cli.js';
import { generate, must, noDaemonReason, waitFor, type Project } from '../support/init-project.js';
import { privatePodman, removePodmanTest, type Podman } from '../support/podman.js';
import { describeWith, itWith } from '../support/tools.js';
import { parseYamlDocuments } from './fixtures/yaml.js';

const NAME = 'kube_d';
const K8S = 'kube-d';
const BIN = `/usr/local/sbin/${NAME}`;
const TSCONFIG = fileURLToPath(new URL('./fixtures/manifests.tsconfig.json', import.meta.url));

/** A rendered document: kubectl kustomize's YAML as a plain value, checked field by field. */
type Doc = Record<string, any>;

/** The daemon's lines in a container's output: podman's own complaints (no systemd for health timers) left out. */
const daemonLines = (out: string): string[] =>
  out.split('\n').filter((l) => l !== '' && !/^time="[^"]*" level=/.test(l));

describeWith(['kubectl', 'podman', 'runc', 'musl-gcc', 'make'], noDaemonReason)(
  '--fleet k8s: the kustomize base',
  () => {
    let T: string;
    let p: Project;
    let pm: Podman;
    let base: string;
    let baseDocs: Doc[];
    let dsDocs: Doc[];
    const kustomize = (dir: string): string => must('kubectl', ['kustomize', join(p.dir, dir)]);

    beforeAll(async () => {
      T = tempDir('cd-k8s-');
      pm = privatePodman('cd-k8s-podman-');
      p = generate(NAME, ['--fleet', 'oci,k8s', '--payload', 'echo', '--init', 'systemd'], T);
      // A config of this project's own, so that the running pod shows it came through the ConfigMap.
      const conf = join(p.dir, `etc/${NAME}.conf`);
      const text = readFileSync(conf, 'utf8');
      expect(text).toMatch(/^max_clients = 256$/m);
      writeFileSync(conf, text.replace(/^max_clients = 256$/m, 'max_clients = 9'));
      base = kustomize('fleet/k8s/base');
      baseDocs = (await parseYamlDocuments(base)) as Doc[];
      dsDocs = (await parseYamlDocuments(kustomize('fleet/k8s/daemonset'))) as Doc[];
      must('make', ['-s', 'image'], { cwd: p.dir, env: pm.env, timeout: 170_000 });
    }, 180_000);

    afterAll(() => removePodmanTest(pm, T));

    itWith([])('kubectl kustomize: a Deployment or a DaemonSet, the ConfigMap from etc/NAME.conf, locked down', () => {
      expect(baseDocs.map((d) => d.kind)).toEqual(['ConfigMap', 'Deployment']);
      expect(dsDocs.map((d) => d.kind)).toEqual(['ConfigMap', 'DaemonSet']);
      const [cm, dep] = baseDocs as [Doc, Doc];
      // The ConfigMap is the file, under the name the daemon reads; its name carries a hash of it.
      expect(cm.data).toEqual({ [`${NAME}.conf`]: readFileSync(join(p.dir, `etc/${NAME}.conf`), 'utf8') });
      expect(cm.metadata.name).toMatch(new RegExp(`^${K8S}-config-[a-z0-9]{10}$`));
      expect(dep.metadata.name).toBe(K8S);
      expect(dep.spec.replicas).toBe(1);
      expect(dep.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': K8S } });
      const pod = dep.spec.template.spec;
      expect(dep.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': K8S });
      expect(pod.terminationGracePeriodSeconds).toBe(FLEET_GRACE_SEC);
      expect(pod.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: FLEET_UID,
        runAsGroup: FLEET_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const [c] = pod.containers as [Doc];
      expect(c.image).toBe(`localhost/${K8S}:0.1.0`);
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.env).toEqual([{ name: 'KUBE_D_LOG', value: 'stderr' }]);
      for (const probe of [c.readinessProbe, c.livenessProbe]) expect(probe.exec.command).toEqual([BIN, '-s']);
      // The config from the ConfigMap's directory; the pid file's directory an emptyDir.
      expect(c.command).toEqual([BIN, '-f', '-c', `/etc/${K8S}-config/${NAME}.conf`]);
      expect(c.volumeMounts).toEqual([
        { name: 'config', mountPath: `/etc/${K8S}-config`, readOnly: true },
        { name: 'run', mountPath: '/run' },
      ]);
      expect(pod.volumes).toEqual([
        { name: 'config', configMap: { name: cm.metadata.name } },
        { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
      ]);

      // The DaemonSet: the same pod, no replicas, rolled one node at a time.
      const ds = dsDocs[1]!;
      expect(ds.metadata.name).toBe(K8S);
      expect(ds.spec.replicas).toBeUndefined();
      expect(ds.spec.updateStrategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      });
      expect(ds.spec.template).toEqual(dep.spec.template);
      expect(ds.spec.selector).toEqual(dep.spec.selector);

      // An edited config is a new ConfigMap name, and the pod template follows: a rollout.
      const conf = join(p.dir, `etc/${NAME}.conf`);
      const text = readFileSync(conf, 'utf8');
      try {
        writeFileSync(conf, `${text}# edited\n`);
        const again = kustomize('fleet/k8s/base');
        const name2 = /name: (kube-d-config-[a-z0-9]+)/.exec(again)![1];
        expect(name2).not.toBe(cm.metadata.name);
        expect(again.match(new RegExp(`name: ${name2}$`, 'gm'))).toHaveLength(2);
      } finally {
        writeFileSync(conf, text);
      }
    });

    itWith([])('kubernetes-models validates every rendered document, and refuses a broken one', () => {
      const model = (d: Doc) =>
        d.kind === 'ConfigMap'
          ? new ConfigMap(d as never)
          : d.kind === 'Deployment'
            ? new Deployment(d as never)
            : new DaemonSet(d as never);
      for (const d of [...baseDocs, ...dsDocs]) expect(() => model(d).validate(), `${d.kind}`).not.toThrow();
      // The same Deployment with a wrongly typed field fails: the validation is not a no-op.
      const broken = structuredClone(baseDocs[1]!);
      broken.spec.template.spec.terminationGracePeriodSeconds = 'ten';
      expect(() => model(broken).validate()).toThrow(/terminationGracePeriodSeconds/);
    });

    itWith([])(
      'tsc --noEmit: each document typed as its interface compiles, and a misspelt key fails, named',
      () => {
        const dir = join(T, 'typed');
        mkdirSync(dir);
        symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
        copyFileSync(TSCONFIG, join(dir, 'tsconfig.json'));
        const IFACE: Record<string, [string, string]> = {
          ConfigMap: ['IConfigMap', 'kubernetes-models/v1/ConfigMap'],
          Deployment: ['IDeployment', 'kubernetes-models/apps/v1/Deployment'],
          DaemonSet: ['IDaemonSet', 'kubernetes-models/apps/v1/DaemonSet'],
        };
        const source = (docs: Doc[]): string =>
          [
            ...Object.entries(IFACE).map(([, [iface, mod]]) => `import type { ${iface} } from '${mod}';`),
            ...docs.map((d, i) => `export const doc${i}: ${IFACE[d.kind]![0]} = ${JSON.stringify(d, null, 2)};`),
            '',
          ].join('\n');
        writeFileSync(join(dir, 'base.ts'), source(baseDocs));
        writeFileSync(join(dir, 'daemonset.ts'), source(dsDocs));
        // The typo fixture: the rendered Deployment with one key misspelt, deep in the pod template.
        const typo = source(baseDocs).replace('"readOnlyRootFilesystem"', '"readOnlyRootFilesytem"');
        expect(typo).toContain('readOnlyRootFilesytem');
        writeFileSync(join(dir, 'typo.ts'), typo);
        const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', dir], {
          cwd: dir,
          encoding: 'utf8',
          timeout: 120_000,
        });
        const errors = r.stdout.split('\n').filter((l) => /error TS/.test(l));
        // Exactly one error, in the typo's file, naming the misspelt key; base.ts and daemonset.ts are clean.
        expect(errors, r.stdout + r.stderr).toHaveLength(1);
        expect(errors[0]).toMatch(
          /^typo\.ts\(\d+,\d+\): error TS(2353|2561): Object literal may only specify known properties, .*readOnlyRootFilesytem.* in type 'ISecurityContext'/,
        );
        expect(r.status).not.toBe(0);
      },
      120_000,
    );

    itWith([])(
      'podman kube play --network=none: the ConfigMap mounted, the probe by hand, a clean SIGTERM stop',
      async () => {
        const rendered = join(T, 'rendered.yaml');
        writeFileSync(rendered, base);
        pm.must(['kube', 'play', '--network=none', rendered]);
        const names = pm.must(['ps', '-a', '--format', '{{.Names}}']).trim().split('\n');
        const ctr = names.find((n) => !n.endsWith('-infra'))!;
        expect(ctr).toMatch(new RegExp(`^${K8S}-pod-0-${K8S}$`));
        const logs = () => daemonLines(pm.run(['logs', ctr]).stderr);
        // The config came through etc/ -> the ConfigMap -> its mount: max_clients is this project's 9.
        await waitFor('the started line', () =>
          logs().some((l) =>
            /^<6>started \(version 0\.1\.0\): echoing on \/run\/kube_d\.sock .*at most 9 clients/.test(l),
          )
            ? true
            : undefined,
        );

        // What podman made of the securityContext, seen from the host.
        const [info] = JSON.parse(pm.must(['inspect', ctr])) as Doc[];
        expect(info!.Config.User).toBe(`${FLEET_UID}:${FLEET_UID}`);
        expect(info!.HostConfig.ReadonlyRootfs).toBe(true);
        expect(info!.Config.StopTimeout).toBe(FLEET_GRACE_SEC);
        const status = readFileSync(`/proc/${info!.State.Pid}/status`, 'utf8');
        expect(status).toMatch(/^CapEff:\s+0+$/m);
        expect(status).toMatch(/^CapBnd:\s+0+$/m);
        expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
        expect(status).toMatch(/^Seccomp:\s+2$/m);
        expect(status).toMatch(
          new RegExp(`^Uid:\\s+${FLEET_UID}\\s+${FLEET_UID}\\s+${FLEET_UID}\\s+${FLEET_UID}$`, 'm'),
        );

        // The probe, exactly as rendered, run by hand: 0 and the pid (1: the container's only process).
        // (podman's own healthcheck for kube play wraps it in a shell the image does not have.)
        const probe = (baseDocs[1]!.spec.template.spec.containers[0].livenessProbe.exec.command as string[]).slice();
        const live = pm.run(['exec', ctr, ...probe]);
        expect(live.status, live.stderr).toBe(0);
        expect(live.stdout).toBe('1\n');

        // Stopping the pod: SIGTERM, exit 0, well within terminationGracePeriodSeconds.
        const t0 = Date.now();
        pm.must(['pod', 'stop', `${K8S}-pod-0`]);
        expect(Date.now() - t0).toBeLessThan(FLEET_GRACE_SEC * 1000);
        expect(pm.must(['inspect', '--format', '{{.State.ExitCode}}', ctr]).trim()).toBe('0');
        expect(logs().at(-1)).toBe('<6>stopped');
        for (const l of logs()) expect(l).toMatch(/^<[67]>/);

        // The daemon gone: the probe fails. In the stopped container, and, with the pod's own
        // volumes (its emptyDir) in a fresh container of the image, the query mode itself says so.
        expect(pm.run(['exec', ctr, ...probe]).status).not.toBe(0);
        const gone = pm.run([
          'run',
          '--rm',
          '--network=none',
          '--volumes-from',
          ctr,
          '--entrypoint',
          probe[0]!,
          info!.Image as string,
          ...probe.slice(1),
        ]);
        expect(gone.status, gone.stdout + gone.stderr).toBe(3);
        expect(gone.stderr).toMatch(/kube_d: not running \(no process holds the lock on \/run\/kube_d\.pid\)/);
      },
      60_000,
    );
  },
);
