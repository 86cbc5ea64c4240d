/*
 * control.test.ts: the control protocol's line encoding (control.ts): one line per message,
 * every control character folded to a space.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { encodeLine, isSocketFd } from './control.js';

test('a message is one line', () => {
  assert.equal(encodeLine('READY', 'ticking every 60 s: hi'), 'READY ticking every 60 s: hi\n');
  assert.equal(encodeLine('RELOADING'), 'RELOADING\n');
  assert.equal(encodeLine('LOG info', 'x'), 'LOG info x\n');
});

test('newlines and other control characters are folded to spaces', () => {
  assert.equal(encodeLine('LOG warn', 'a\nb\r\nc\td\0e\x1bf\x7fg'), 'LOG warn a b  c d e f g\n');
  assert.equal(encodeLine('STATUS', 'x\u0085y\u2028z\u2029'), 'STATUS x y z \n');
  assert.equal(encodeLine('FAIL', '78 héllo wörld'), 'FAIL 78 héllo wörld\n');
  const line = encodeLine('LOG info', Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(''));
  assert.equal(line.indexOf('\n'), line.length - 1);
});

test('a line is cut at 1023 bytes, between two characters', () => {
  const line = encodeLine('LOG info', 'x'.repeat(2000));
  assert.equal(Buffer.byteLength(line), 1024);
  const wide = encodeLine('LOG info', 'é'.repeat(1000)); /* 9 + 2 * 507 = 1023 */
  assert.equal(Buffer.byteLength(wide), 1024);
  assert.ok(!wide.includes('\ufffd'));
  const odd = encodeLine('LOG info ', 'é'.repeat(1000)); /* 10 + 2 * 506 = 1022 */
  assert.equal(Buffer.byteLength(odd), 1023);
});

test('isSocketFd() tells a socket from a closed or other descriptor', () => {
  assert.equal(isSocketFd(999), false);
});
