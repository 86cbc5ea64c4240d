// Floor 1: the least any yeoman scaffold costs. A generator that writes 20 constant files and its
// .yo-rc.json through the same bare yeoman-environment as create-daemon, bundled with the same esbuild
// options and stubs (bin/bundle-options.mjs) by bench/scaffold.mjs. No templates, no Prettier.
import { EnvironmentBase } from 'yeoman-environment';
import Generator from 'yeoman-generator';

class Floor extends Generator {
  constructor(args, options) {
    super(args, { ...options, skipInstall: true }, { customInstallTask: true });
  }

  writing() {
    for (let i = 0; i < 20; i++) this.fs.write(this.destinationPath(`file${i}.txt`), `file ${i}\n`);
    this.config.set({ name: 'floor' });
  }
}

const env = new EnvironmentBase({ cwd: process.cwd(), skipInstall: true, force: true });
env.register(Floor, { namespace: 'floor:app', resolved: 'floor:app' });
await env.runGenerator(await env.create('floor:app', { generatorArgs: [], generatorOptions: {} }));
