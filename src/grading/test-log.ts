import { END_MARKER, PATCH_REFUSED_MARKER, START_MARKER, TEST_PATCH_FAILED_MARKER } from './eval-markers.js';
import type { TestStatusMap } from './test-status.js';

/**
 * The test run's part of the eval script's output. The first start marker is the script's
 * own (nothing of the patch has run before it); the last end marker is too (the script prints
 * it after the test command ended). Spoofed markers in between stay inside the slice.
 */
export function testSection(output: string): string | undefined {
  const start = output.indexOf(START_MARKER);
  const end = output.lastIndexOf(END_MARKER);
  if (start < 0 || end < start) return undefined;
  return output.slice(start + START_MARKER.length, end);
}

/**
 * The eval script's refusal of the patch (it would take over the runner), printed before any
 * test ran and before anything of the patch ran, so it cannot be spoofed: the reason, if any.
 */
export function patchRefused(output: string): string | undefined {
  if (output.includes(START_MARKER)) return undefined;
  const line = output.split('\n').find((l) => l.startsWith(PATCH_REFUSED_MARKER));
  return line?.slice(PATCH_REFUSED_MARKER.length).trim();
}

export function testPatchFailed(output: string): boolean {
  return output.split('\n').some((line) => line.trim() === TEST_PATCH_FAILED_MARKER) && !output.includes(START_MARKER);
}

/**
 * A test command that exited non-zero while its log shows every test passing is lying or
 * crashed (killed by the OOM killer, os._exit after printing PASSED lines): its log is not
 * evidence. Returns the reason, or undefined when the exit code and the log agree.
 */
export function exitCodeDisagreement(exitCode: number | null, statuses: TestStatusMap): string | undefined {
  if (exitCode === null || exitCode === 0) return undefined;
  const failing = [...statuses.values()].some((s) => s === 'FAILED' || s === 'ERROR');
  if (failing) return undefined;
  return `the test command exited ${exitCode} but its log shows no failing test (${statuses.size} parsed)`;
}
