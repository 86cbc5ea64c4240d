// The --starter project, single reload model, tick payload: see test/support/starter-suite.ts.
import { starterSuite } from '../support/starter-suite.js';

starterSuite('single', 'tick');
