// The floor's generator (bench/floors/yeoman.mjs, and the snapshot's floor in bench/snapshot/entry.ts):
// 20 constant files and its .yo-rc.json, through the same bare yeoman-environment as create-daemon.
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

/** One run of the floor's generator into the current directory. */
export async function runFloor() {
  const env = new EnvironmentBase({ cwd: process.cwd(), skipInstall: true, force: true });
  env.register(Floor, { namespace: 'floor:app', resolved: 'floor:app' });
  await env.runGenerator(await env.create('floor:app', { generatorArgs: [], generatorOptions: {} }));
}
