import type { Answers } from './conventions.js';

/** One emitted file. `template` is relative to templates/; `destination` may hold {name} and {label}. */
export interface FileEntry {
  readonly template: string;
  readonly destination: string;
  /** Emit this file only when true for the answers; always emitted when absent. */
  readonly when?: (answers: Answers) => boolean;
  /** File mode; 0o644 when absent. */
  readonly mode?: number;
}
