// The --starter project, multi reload model, echo payload: see test/support/starter-suite.ts.
import { starterSuite } from '../support/starter-suite.js';

starterSuite('multi', 'echo');
