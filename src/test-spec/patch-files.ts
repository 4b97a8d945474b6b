import { headerPaths, NO_FILE } from '../patch/diff-paths.js';

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

/** A `---`/`+++` or `diff --git` name as written: unquoted, without a trailing timestamp. */
function headerName(p: string | undefined): string | undefined {
  return p === undefined ? undefined : unquote(p.trim().split('\t')[0] ?? '');
}

/**
 * The files of each `diff --git` block. Names are read with the patch module's one rule for
 * `a/` and `b/` (headerPaths: dropped only when both sides carry them), so a `--no-prefix`
 * diff of a top-level folder named `a` or `b` keeps its path.
 */
export function patchFiles(patch: string): PatchFiles {
  const modified: string[] = [];
  const added: string[] = [];
  const deleted: string[] = [];
  for (const block of patch.split(/^diff --git /m).slice(1)) {
    const header = block.split('\n', 1)[0] ?? '';
    const git = /^("?a\/.*?"?) ("?b\/.*"?)$/.exec(header);
    const minus = headerName(/^--- (.*)$/m.exec(block)?.[1]);
    const plus = headerName(/^\+\+\+ (.*)$/m.exec(block)?.[1]);
    const { oldPath, newPath } = headerPaths(minus ?? headerName(git?.[1]), plus ?? headerName(git?.[2]));
    const path = newPath ?? oldPath;
    if (!path) continue;
    if (/^new file mode/m.test(block) || minus === NO_FILE) added.push(path);
    else if (/^deleted file mode/m.test(block) || plus === NO_FILE) {
      deleted.push(oldPath ?? path);
      modified.push(oldPath ?? path);
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
 * Every path a patch names in any header git apply or patch(1) reads: `diff --git`, `---`/`+++`,
 * renames and copies. A superset of patchFiles, for refusing a patch by path: a patch without
 * `diff --git` headers, or one that renames a file into place, must not slip past. Unlike
 * headerPaths, each name loses its `a/` or `b/` alone: the grader applies with `git apply`
 * (-p1), which strips the first component whatever the other side says.
 */
export function mentionedPaths(patch: string): string[] {
  const found = new Set<string>();
  const add = (p: string | undefined) => {
    if (!p) return;
    const clean = unquote(p.trim().split('\t')[0] ?? '').replace(/^[ab]\//, '');
    if (clean && clean !== '/dev/null' && clean !== 'dev/null') found.add(clean.replace(/^\.\//, ''));
  };
  for (const line of patch.split('\n')) {
    const git = /^diff --git ("?a\/.*?"?) ("?b\/.*"?)$/.exec(line);
    if (git) {
      add(git[1]);
      add(git[2]);
      continue;
    }
    const header = /^(?:--- |\+\+\+ |rename from |rename to |copy from |copy to )(.*)$/.exec(line);
    if (header) add(header[1]);
  }
  return [...found];
}

/** The lines a patch adds and removes, per file (the `+`/`-` lines of its hunks). */
export function changedLines(patch: string): Array<{ file: string; sign: '+' | '-'; text: string }> {
  const out: Array<{ file: string; sign: '+' | '-'; text: string }> = [];
  const lines = patch.split('\n');
  let file = '';
  let inHunk = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    // A file header is `--- ` directly followed by `+++ `; inside a hunk `--- x` is a removed line.
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const { oldPath, newPath } = headerPaths(headerName(line.slice(4)), headerName((lines[i + 1] as string).slice(4)));
      file = newPath ?? oldPath ?? '';
      inHunk = false;
      i++;
    } else if (line.startsWith('diff --git ')) inHunk = false;
    else if (line.startsWith('@@')) inHunk = true;
    else if (inHunk && (line.startsWith('+') || line.startsWith('-'))) out.push({ file, sign: line[0] as '+' | '-', text: line.slice(1) });
  }
  return out;
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
