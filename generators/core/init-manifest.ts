// The init-system files and init/install.mk: the part `create-daemon units` re-renders.
import type { FileEntry } from './manifest-types.js';

export const INIT_FILES: readonly FileEntry[] = [];
