import { globToRegExp } from '../util/glob.js';
import { changedLines, mentionedPaths, patchFiles } from './patch-files.js';

/**
 * What a model patch may not change because it changes how the tests run or how their results
 * are reported, per language: runner configuration, plugin hooks, files that take over the
 * runner. Three treatments, chosen per class:
 *
 * - protect: restored to base_commit (removed when new) before the test patch is applied, so the
 *   runner sees the repository's own configuration. For files a fix has no reason to touch.
 * - refuse by path: the patch is not graded (not resolved, reason PATCH_REFUSED). For paths
 *   whose original cannot be restored (install metadata, dependencies) or that never belong
 *   in a fix.
 * - refuse by line: for files a fix may legitimately change (package.json, go.mod, Cargo.toml,
 *   pom.xml) where only some settings take over the runner.
 *
 * A spec's `protected_files` adds to the protected globs.
 */
export interface RunnerGuard {
  protect: string[];
  refusePaths: Array<{ pattern: RegExp; why: string }>;
  refuseLines: Array<{ file: RegExp; line: RegExp; why: string }>;
  /** Check in the container that no new top-level module shadows an installed one. */
  pythonShadowCheck: boolean;
}

const ANY_LANGUAGE: Pick<RunnerGuard, 'refusePaths'> = {
  refusePaths: [
    { pattern: /(^|\/)\.git(\/|$)/, why: 'writes inside .git (a planted hook or config would run code)' },
    // A parser that reads report files (JUnit XML) would read the patch's own.
    { pattern: /(^|\/)(surefire-reports|failsafe-reports|test-results|test-reports)\//, why: 'writes test report files' },
  ],
};

const PYTHON: RunnerGuard = {
  protect: ['conftest.py', '**/conftest.py', 'sitecustomize.py', '**/sitecustomize.py', 'usercustomize.py', '**/usercustomize.py'],
  refusePaths: [
    // importlib.metadata reads these on sys.path: an entry point under [pytest11] is a plugin pytest loads.
    { pattern: /(^|\/)[^/]+\.(egg-info|dist-info|egg-link)(\/|$)/, why: 'writes package metadata (entry points can load a pytest plugin)' },
    { pattern: /(^|\/)(site-packages|dist-packages)\//, why: 'writes into an installed packages folder' },
    { pattern: /(^|\/)[^/]+\.pth$/, why: 'adds a .pth file (code run at interpreter start)' },
    // Compiled modules are imported before the source beside them (an extension module first,
    // an unchecked-hash .pyc without looking at the source): a test module of the patch's own.
    { pattern: /(^|\/)__pycache__\/|\.py[co]$|\.(so|pyd)$/, why: 'adds compiled Python (imported instead of the source beside it)' },
  ],
  refuseLines: [],
  pythonShadowCheck: true,
};

const JAVASCRIPT: RunnerGuard = {
  protect: [
    '**/.mocharc*',
    '**/jest.config.*',
    '**/jest.setup.*',
    '**/vitest.config.*',
    '**/vitest.workspace.*',
    '**/vite.config.*',
    '**/babel.config.*',
    '**/.babelrc*',
    '**/.swcrc',
    '**/.npmrc',
    '**/.nycrc*',
    '**/.c8rc*',
    '**/.taprc',
    '**/*.test.{js,mjs,cjs,ts,mts,cts,jsx,tsx}',
    '**/*.spec.{js,mjs,cjs,ts,mts,cts,jsx,tsx}',
    '**/__tests__/**',
  ],
  refusePaths: [{ pattern: /(^|\/)node_modules\//, why: 'writes into node_modules (a test library or runner of its own)' }],
  refuseLines: [
    {
      file: /(^|\/)package\.json$/,
      line: /^\s*"((pre|post)?test(:[^"]*)?|jest|mocha|vitest|ava|tap|c8|nyc|node-option|imports)"\s*:/,
      why: 'changes how package.json runs or configures the tests',
    },
  ],
  pythonShadowCheck: false,
};

const GO: RunnerGuard = {
  // go test runs every _test.go file of a package: a TestMain of the patch's own would take over.
  protect: ['**/*_test.go', 'go.work', 'go.work.sum', 'vendor/**', '**/testdata/**'],
  refusePaths: [],
  refuseLines: [{ file: /(^|\/)go\.mod$/, line: /(^\s*replace\b)|=>/, why: 'adds a replace directive to go.mod (swaps a module, such as the assertion library)' }],
  pythonShadowCheck: false,
};

const RUST: RunnerGuard = {
  protect: ['.cargo/config', '.cargo/config.toml', '**/.cargo/config', '**/.cargo/config.toml', 'tests/**', '**/tests/**'],
  refusePaths: [],
  refuseLines: [
    { file: /(^|\/)Cargo\.toml$/, line: /harness\s*=|^\s*\[(patch|replace)[.\]]|^\s*test\s*=/, why: 'changes how Cargo.toml builds or runs the tests (custom harness, patched crates)' },
  ],
  pythonShadowCheck: false,
};

const JVM: RunnerGuard = {
  protect: ['.mvn/**', '**/src/test/**', 'src/test/**', 'gradle/init.d/**', 'init.gradle', 'gradle.properties', '**/gradle.properties'],
  refusePaths: [{ pattern: /META-INF\/services\/org\.junit\./, why: 'registers a JUnit service (a listener can rewrite results)' }],
  refuseLines: [
    { file: /(^|\/)pom\.xml$/, line: /surefire|failsafe|testFailureIgnore|skipTests|maven\.test\.|<skip>|<includes>|<excludes>|<testSourceDirectory>/, why: 'changes the test plugins in pom.xml' },
    { file: /\.gradle(\.kts)?$/, line: /ignoreFailures|\btest\s*\{|withType\s*\(\s*Test|tasks\.test|afterTest|beforeTest|testLogging|useJUnit/, why: 'changes the test task in the Gradle build' },
  ],
  pythonShadowCheck: false,
};

const BY_BASE: Record<string, RunnerGuard> = { python: PYTHON, node: JAVASCRIPT, go: GO, rust: RUST, java: JVM };
const BY_PARSER: Array<[RegExp, RunnerGuard]> = [
  [/pytest|unittest|django|sympy|seaborn|matplotlib/, PYTHON],
  [/node|jest|vitest|mocha/, JAVASCRIPT],
  [/go/, GO],
  [/cargo|rust/, RUST],
  [/junit|maven|surefire|gradle/, JVM],
];

/** Parsers of pytest's output (SWE-bench's per-repository readings of it). */
const PYTEST_FAMILY = /pytest|matplotlib|seaborn/;

/** pytest reads its ini from the first folder, walking up from the test files' folders, that has one. */
const PYTEST_INI_FILES = ['pytest.ini', '.pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml'];

function ancestorFolders(file: string): string[] {
  const parts = file.split('/').slice(0, -1);
  return Array.from({ length: parts.length + 1 }, (_, n) => parts.slice(0, n).join('/'));
}

/** The ini files pytest could read for these test files: at the root and on the way down to them. */
export function pytestConfigPaths(testFiles: string[]): string[] {
  const folders = new Set(['', ...testFiles.flatMap(ancestorFolders)]);
  return [...folders].flatMap((dir) => PYTEST_INI_FILES.map((name) => (dir ? `${dir}/${name}` : name)));
}

export function runnerGuard(base: string, logParser: string, testFiles: string[], extraProtected: string[] = []): RunnerGuard {
  const language = BY_BASE[base] ?? BY_PARSER.find(([re]) => re.test(logParser))?.[1];
  const guard = language ?? { protect: [], refusePaths: [], refuseLines: [], pythonShadowCheck: false };
  const pytestFiles = PYTEST_FAMILY.test(logParser) ? pytestConfigPaths(testFiles) : [];
  return {
    protect: [...new Set([...guard.protect, ...pytestFiles, ...extraProtected])],
    refusePaths: [...ANY_LANGUAGE.refusePaths, ...guard.refusePaths],
    refuseLines: guard.refuseLines,
    pythonShadowCheck: guard.pythonShadowCheck,
  };
}

/** Why the patch is refused before it is applied, or undefined when it may be graded. */
export function refusal(patch: string, guard: RunnerGuard): string | undefined {
  for (const file of mentionedPaths(patch)) {
    const rule = guard.refusePaths.find((r) => r.pattern.test(file));
    if (rule) return `the patch ${rule.why}: ${file}`;
  }
  for (const change of changedLines(patch)) {
    const rule = guard.refuseLines.find((r) => r.file.test(change.file) && r.line.test(change.text));
    if (rule) return `the patch ${rule.why}: ${change.file}: ${change.sign}${change.text.trim().slice(0, 120)}`;
  }
  return undefined;
}

/** The protected files this patch changes: restored to base_commit, or removed when it adds them. */
export function protectedChanges(patch: string, protect: string[]): { restored: string[]; removed: string[] } {
  const patterns = protect.map(globToRegExp);
  const hit = (f: string) => patterns.some((p) => p.test(f));
  const { modified, added } = patchFiles(patch);
  return { restored: modified.filter(hit), removed: added.filter(hit) };
}
