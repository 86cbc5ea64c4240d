// The mutations of test/emitted/mutations.ts, caught by make check run as nobody under umask 027
// (and, like every test here, with no terminal): the conditions a student's or a CI account meets.
import { mutationSuite } from '../support/mutation-suite.js';

mutationSuite('nobody');
