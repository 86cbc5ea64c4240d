// The mutations of test/emitted/mutations.ts, caught by make check run as the invoking user.
import { mutationSuite } from '../support/mutation-suite.js';

mutationSuite('self');
