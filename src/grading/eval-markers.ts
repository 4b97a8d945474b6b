/**
 * The contract between the eval script (test-spec/eval-script.ts writes it) and the grader
 * (grading/test-log.ts reads its output): the lines printed around the test run, the exit
 * codes that mean "nothing of the tests ran", and where the repository is in the container.
 * Written once here; everything else imports it.
 */

/** Lines the eval script prints around the test run; grading reads only what is between. */
export const START_MARKER = '>>>>> Start Test Output';
export const END_MARKER = '>>>>> End Test Output';
export const TEST_PATCH_FAILED_MARKER = '>>>>> Test Patch Failed';
/** Exit code of the eval script when the test patch did not apply (before any test ran). */
export const TEST_PATCH_FAILED_EXIT = 97;
/** Printed (with the reason after it) when the patch would take over the runner; nothing ran. */
export const PATCH_REFUSED_MARKER = '>>>>> Patch Refused:';
export const PATCH_REFUSED_EXIT = 95;
/** Printed when strict `git apply` of the model patch failed, before eval.sh ran. */
export const APPLY_FAILED_MARKER = '>>>>> Patch Apply Failed';
export const APPLY_FAILED_EXIT = 96;

/** The repository root inside every task container (SWE-bench's). */
export const TESTBED = '/testbed';
