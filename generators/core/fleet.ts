// The fleet files' fields (--fleet: templates/fleet/), computed once: what the OCI image, the
// kustomize base, the Nomad job and the portable service share, then each engine's own.
import { posix } from 'node:path';
import { type Answers, FLEETS, type Fleet } from './conventions.js';
import { dqText, oneLine } from './escape.js';

/**
 * The uid and gid the image runs as: distroless's "nonroot" (65532), a number no distribution's
 * base passwd uses, so a bind-mounted host directory never lends it a real account's files.
 */
export const FLEET_UID = 65532;

/**
 * Seconds between SIGTERM and SIGKILL on every engine. The C daemon exits at once on SIGTERM
 * (it closes its clients, removes its pid file and socket): 10 s bounds a stalled disk or syslog.
 */
export const FLEET_GRACE_SEC = 10;

/** A daemon name as a Kubernetes object name (a DNS-1123 label): "_" as "-", no trailing "-". */
export function k8sName(name: string): string {
  return name.replace(/_/g, '-').replace(/-+$/, '');
}

/** /etc/NAME-config, or with ".d" when that is the config file's own path. */
function k8sConfigMount(name: string, config: string): string {
  const dir = `/etc/${k8sName(name)}-config`;
  return dir === config ? `${dir}.d` : dir;
}

/** The engines that run the OCI image (fleet/oci/, make image): oci itself, k8s and nomad. */
export const imageNeeded = (fleet: readonly Fleet[]): boolean =>
  fleet.includes('oci') || fleet.includes('k8s') || fleet.includes('nomad');

export function fleetFields(a: Answers, version: string) {
  const has = Object.fromEntries(FLEETS.map((f) => [f, a.fleet.includes(f)])) as Record<Fleet, boolean>;
  return {
    list: FLEETS.filter((f) => has[f]),
    any: a.fleet.length > 0,
    has,
    /** The image's name as podman and the manifests know it (no registry: localhost/). */
    image: `localhost/${k8sName(a.name)}:${version}`,
    /** oci, k8s or nomad: fleet/oci/ and make image are emitted (the others run the image). */
    imageNeeded: imageNeeded(a.fleet),
    /** The account inside the image: --user's name, else the daemon's; FLEET_UID either way. */
    account: a.user || a.name,
    uid: FLEET_UID,
    graceSec: FLEET_GRACE_SEC,
    /** Where the image keeps the config, the pid file and the socket: the same paths as on a host. */
    configDir: posix.dirname(a.config),
    configBase: posix.basename(a.config),
    /** The engines' own make rules, included by init/install.mk after fleet/static.mk. */
    makefiles: [
      ...(imageNeeded(a.fleet) ? ['fleet/oci/oci.mk'] : []),
      ...(has.portable ? ['fleet/portable/portable.mk'] : []),
    ],
    /**
     * The daemon's logging variable (helper/log.c): "stderr" sends every line to stderr alone, as
     * sd-daemon(3)'s "<N>text", and never tries the syslog socket. The ident in capitals + _LOG.
     */
    logEnv: `${a.name.replace(/-/g, '_').toUpperCase()}_LOG`,
    // oci and k8s
    /** The OCI image (fleet/oci/): make image. */
    oci: {
      /** The image's repository and tag apart: kustomize's images: newName and newTag. */
      repository: `localhost/${k8sName(a.name)}`,
      tag: version,
      /** A Containerfile LABEL value: one double-quoted word ('\', '"' and '$' escaped). */
      description: `"${oneLine(a.description).replace(/[\\"$]/g, (c) => `\\${c}`)}"`,
    },
    /** The kustomize base (fleet/k8s/). */
    k8s: {
      /**
       * Object and container names must be DNS-1123 labels (RFC 1123: a-z, 0-9 and "-", ending in
       * a letter or digit): the daemon's name with "_" as "-", trailing "-" dropped.
       */
      name: k8sName(a.name),
      configMap: `${k8sName(a.name)}-config`,
      /**
       * Where the ConfigMap is mounted: a directory of its own, named after it (a ConfigMap is a
       * directory; podman kube play cannot mount one file of it with subPath), given with -c.
       */
      configMount: k8sConfigMount(a.name, a.config),
    },
    // nomad and portable
    /** The Nomad job (fleet/nomad/NAME.nomad.hcl). */
    nomad: {
      /** Where the job's template block renders the config, in the task directory. */
      template: `local/${posix.basename(a.config)}`,
      /** The same file as the task sees it: the docker and podman drivers mount local/ at /local. */
      configPath: `/local/${posix.basename(a.config)}`,
      /** How often the script check runs `binPath -s`, and how long it may take. */
      checkInterval: '30s',
      checkTimeout: '5s',
    },
    /** The portable service image (fleet/portable/: make portable). */
    portable: {
      /** The image's name: portablectl attaches the units whose names start with what precedes "_". */
      image: `${a.name}_${version}`,
      /**
       * The pid file inside the image, in the unit's RuntimeDirectory= (the host's /run/NAME, bound
       * in): the unit's DynamicUser= account can write there, and nowhere else in /run.
       */
      runtimeDirectory: a.name,
      pidfile: `/run/${a.name}/${a.name}.pid`,
      /** ExecReload='s SIGHUP sender inside the image, which has no /bin/kill (fleet/portable/sighup.c). */
      sighup: `/usr/lib/${a.name}/sighup`,
      /** os-release's PORTABLE_PRETTY_NAME, the text of a double-quoted shell string. */
      prettyName: dqText(oneLine(`${a.name} ${version}: ${a.description}`)),
    },
  };
}
