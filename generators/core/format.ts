// Prettier for the emitted Markdown, JSON and YAML. In the published bundle it runs in a worker thread
// (format-worker.ts), so that loading Prettier and formatting (about 150 ms on a cold start) overlap with
// loading yeoman on the other core; from the TypeScript sources (tests) it runs in-process. Both call
// formatText, so the output is the same either way.
import { Worker } from 'node:worker_threads';
import { BUNDLED, SNAPSHOT } from './paths.js';

/** Prettier's standalone core, with each language's plugins loaded only when a file of it is emitted. */
const LANGUAGES = {
  json: () => [import('prettier/plugins/babel'), import('prettier/plugins/estree')],
  markdown: () => [import('prettier/plugins/markdown')],
  yaml: () => [import('prettier/plugins/yaml')],
} as const;
export type Language = keyof typeof LANGUAGES;

/** The language of an emitted file Prettier formats, or undefined for every other file. */
export function languageOf(path: string): Language | undefined {
  if (/\.json$/.test(path)) return 'json';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  if (/\.(md|markdown)$/.test(path)) return 'markdown';
  return undefined;
}

const loaded = new Map<Language, Promise<unknown[]>>();
export function loadLanguage(language: Language): Promise<unknown[]> {
  let plugins = loaded.get(language);
  if (!plugins) loaded.set(language, (plugins = Promise.all(LANGUAGES[language]())));
  return plugins;
}

/** Prettier's output for one file, formatted in this thread. */
export async function formatText(language: Language, contents: string): Promise<string> {
  const [{ format }, plugins] = await Promise.all([import('prettier/standalone'), loadLanguage(language)]);
  // No config lookup: the output depends on the answers only, never on the user's directory.
  return format(contents, { parser: language, plugins: plugins as never, proseWrap: 'preserve' });
}

interface Reply {
  readonly id: number;
  readonly text?: string;
  readonly error?: string;
}

/** The formatting thread: started on first use, kept alive only while a request is outstanding. */
class FormatWorker {
  private readonly worker = new Worker(new URL('./format-worker.mjs', import.meta.url));
  private readonly waiting = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>();
  private next = 0;
  /** Why the thread is gone, once it is: later requests fail at once instead of waiting forever. */
  private gone: Error | undefined;

  constructor() {
    this.worker.on('message', ({ id, text, error }: Reply) => {
      const request = this.waiting.get(id)!;
      this.waiting.delete(id);
      if (this.waiting.size === 0) this.worker.unref();
      if (error === undefined) request.resolve(text!);
      else request.reject(new Error(error));
    });
    // A worker that cannot start (or dies) fails every request it holds instead of hanging the run.
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the Prettier worker exited with status ${code}`)));
    // After the listeners: adding a 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  format(language: Language, contents: string): Promise<string> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.next++;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, language, contents });
    });
  }

  private failAll(error: Error): void {
    this.gone ??= error;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}

let worker: FormatWorker | undefined;

/**
 * Start the formatting thread now, so that Prettier is loaded by the time the first file is rendered.
 * Only the bundle has a worker; from the sources this does nothing.
 */
export function startFormatter(): void {
  if (BUNDLED && !SNAPSHOT) worker ??= new FormatWorker();
}

/**
 * Each (language, contents) is formatted once per process: the CLI asks for the files it will write
 * before yeoman has loaded (cli/prefetch.ts), and the generator's identical request then shares the result.
 */
const results = new Map<string, Promise<string>>();

/** The file as Prettier formats it, if Prettier formats its kind; else unchanged. */
export function formatIfPretty(path: string, contents: string): Promise<string> {
  const language = languageOf(path);
  if (language === undefined) return Promise.resolve(contents);
  const key = `${language}\0${contents}`;
  let result = results.get(key);
  if (!result) {
    startFormatter();
    result = worker ? worker.format(language, contents) : formatText(language, contents);
    results.set(key, result);
  }
  return result;
}
