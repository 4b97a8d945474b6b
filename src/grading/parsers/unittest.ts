import type { LogParser } from './log-parser.js';
import { checkUnittestCompletion, parseUnittestStyleLog } from './unittest-log.js';

export const unittestParser: LogParser = {
  name: 'unittest',
  description: 'python -m unittest -v output (`test_x (module.Class) ... ok`), SWE-bench Django spelling',
  parse: (log) => parseUnittestStyleLog(log),
  checkCompletion: checkUnittestCompletion,
};
