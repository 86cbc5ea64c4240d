// The fleet files (--fleet): part of the group `create-daemon units` re-renders, since each
// follows the answers (the name, the paths, the account). Each engine's files are one block.
import type { Answers, Fleet } from './conventions.js';
import { imageNeeded } from './fleet.js';
import type { FileEntry } from './manifest-types.js';

/**
 * The image fleet/oci/ builds: --fleet oci, and also k8s and nomad, whose pods and tasks run it
 * (their files name it, and `make image` is how it exists).
 */
const image = (a: Answers): boolean => imageNeeded(a.fleet);

const chosen =
  (engine: Fleet) =>
  (a: Answers): boolean =>
    a.fleet.includes(engine);

export const FLEET_FILES: readonly FileEntry[] = [
  // make static: every engine's image holds the static musl build.
  { template: 'fleet/static.mk', destination: 'fleet/static.mk', when: (a) => a.fleet.length > 0 },

  // --- oci ---
  { template: 'fleet/oci/Containerfile', destination: 'fleet/oci/Containerfile', when: image },
  { template: 'fleet/oci/oci.mk', destination: 'fleet/oci/oci.mk', when: image },
  { template: 'fleet/oci/passwd', destination: 'fleet/oci/passwd', when: image },
  { template: 'fleet/oci/group', destination: 'fleet/oci/group', when: image },

  // --- k8s ---
  // The config's own kustomization: kustomize reads no file outside a kustomization's directory,
  // so the ConfigMap is generated beside etc/NAME.conf, and the base includes that directory.
  { template: 'fleet/k8s/etc-kustomization.yaml', destination: 'etc/kustomization.yaml', when: chosen('k8s') },
  {
    template: 'fleet/k8s/base/kustomization.yaml',
    destination: 'fleet/k8s/base/kustomization.yaml',
    when: chosen('k8s'),
  },
  { template: 'fleet/k8s/base/deployment.yaml', destination: 'fleet/k8s/base/deployment.yaml', when: chosen('k8s') },
  {
    template: 'fleet/k8s/daemonset/kustomization.yaml',
    destination: 'fleet/k8s/daemonset/kustomization.yaml',
    when: chosen('k8s'),
  },

  // --- nomad ---
  { template: 'fleet/nomad/job.hcl', destination: 'fleet/nomad/{name}.nomad.hcl', when: chosen('nomad') },

  // --- portable ---
  { template: 'fleet/portable/portable.mk', destination: 'fleet/portable/portable.mk', when: chosen('portable') },
  { template: 'fleet/portable/service', destination: 'fleet/portable/{name}.service', when: chosen('portable') },
  { template: 'fleet/portable/os-release', destination: 'fleet/portable/os-release', when: chosen('portable') },
  { template: 'fleet/portable/sighup.c', destination: 'fleet/portable/sighup.c', when: chosen('portable') },
];
