// Where the package's own files are. From source this module sits in generators/core/; in the published
// bundle every chunk sits in dist/. bin/build.mjs defines CREATE_DAEMON_BUNDLE.
import { fileURLToPath } from 'node:url';

declare const CREATE_DAEMON_BUNDLE: boolean | undefined;

export const PACKAGE_ROOT = fileURLToPath(
  new URL(typeof CREATE_DAEMON_BUNDLE !== 'undefined' && CREATE_DAEMON_BUNDLE ? '../' : '../../', import.meta.url),
);
export const TEMPLATES_DIR = `${PACKAGE_ROOT}templates/`;
