import { patchFiles } from '../test-spec/patch-files.js';
import { fileRole, type SplitRule } from './test-files.js';

/** A commit's change split the way SWE-bench keeps it: the fix, and the tests that check it. */
export interface SplitChange {
  /** Code (and other non-test files): the gold patch. */
  patch: string;
  /** Test files: applied before the tests run, whatever the prediction. */
  testPatch: string;
  codeFiles: string[];
  testFiles: string[];
  /** Files that are neither code nor tests (docs, changelog): kept in the patch, not counted. */
  otherFiles: string[];
}

/** The `diff --git` blocks of a diff, each whole (header, modes, hunks or binary data). */
function fileBlocks(diff: string): string[] {
  return diff
    .split(/^(?=diff --git )/m)
    .filter((block) => block.startsWith('diff --git '));
}

function blockPath(block: string): string | undefined {
  const files = patchFiles(block);
  return files.added[0] ?? files.modified[0];
}

export function splitChange(diff: string, rule: SplitRule): SplitChange {
  const code: string[] = [];
  const tests: string[] = [];
  const out: SplitChange = { patch: '', testPatch: '', codeFiles: [], testFiles: [], otherFiles: [] };
  for (const block of fileBlocks(diff)) {
    const file = blockPath(block);
    if (!file) continue;
    const role = fileRole(file, rule);
    if (role === 'test') {
      tests.push(block);
      out.testFiles.push(file);
    } else {
      code.push(block);
      (role === 'code' ? out.codeFiles : out.otherFiles).push(file);
    }
  }
  out.patch = code.join('');
  out.testPatch = tests.join('');
  return out;
}
