// Where the package's own files are. From source this module sits in generators/core/; in the published
// bundle every chunk sits in dist/. bin/build.mjs defines CREATE_DAEMON_BUNDLE.
import { fileURLToPath } from 'node:url';

declare const CREATE_DAEMON_BUNDLE: boolean | undefined;
declare const CREATE_DAEMON_SNAPSHOT: boolean | undefined;

/** True in the published bundle, false when the TypeScript sources run (tests, tsc output). */
export const BUNDLED = typeof CREATE_DAEMON_BUNDLE !== 'undefined' && CREATE_DAEMON_BUNDLE;

/** True in dist/snapshot.cjs, the bundle a V8 startup snapshot is built from (cli/snapshot.ts). */
export const SNAPSHOT = typeof CREATE_DAEMON_SNAPSHOT !== 'undefined' && CREATE_DAEMON_SNAPSHOT;

export const PACKAGE_ROOT = fileURLToPath(new URL(BUNDLED ? '../' : '../../', import.meta.url));
export const TEMPLATES_DIR = `${PACKAGE_ROOT}templates/`;
