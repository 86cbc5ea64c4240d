// The published bundle's formatting thread (see format.ts): every request is answered, by its id, with
// Prettier's output or the error's message. Prettier's core and the Markdown plugin load as soon as the
// thread starts, while the main thread is still loading yeoman.
import { parentPort } from 'node:worker_threads';
import { formatText, type Language, loadLanguage } from './format.js';

// A failure here is reported by the first request, which loads the same modules again.
import('prettier/standalone').catch(() => {});
loadLanguage('markdown').catch(() => {});

parentPort!.on('message', ({ id, language, contents }: { id: number; language: Language; contents: string }) => {
  formatText(language, contents).then(
    (text) => parentPort!.postMessage({ id, text }),
    (error: Error) => parentPort!.postMessage({ id, error: error.message }),
  );
});
