// Floor 1: the least any yeoman scaffold costs. A generator that writes 20 constant files and its
// .yo-rc.json through the same bare yeoman-environment as create-daemon (floor-generator.mjs), bundled
// with the same esbuild options and stubs (bin/bundle-options.mjs) by bench/scaffold.mjs. No templates,
// no Prettier.
import { runFloor } from './floor-generator.mjs';

await runFloor();
