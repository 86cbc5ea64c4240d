// The emitted project's files (everything but init/), as data. Owned by the emitted-daemon work.
import type { FileEntry } from './manifest-types.js';

export const PROJECT_FILES: readonly FileEntry[] = [];
