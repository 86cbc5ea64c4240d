// The generator must keep working on Node 22 and 24, not only the Node 20 that runs the suite.
// .ci/run installs those Node binaries from the npm registry and lists them in CREATE_DAEMON_EXTRA_NODES.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { BIN, snapshotTree, tempDir } from '../support/cli.js';
import { itWith } from '../support/tools.js';

const nodes = (process.env.CREATE_DAEMON_EXTRA_NODES ?? '').split(':').filter(Boolean);
const needNodes = () =>
  nodes.length > 0 ? undefined : 'needs CREATE_DAEMON_EXTRA_NODES=/path/to/node22:/path/to/node24 (.ci/run sets it)';

describe('other Node versions', () => {
  itWith([], needNodes)('generate the same project as this Node', () => {
    const reference = tempDir();
    expect(spawnSync(process.execPath, [BIN, 'myd', '--yes', '--payload', 'echo'], { cwd: reference }).status).toBe(0);
    const expected = snapshotTree(join(reference, 'myd'));
    const majors = new Set<string>();
    for (const node of nodes) {
      majors.add(execFileSync(node, ['--version'], { encoding: 'utf8' }).trim().split('.')[0]!);
      const cwd = tempDir();
      const r = spawnSync(node, [BIN, 'myd', '--yes', '--payload', 'echo'], { cwd, encoding: 'utf8' });
      expect(r.stderr, node).toBe('');
      expect(r.status, node).toBe(0);
      expect(snapshotTree(join(cwd, 'myd'))).toEqual(expected);
      const bad = spawnSync(node, [BIN, 'myd', '--umask', '999'], { cwd, encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/^create-daemon: --umask must be three octal digits/);
    }
    const engines = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).engines.node;
    expect(engines).toMatch(/22/);
    expect(majors.size).toBe(nodes.length);
  });
});
