// Single-threaded reload model: every payload x user cell, gcc and clang at -Werror, make check.
import { buildSuite } from '../support/emitted-build.js';

buildSuite('single');
