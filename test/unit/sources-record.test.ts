// The sources record (core/saved.ts): what the project outside init/ was generated from, where `units`
// changed the saved answers since; an answer changed back leaves it.
import { describe, expect, it } from 'vitest';
import { completeAnswers, ordered } from '../../generators/core/answers.js';
import { sourcesRecord } from '../../generators/units/regenerate.js';

const answers = (given: object) => ordered(completeAnswers({ name: 'myd', pidfile: '/run/myd/myd.pid', ...given }));

describe('sourcesRecord', () => {
  const generated = answers({});
  it('records the generated value of each answer units changes, and nothing for the others', () => {
    expect(sourcesRecord(generated, generated, {})).toEqual({});
    expect(sourcesRecord(generated, answers({ user: 'svc' }), {})).toEqual({ user: '' });
  });

  it('keeps what an earlier units recorded, and drops an answer changed back', () => {
    const first = answers({ user: 'svc' });
    const prior = sourcesRecord(generated, first, {});
    // A second units changes user again: the sources still follow the first value, not "svc".
    expect(sourcesRecord(first, answers({ user: 'other' }), prior)).toEqual({ user: '' });
    expect(sourcesRecord(first, answers({ user: 'svc', facility: 'local0' }), prior)).toEqual({
      user: '',
      facility: 'daemon',
    });
    expect(sourcesRecord(first, generated, prior)).toEqual({});
  });
});
