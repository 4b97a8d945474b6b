import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { containerLimits, type HarnessConfig } from '../config/harness-config.js';
import { LABELS } from '../docker/client.js';
import { RunningContainer } from '../docker/container.js';
import { errorCode, errorMessage, HarnessError } from '../errors.js';
import { gradeTests } from '../grading/grade.js';
import type { LogParser } from '../grading/parsers/log-parser.js';
import { getLogParser } from '../grading/parsers/registry.js';
import type { TestStatusMap } from '../grading/test-status.js';
import { patchFiles } from '../spec/patch-files.js';
import { exitCodeDisagreement, testPatchFailed, testSection } from '../grading/test-log.js';
import type { BuiltImages } from '../images/image-builder.js';
import type { Prediction } from '../instance/predictions.js';
import type { InstanceResult } from '../report/instance-result.js';
import { TESTBED } from '../spec/eval-script.js';
import type { TestSpec } from '../spec/test-spec.js';
import type { InstanceLog } from '../util/instance-log.js';
import { dockerAnswers } from './infra.js';
import { applyWithFallbacks, EVAL_PATH, STRICT_APPLY_THEN_EVAL, strictApplyFailed } from './apply-patch.js';

export interface GradingContext {
  config: HarnessConfig;
  runId: string;
  /** The instance's output folder: eval.sh, patch.diff, test_output.txt go here. */
  outDir: string;
  log: InstanceLog;
}

export type Verdict = Omit<InstanceResult, 'instance_id' | 'model_name_or_path' | 'patch_is_None' | 'patch_exists' | 'timings' | 'finished_at'>;

const NOT_RESOLVED = { resolved: false, resolution: 'NO' } as const;

/**
 * Grades a prediction in a fresh container from the instance image (never one an agent
 * used): apply the patch, run eval.sh, parse the log, grade. The container is removed
 * whatever happens.
 */
export async function gradePrediction(spec: TestSpec, prediction: Prediction, images: BuiltImages, ctx: GradingContext): Promise<{ verdict: Verdict; timings: Record<string, number> }> {
  const patch = prediction.model_patch ?? '';
  writeFileSync(path.join(ctx.outDir, 'patch.diff'), patch);
  writeFileSync(path.join(ctx.outDir, 'eval.sh'), spec.evalScript);
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  await using container = await RunningContainer.start({
    image: images.instance,
    labels: { [LABELS.kind]: 'grading', [LABELS.run]: ctx.runId, [LABELS.instance]: spec.instanceId },
    limits: containerLimits(ctx.config, ctx.config.sandbox.network),
  });
  timings.container_start_s = (Date.now() - t0) / 1000;
  ctx.log.info(`container ${container.id.slice(0, 12)} from ${spec.instanceImage.tag}`);
  const exec = (command: string, timeoutMs = 600_000) =>
    container.exec(['bash', '-c', command], { timeoutMs, outputCapBytes: ctx.config.sandbox.output_cap_bytes, workdir: TESTBED });
  await container.putFiles({ 'swe-harness/patch.diff': patch, 'swe-harness/eval.sh': spec.evalScript }, '/tmp');

  const intoGit = gitPaths(patch);
  if (intoGit.length > 0) {
    const message = `the patch writes inside .git (${intoGit.slice(0, 3).join(', ')}); git apply refuses that and so does the harness`;
    return { verdict: { ...NOT_RESOLVED, patch_successfully_applied: false, error: { code: 'PATCH_APPLY', message } }, timings };
  }
  const t1 = Date.now();
  const evalTimeout = spec.testTimeoutSeconds * 1000;
  let method = patch.trim() === '' ? undefined : 'git apply';
  let run = await exec(method ? STRICT_APPLY_THEN_EVAL : `bash ${EVAL_PATH}`, evalTimeout);
  if (method && strictApplyFailed(run)) {
    const outcome = await applyWithFallbacks(exec);
    ctx.log.info(`strict git apply failed:\n${run.output}\nfallbacks:\n${outcome.log}`);
    if (!outcome.applied) {
      const message = 'the patch did not apply with git apply, git apply --reject or patch --fuzz=5';
      return { verdict: { ...NOT_RESOLVED, patch_successfully_applied: false, error: { code: 'PATCH_APPLY', message } }, timings };
    }
    method = outcome.method;
    run = await exec(`bash ${EVAL_PATH}`, evalTimeout);
  }
  timings.eval_s = (Date.now() - t1) / 1000;
  writeFileSync(path.join(ctx.outDir, 'test_output.txt'), run.output);
  const lost = await containerLost(container, run.timedOut);
  if (lost) return { verdict: { ...NOT_RESOLVED, patch_successfully_applied: true, patch_apply_method: method, error: lost }, timings };
  ctx.log.info(`eval exit ${run.exitCode}${run.timedOut ? ' (timed out)' : ''} in ${timings.eval_s}s, patch applied with ${method ?? '(no patch)'}`);
  const base = { patch_successfully_applied: true, patch_apply_method: method, test_exit_code: run.exitCode, test_output_truncated: run.truncated };
  if (run.timedOut) {
    return { verdict: { ...NOT_RESOLVED, ...base, error: { code: 'TEST_TIMEOUT', message: `the tests ran over ${spec.testTimeoutSeconds} s and were killed` } }, timings };
  }
  return { verdict: { ...base, ...gradeOutput(spec, run.output, run.exitCode) }, timings };
}

/** Paths under .git a patch touches: never applied (a planted hook or config would run code). */
function gitPaths(patch: string): string[] {
  const { modified, added } = patchFiles(patch);
  return [...modified, ...added].filter((p) => p === '.git' || p.startsWith('.git/') || p.includes('/.git/'));
}

/**
 * A container that is no longer running after the tests (and not because our timeout killed
 * it) was lost: to an engine restart (infrastructure: the instance is retried) or to the
 * patch's own code stopping the container's init (a verdict: not resolved).
 */
async function containerLost(container: RunningContainer, timedOut: boolean): Promise<Verdict['error'] | undefined> {
  if (timedOut) return undefined;
  const state = await container.state().catch(() => undefined);
  if (state === 'running') return undefined;
  if (state === undefined || !(await dockerAnswers())) {
    throw new HarnessError('INFRA', 'the container was lost during the tests (the Docker engine restarted or went away)');
  }
  return { code: 'CONTAINER_EXITED', message: `the container stopped during the tests (state ${state}): the code under test ended its init` };
}

function gradeOutput(spec: TestSpec, output: string, exitCode: number | null): Pick<Verdict, 'resolved' | 'resolution' | 'tests_status' | 'error'> {
  if (testPatchFailed(output)) {
    return { ...NOT_RESOLVED, error: { code: 'TEST_PATCH_APPLY', message: 'the test patch did not apply after the model patch' } };
  }
  const section = testSection(output);
  if (section === undefined) {
    return { ...NOT_RESOLVED, error: { code: 'TEST_LOG', message: 'the test output markers are missing: the eval script did not run to the end' } };
  }
  const parser = getLogParser(spec.logParser);
  const statuses = parser.parse(section);
  const graded = gradeTests(statuses, spec.failToPass, spec.passToPass);
  const doubt = crashed(exitCode) ?? logDoubt(parser, section, statuses, exitCode, spec);
  // A log that is no evidence proves no test passing: every graded test counts as failed.
  if (doubt) return { ...NOT_RESOLVED, tests_status: gradeTests(new Map(), spec.failToPass, spec.passToPass).testsStatus, error: doubt };
  return { resolved: graded.resolved, resolution: graded.resolution, tests_status: graded.testsStatus };
}

/** The runner itself was killed by a signal (exit 128+n): its log ends wherever it was cut. */
function crashed(exitCode: number | null): Verdict['error'] | undefined {
  if (exitCode === null || exitCode < 128) return undefined;
  const hint = exitCode === 137 ? ' (SIGKILL: the OOM killer, or the pids limit)' : '';
  return { code: 'TEST_CRASHED', message: `the test command was killed by signal ${exitCode - 128}${hint}` };
}

/**
 * Why the log cannot be taken as evidence, if it cannot: the exit code disagrees with it, no
 * test was parsed, or the runner never reached its own final summary (or the summary counts
 * fewer passes than the log shows for the graded tests).
 */
function logDoubt(parser: LogParser, log: string, statuses: TestStatusMap, exitCode: number | null, spec: TestSpec): Verdict['error'] | undefined {
  if (statuses.size === 0) return { code: 'TEST_LOG', message: `no test results in the log (exit ${exitCode})` };
  const disagreement = exitCodeDisagreement(exitCode, statuses);
  if (disagreement) return { code: 'TEST_LOG', message: disagreement };
  const graded = new Set([...spec.failToPass, ...spec.passToPass]);
  const incomplete = parser.checkCompletion?.(log, new Map([...statuses].filter(([name]) => graded.has(name))), exitCode);
  return incomplete ? { code: 'TEST_LOG', message: incomplete } : undefined;
}

/** Wraps any failure before or during grading into a recorded error. */
export function errorVerdict(err: unknown): Verdict {
  const logPath = err instanceof HarnessError ? err.context.logPath : undefined;
  return { ...NOT_RESOLVED, patch_successfully_applied: false, error: { code: errorCode(err), message: errorMessage(err), log_path: logPath } };
}
