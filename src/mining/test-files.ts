import { matchesAnyGlob } from '../util/glob.js';

export type Language = 'python' | 'javascript' | 'go' | 'rust' | 'java';

/**
 * Where each language keeps its tests, as path globs (the patterns SWE-bench's and
 * SWE-bench-Live's collectors use, written for git's glob syntax). A file matching one is a
 * test file; everything else the change touches is code. A spec may replace them
 * (`mining.test_globs`), so a repository with its own layout is split the way it is kept.
 */
export const TEST_FILE_GLOBS: Readonly<Record<Language, readonly string[]>> = {
  python: ['**/test_*.py', '**/*_test.py', '**/tests/**', '**/test/**', '**/testing/**', '**/conftest.py'],
  javascript: [
    '**/*.test.{js,mjs,cjs,jsx,ts,mts,cts,tsx}',
    '**/*.spec.{js,mjs,cjs,jsx,ts,mts,cts,tsx}',
    '**/test/**',
    '**/tests/**',
    '**/__tests__/**',
  ],
  go: ['**/*_test.go', '**/testdata/**'],
  rust: ['**/tests/**', '**/*_test.rs', '**/benches/**'],
  java: ['**/src/test/**', '**/*Test.java', '**/*Tests.java', '**/*IT.java'],
};

/** Files that are neither code nor tests: a change to them alone is not a fix of anything. */
const NEITHER = ['**/*.md', '**/*.rst', '**/*.txt', '**/docs/**', '**/doc/**', '**/CHANGELOG*', '**/changelog/**', '**/.github/**', '**/LICENSE*'];

export type FileRole = 'test' | 'code' | 'other';

export interface SplitRule {
  language: Language;
  testGlobs: readonly string[];
  /** Where the rule came from: the language's conventions or the spec. */
  source: 'convention' | 'spec';
}

export function splitRule(language: Language, override?: readonly string[]): SplitRule {
  return override && override.length > 0 ? { language, testGlobs: override, source: 'spec' } : { language, testGlobs: TEST_FILE_GLOBS[language], source: 'convention' };
}

/** Test globs are matched first: a README under tests/ is test data, not documentation. */
export function fileRole(file: string, rule: SplitRule): FileRole {
  if (matchesAnyGlob(file, [...rule.testGlobs])) return 'test';
  if (matchesAnyGlob(file, NEITHER)) return 'other';
  return 'code';
}
