import type { EnvSpec } from '../config/spec-schema.js';
import { END_MARKER, PATCH_REFUSED_EXIT, PATCH_REFUSED_MARKER, START_MARKER, TEST_PATCH_FAILED_EXIT, TEST_PATCH_FAILED_MARKER, TESTBED } from '../grading/eval-markers.js';
import { expandBraces } from '../util/glob.js';
import { heredocDelimiter, shellQuote } from '../util/shell.js';
import { patchFiles } from './patch-files.js';


function envExports(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
}

/**
 * Files the model's patch may not change because they change how tests run or report (see
 * runner-guard.ts): restored to base_commit, or removed when new, before the test patch.
 * Untracked files under node_modules are installed dependencies, not the patch's.
 * The tracked ones are those the patch changed or deleted (`git ls-tree` refuses `:(glob)`
 * pathspecs, so it cannot list them).
 */
export function protectFiles(baseCommit: string, globs: string[]): string[] {
  if (globs.length === 0) return [];
  const specs = globs.flatMap(expandBraces).map((g) => shellQuote(`:(glob)${g}`)).join(' ');
  return [
    // What the patch changed or deleted among tracked files (git ls-tree has no glob pathspecs).
    `git diff --no-renames --name-only -z ${baseCommit} -- ${specs} 2>/dev/null | xargs -0 -r git checkout ${baseCommit} -- >/dev/null 2>&1`,
    `git ls-files --others -z -- ${specs} ${shellQuote(':(exclude,glob)**/node_modules/**')} | xargs -0 -r rm -f --`,
  ];
}

/**
 * A new top-level Python module or package that has the name of one installed outside the
 * repository (pytest.py, unittest/, pluggy.py at the root, or in a folder that is not a
 * package) is imported instead of it: the patch would bring its own test runner. Checked with
 * the environment's own interpreter on the files the patch added (untracked, not install
 * output), before anything of the patch runs and before the test patch.
 */
const SHADOW_PROGRAM = [
  'import importlib.util, os, sys',
  `inside = lambda p: os.path.realpath(p or ".") == "${TESTBED}" or os.path.realpath(p or ".").startswith("${TESTBED}/")`,
  'sys.path = [p for p in sys.path if p and not inside(p)]',
  'for f in sys.stdin.read().split("\\0"):',
  '    parts = f.split("/")',
  '    if parts[-1] == "__init__.py" and len(parts) >= 2:',
  '        folder, name = "/".join(parts[:-2]), parts[-2]',
  '    elif parts[-1].endswith((".py", ".pyc", ".so", ".pyd")):',
  '        folder, name = "/".join(parts[:-1]), parts[-1].split(".")[0]',
  '    else:',
  '        continue',
  `    if not name.isidentifier() or (folder and os.path.exists(os.path.join("${TESTBED}", folder, "__init__.py"))):`,
  '        continue',
  '    try:',
  '        spec = importlib.util.find_spec(name)',
  '    except Exception:',
  '        spec = None',
  '    origin = spec and (spec.origin or next(iter(spec.submodule_search_locations or []), "")) or ""',
  '    if spec and not inside(origin):',
  '        print("swe-harness-shadow: " + f + " shadows the installed module " + name + " (" + origin + ")")',
].join('\n');

function pythonShadowCheck(): string[] {
  const delimiter = heredocDelimiter(SHADOW_PROGRAM, 'PY_SWE_HARNESS');
  return [
    'py=$(command -v python3 || command -v python || true)',
    'if [ -n "$py" ]; then',
    `  read -r -d '' shadow_check <<'${delimiter}' || true`,
    SHADOW_PROGRAM,
    delimiter,
    '  exclude=(); [ -f .git/info/exclude ] && exclude=(--exclude-from=.git/info/exclude)',
    // Only the program's own lines count: an environment's wrapper may print on its own.
    `  shadow=$(git ls-files --others -z "\${exclude[@]}" -- '*.py' '*.pyc' '*.so' '*.pyd' | (cd / && "$py" -I -c "$shadow_check") 2>/dev/null | sed -n 's/^swe-harness-shadow: //p')`,
    `  if [ -n "$shadow" ]; then echo "${PATCH_REFUSED_MARKER} $shadow"; exit ${PATCH_REFUSED_EXIT}; fi`,
    'fi',
  ];
}

/**
 * The script run in a fresh container after the model patch is applied, as SWE-bench's
 * eval.sh: reset the files the test patch touches, apply it, run the tests between markers,
 * and exit with the test command's own exit code (which grading checks against the log).
 *
 * Hardened against the code under test: the body is one function, so bash has parsed all of
 * it before anything runs (a rewrite of this file mid-run changes nothing), and git runs with
 * no hooks (a hook the patch planted cannot run before the tests).
 */
export function makeEvalScript(opts: {
  baseCommit: string;
  testPatch: string;
  env: EnvSpec;
  testCommand: string;
  protectedFiles?: string[];
  /** Refuse new Python modules that shadow installed ones (runner-guard.ts). */
  pythonShadowCheck?: boolean;
}): string {
  const { modified, added } = patchFiles(opts.testPatch);
  const resetTracked = modified.length > 0 ? `git checkout ${opts.baseCommit} -- ${modified.map(shellQuote).join(' ')}` : ':';
  // A model patch may have created a file the test patch creates; remove it so the test patch applies.
  const removeAdded = added.length > 0 ? `rm -rf -- ${added.map(shellQuote).join(' ')}` : ':';
  const delimiter = heredocDelimiter(opts.testPatch);
  const applyTestPatch =
    opts.testPatch.trim() === ''
      ? []
      : [`if ! git apply --verbose - <<'${delimiter}'`, opts.testPatch.endsWith('\n') ? opts.testPatch.slice(0, -1) : opts.testPatch, delimiter, 'then', `  echo '${TEST_PATCH_FAILED_MARKER}'`, `  exit ${TEST_PATCH_FAILED_EXIT}`, 'fi'];
  const body = [
    `cd ${TESTBED}`,
    `command git config --global --add safe.directory ${TESTBED} >/dev/null 2>&1 || true`,
    ...envExports(opts.env.env),
    // Before the spec's own eval commands, which may edit a protected file on purpose.
    ...protectFiles(opts.baseCommit, opts.protectedFiles ?? []),
    ...opts.env.eval_commands,
    `${resetTracked} >/dev/null 2>&1 || true`,
    removeAdded,
    ...(opts.pythonShadowCheck ? pythonShadowCheck() : []),
    ...applyTestPatch,
    `echo '${START_MARKER}'`,
    `${opts.testCommand} </dev/null`,
    'rc=$?',
    `echo '${END_MARKER}'`,
    `${resetTracked} >/dev/null 2>&1 || true`,
    'exit $rc',
  ];
  return [
    '#!/bin/bash',
    'set -uo pipefail',
    'git() { command git -c core.hooksPath=/dev/null -c core.fsmonitor=false "$@"; }',
    'main() {',
    ...body,
    '}',
    'main "$@"; exit $?',
    '',
  ].join('\n');
}
