/** What a unified git diff touches, read from its headers (no patch library needed for this). */
export interface PatchFiles {
  /** Paths that exist before the patch and are changed or deleted by it. */
  modified: string[];
  /** Paths the patch creates. */
  added: string[];
  /** Paths the patch deletes. */
  deleted: string[];
}

function unquote(p: string): string {
  if (!p.startsWith('"')) return p;
  try {
    return JSON.parse(p) as string;
  } catch {
    return p.slice(1, -1);
  }
}

export function patchFiles(patch: string): PatchFiles {
  const modified: string[] = [];
  const added: string[] = [];
  const deleted: string[] = [];
  for (const block of patch.split(/^diff --git /m).slice(1)) {
    const header = block.split('\n', 1)[0] ?? '';
    const target = /^(?:"?a\/.*?"?) ("?b\/.*"?)$/.exec(header)?.[1];
    const plusPath = /^\+\+\+ (.*)$/m.exec(block)?.[1];
    const minusPath = /^--- (.*)$/m.exec(block)?.[1];
    const strip = (p: string) => unquote(p.trim()).replace(/^[ab]\//, '');
    const path = plusPath && plusPath !== '/dev/null' ? strip(plusPath) : target ? strip(target) : undefined;
    if (!path) continue;
    if (/^new file mode/m.test(block) || minusPath === '/dev/null') added.push(path);
    else if (/^deleted file mode/m.test(block) || plusPath === '/dev/null') {
      deleted.push(strip(minusPath ?? path));
      modified.push(strip(minusPath ?? path));
    } else modified.push(path);
  }
  return { modified, added, deleted };
}

/** As SWE-bench: files of these kinds in a test patch are data, not tests to run. */
const NON_TEST_EXTENSIONS = ['.json', '.png', 'csv', '.txt', '.md', '.jpg', '.jpeg', '.pkl', '.yml', '.yaml', '.toml'];

/** The test files a test patch leaves in place: what the test command runs. */
export function testDirectives(testPatch: string): string[] {
  const { modified, added, deleted } = patchFiles(testPatch);
  return [...modified, ...added].filter((f) => !deleted.includes(f) && !NON_TEST_EXTENSIONS.some((ext) => f.endsWith(ext)));
}

/**
 * Test files as the runner takes them: paths, or dotted modules (Django's runtests.py takes
 * `tests/admin_views/tests.py` as `admin_views.tests`, with the spec's `strip_prefix: tests/`).
 */
export function formatDirectives(files: string[], rule: { format: 'files' | 'modules'; strip_prefix?: string | undefined }): string[] {
  if (rule.format === 'files') return files;
  return files.map((f) => {
    const prefix = rule.strip_prefix;
    const rest = prefix && f.startsWith(prefix) ? f.slice(prefix.length) : f;
    return rest.replace(/\.py$/, '').replaceAll('/', '.');
  });
}
