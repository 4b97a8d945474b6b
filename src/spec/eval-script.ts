import type { EnvSpec } from '../config/spec-schema.js';
import { heredocDelimiter, shellQuote } from '../util/shell.js';
import { patchFiles } from './patch-files.js';

/** Lines the eval script prints around the test run; grading reads only what is between. */
export const START_MARKER = '>>>>> Start Test Output';
export const END_MARKER = '>>>>> End Test Output';
export const TEST_PATCH_FAILED_MARKER = '>>>>> Test Patch Failed';
/** Exit code of the eval script when the test patch did not apply (before any test ran). */
export const TEST_PATCH_FAILED_EXIT = 97;

export const TESTBED = '/testbed';

function envExports(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
}

/**
 * Files the model's patch may not change because they change how tests run or report
 * (pytest's conftest.py): restored to base_commit, or removed when new, before the test patch.
 * The tracked ones are listed from the index, which is base_commit's tree: patches are applied
 * to the work tree only, and `git ls-tree` refuses `:(glob)` pathspecs.
 */
export function protectFiles(baseCommit: string, globs: string[]): string[] {
  if (globs.length === 0) return [];
  const specs = globs.map((g) => shellQuote(`:(glob)${g}`)).join(' ');
  return [
    `git ls-files -z -- ${specs} | xargs -0 -r git checkout ${baseCommit} -- >/dev/null 2>&1`,
    `git ls-files --others -z -- ${specs} | xargs -0 -r rm -f --`,
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
export function makeEvalScript(opts: { baseCommit: string; testPatch: string; env: EnvSpec; testCommand: string; protectedFiles?: string[] }): string {
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
    'command git config --global --add safe.directory /testbed >/dev/null 2>&1 || true',
    ...envExports(opts.env.env),
    ...opts.env.eval_commands,
    `${resetTracked} >/dev/null 2>&1 || true`,
    ...protectFiles(opts.baseCommit, opts.protectedFiles ?? []),
    removeAdded,
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
