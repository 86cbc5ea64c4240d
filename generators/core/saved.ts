// The saved answers: .yo-rc.json, key "create-daemon", in table order, formatted by Prettier.
import type Generator from 'yeoman-generator';
import type { Answers } from './conventions.js';
import { formatIfPretty } from './render.js';

export const CONFIG_KEY = 'create-daemon';
export const YO_RC = '.yo-rc.json';

/** Store the answers through yeoman's config, then format the file like every other emitted JSON. */
export async function writeSaved(generator: Generator, answers: Answers): Promise<void> {
  generator.config.set(answers as never);
  const path = generator.destinationPath(YO_RC);
  const text = generator.fs.read(path);
  if (text !== undefined) generator.fs.write(path, await formatIfPretty(path, text));
}
