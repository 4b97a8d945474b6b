import { describe, expect, it } from 'vitest';
import { headerPaths } from '../../src/patch/diff-paths.js';
import { changedLines, patchFiles } from '../../src/test-spec/patch-files.js';

// Regression: the test-spec read diff headers with its own rule (drop any a/ or b/ on each
// side), the patch module with another (drop them only when both sides carry them). One rule
// now: a --no-prefix diff of a top-level folder named `a` keeps its path everywhere.
describe('one a/ b/ rule for diff headers (patchFiles agrees with the patch module)', () => {
  const noPrefix = ['diff --git a/x.py a/x.py', '--- a/x.py', '+++ a/x.py', '@@ -1 +1 @@', '-old', '+new', ''].join('\n');
  const gitPrefixed = ['diff --git a/a/x.py b/a/x.py', '--- a/a/x.py', '+++ b/a/x.py', '@@ -1 +1 @@', '-old', '+new', ''].join('\n');

  it('keeps a real top-level folder a/ in a --no-prefix diff', () => {
    expect(headerPaths('a/x.py', 'a/x.py')).toEqual({ oldPath: 'a/x.py', newPath: 'a/x.py' });
    expect(patchFiles(noPrefix).modified).toEqual(['a/x.py']);
    expect(changedLines(noPrefix).map((l) => l.file)).toEqual(['a/x.py', 'a/x.py']);
  });

  it('drops the prefixes of a git diff once', () => {
    expect(patchFiles(gitPrefixed).modified).toEqual(['a/x.py']);
    expect(changedLines(gitPrefixed)[0]?.file).toBe('a/x.py');
  });

  it('reads new and deleted files against /dev/null', () => {
    const created = ['diff --git a/n.py b/n.py', 'new file mode 100644', '--- /dev/null', '+++ b/n.py', '@@ -0,0 +1 @@', '+x', ''].join('\n');
    const removed = ['diff --git a/d.py b/d.py', 'deleted file mode 100644', '--- a/d.py', '+++ /dev/null', '@@ -1 +0,0 @@', '-x', ''].join('\n');
    expect(patchFiles(created)).toEqual({ modified: [], added: ['n.py'], deleted: [] });
    expect(patchFiles(removed)).toEqual({ modified: ['d.py'], added: [], deleted: ['d.py'] });
  });
});
