// generators/core/rpm.ts: the spec's text fields. test/init/rpm.test.ts has rpm read them back.
import { describe, expect, it } from 'vitest';
import { completeAnswers } from '../../generators/core/answers.js';
import { specText } from '../../generators/core/escape.js';
import { descriptionLines, rpmFields } from '../../generators/core/rpm.js';

describe('specText', () => {
  it('doubles every %, and folds the text to one line', () => {
    expect(specText('100% %{name} %%\n%(id)')).toBe('100%% %%{name} %%%% %%(id)');
  });
});

describe('descriptionLines', () => {
  it('wraps at 79 columns, keeping every word in order', () => {
    const text = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const lines = descriptionLines('myd', text);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => l.length <= 79)).toBe(true);
    expect(lines.join(' ')).toBe(text);
  });

  it('never starts a line with % (a section once expanded) or # (a comment)', () => {
    const text = `%files ${'x'.repeat(70)} %post ${'y'.repeat(70)} #z`;
    const lines = descriptionLines('myd', text);
    expect(lines[0]).toMatch(/^myd: %files/);
    expect(lines.some((l) => /^[%#]/.test(l))).toBe(false);
    expect(lines.join(' ')).toBe(`myd: ${text}`);
  });
});

describe('rpmFields', () => {
  it('a Summary capitalised without its final period, an SPDX License, the config directory', () => {
    const f = rpmFields(
      completeAnswers({ name: 'myd', description: 'keeps 100% of time.', config: '/etc/myd/myd.conf' }),
    );
    expect(f.summary).toBe('Keeps 100%% of time');
    expect(f.license).toBe('MIT');
    expect(f.configDir).toBe('/etc/myd');
    expect(f.init).toBe('systemd');
    const none = rpmFields(completeAnswers({ name: 'myd', license: 'none', init: ['sysv'] }));
    expect([none.license, none.configDir, none.init]).toEqual(['LicenseRef-Proprietary', '', 'sysv']);
  });
});
