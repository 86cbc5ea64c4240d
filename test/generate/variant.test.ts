// Per-student variants (issue 17, item 4): --variant-seed and --student derive the student's
// details through HMAC-SHA256; the seed is written nowhere, the handout states the values, and a
// regeneration or `create-daemon units` keeps them without the seed.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, snapshotTree, tempDir } from '../support/cli.js';
import { itWith } from '../support/tools.js';
import { parseVariant, variantRecord } from '../../generators/core/variant.js';

const SEED = 'a-course-secret-2026';

describe('per-student variants', () => {
  itWith(['openssl'])('the HMAC is what openssl computes, as tests/grade.sh does', () => {
    for (const id of ['ada', 'b.rian+x@example.org', '12345678']) {
      const r = spawnSync(
        'sh',
        ['-c', 'printf "create-daemon variant 1\\n%s" "$1" | openssl dgst -sha256 -hmac "$2"', 'sh', id, SEED],
        {
          encoding: 'utf8',
        },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(variantRecord(SEED, id)).toBe(`${id} ${r.stdout.trim().replace(/^.*= */, '')}`);
    }
  });

  it('takes an id in lower case: "Ada" and "ada" are one student, as for tests/grade.sh', () => {
    expect(variantRecord(SEED, 'Ada')).toBe(variantRecord(SEED, 'ada'));
    expect(variantRecord(SEED, 'Chen@Uni.EDU')).toBe(variantRecord(SEED, 'chen@uni.edu'));
    expect(variantRecord(SEED, 'Ada').split(' ')[0]).toBe('ada');
  });

  it('derives every detail from the digest, and both reload signals occur', () => {
    const reloads = new Set<string>();
    const facilities = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const v = parseVariant(variantRecord(SEED, `s${i}`), 'myd', '/run/myd/myd.pid')!;
      expect(v.student).toBe(`s${i}`);
      expect([v.reload, v.spare].sort()).toEqual(['HUP', 'USR2']);
      expect(v.ident).toMatch(/^myd-[0-9a-f]{4}$/);
      expect(v.facility).toMatch(/^local[0-7]$/);
      expect(v.token).toMatch(/^[0-9a-f]{8}$/);
      expect(v.pidfile).toMatch(/^\/run\/myd\/myd-[0-9a-f]{4}\.pid$/);
      reloads.add(v.reload);
      facilities.add(v.facility);
    }
    expect(reloads.size).toBe(2);
    expect(facilities.size).toBeGreaterThan(4);
    expect(parseVariant('', 'myd', '/run/myd.pid')).toBeUndefined();
  });

  it("writes the student's handout: the values stated, the seed nowhere, kept without it on regeneration", () => {
    const parent = tempDir('cd-variant-');
    const dir = join(parent, 'myd');
    // Both from the environment, where ps(1) does not show the seed.
    const r = runCli(['myd', '--yes', '--starter', '--dir', dir], parent, {
      CREATE_DAEMON_STUDENT: 'ada',
      CREATE_DAEMON_VARIANT_SEED: SEED,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("This handout is ada's variant");
    const v = parseVariant(variantRecord(SEED, 'ada'), 'myd', '/run/myd.pid')!;
    const files = snapshotTree(dir);
    for (const [path, { contents }] of files) expect(contents, path).not.toContain(SEED);
    const saved = JSON.parse(files.get('.yo-rc.json')!.contents)['create-daemon'];
    expect(saved.variant).toBe(variantRecord(SEED, 'ada'));
    const readme = files.get('README.md')!.contents;
    expect(readme).toContain('## Your variant');
    for (const value of [`SIG${v.reload}`, v.ident, v.facility, v.token, v.pidfile]) expect(readme).toContain(value);
    expect(files.get('tests/variant')!.contents).toContain(`VARIANT_RELOAD='${v.reload}'`);
    expect(files.get('src/variant.c')!.contents).toContain(`const char\tvariant_token[] = "${v.token}";`);
    expect(files.get('init/systemd/myd.service')!.contents).toContain(`ExecReload=/bin/kill -${v.reload} $MAINPID`);
    expect(files.get('helper/signals.c')!.contents).toContain(`SIG${v.reload}`);

    // Regenerated without the seed, and the init files by `units`: the same files.
    const again = runCli(['myd', '--yes', '--force', '--starter', '--dir', dir], parent);
    expect(again.status, again.stderr).toBe(0);
    const units = runCli(['units', '--yes', '--check'], dir);
    expect(units.status, units.stdout + units.stderr).toBe(0);
    expect(snapshotTree(dir)).toEqual(files);
    expect(readFileSync(join(dir, '.yo-rc.json'), 'utf8')).toBe(files.get('.yo-rc.json')!.contents);
  });
});
