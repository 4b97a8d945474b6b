import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { containerLimits, type HarnessConfig } from '../config/harness-config.js';
import { errorCode, errorMessage, HarnessError } from '../errors.js';
import { gradeOutput } from '../grading/grade-output.js';
import { NOT_RESOLVED, unresolved } from '../grading/verdict.js';
import { protectedChanges, refusal } from '../test-spec/runner-guard.js';
import type { BuiltImages } from '../images/image-builder.js';
import type { Prediction } from '../instance/predictions.js';
import type { InstanceResult } from '../report/instance-result.js';
import { TESTBED } from '../grading/eval-markers.js';
import type { TestSpec } from '../test-spec/test-spec.js';
import type { Container } from '../runtime/container-runtime.js';
import { LABELS } from '../runtime/labels.js';
import { containerRuntime } from '../runtime/registry.js';
import type { InstanceLog } from '../report/instance-log.js';
import { applyWithFallbacks, EVAL_PATH, gradingArgv, STRICT_APPLY_THEN_EVAL, strictApplyFailed } from './apply-patch.js';

export interface GradingContext {
  config: HarnessConfig;
  runId: string;
  /** The instance's output folder: eval.sh, patch.diff, test_output.txt go here. */
  outDir: string;
  log: InstanceLog;
}

/** A grade, and the eval script's output when it ran to the end (mining reads every test in it). */
export interface GradedRun {
  verdict: Verdict;
  timings: Record<string, number>;
  run?: { output: string; exitCode: number | null };
}

export type Verdict = Omit<InstanceResult, 'instance_id' | 'model_name_or_path' | 'patch_is_None' | 'patch_exists' | 'timings' | 'finished_at'>;

/**
 * Grades a prediction in a fresh container from the instance image (never one an agent
 * used): apply the patch, run eval.sh, parse the log, grade. The container is removed
 * whatever happens.
 */
export async function gradePrediction(spec: TestSpec, prediction: Prediction, images: BuiltImages, ctx: GradingContext): Promise<GradedRun> {
  const patch = prediction.model_patch ?? '';
  writeFileSync(path.join(ctx.outDir, 'patch.diff'), patch);
  writeFileSync(path.join(ctx.outDir, 'eval.sh'), spec.evalScript);
  const timings: Record<string, number> = {};
  const refused = refusal(patch, spec.guard);
  if (refused) {
    ctx.log.info(`patch refused: ${refused}`);
    return { verdict: { ...unresolved('PATCH_REFUSED', refused), patch_successfully_applied: false }, timings };
  }
  const changedProtected = protectedChanges(patch, spec.guard.protect);
  const protectedNote = changedProtected.restored.length + changedProtected.removed.length > 0 ? { protected_files: changedProtected } : {};
  const t0 = Date.now();
  await using container = await containerRuntime().start({
    image: images.instance,
    labels: { [LABELS.kind]: 'grading', [LABELS.run]: ctx.runId, [LABELS.instance]: spec.instanceId },
    limits: containerLimits(ctx.config, ctx.config.sandbox.network),
  });
  timings.container_start_s = (Date.now() - t0) / 1000;
  ctx.log.info(`container ${container.id.slice(0, 12)} from ${spec.instanceImage.tag}`);
  const exec = (command: string, timeoutMs = 600_000) =>
    container.exec(gradingArgv(command), { timeoutMs, outputCapBytes: ctx.config.sandbox.output_cap_bytes, workdir: TESTBED });
  await container.putFiles({ 'swe-harness/patch.diff': patch, 'swe-harness/eval.sh': spec.evalScript }, '/tmp');

  const t1 = Date.now();
  const evalTimeout = spec.testTimeoutSeconds * 1000;
  let method = patch.trim() === '' ? undefined : 'git apply';
  let run = await exec(method ? STRICT_APPLY_THEN_EVAL : `bash ${EVAL_PATH}`, evalTimeout);
  if (method && strictApplyFailed(run)) {
    const outcome = await applyWithFallbacks(exec);
    ctx.log.info(`strict git apply failed:\n${run.output}\nfallbacks:\n${outcome.log}`);
    if (!outcome.applied) {
      const message = 'the patch did not apply with git apply, git apply --reject or patch --fuzz=5';
      return { verdict: { ...unresolved('PATCH_APPLY', message), patch_successfully_applied: false }, timings };
    }
    method = outcome.method;
    run = await exec(`bash ${EVAL_PATH}`, evalTimeout);
  }
  timings.eval_s = (Date.now() - t1) / 1000;
  writeFileSync(path.join(ctx.outDir, 'test_output.txt'), run.output);
  const lost = await containerLost(container, run.timedOut);
  if (lost) return { verdict: { ...unresolved('CONTAINER_EXITED', lost), patch_successfully_applied: true, patch_apply_method: method, ...protectedNote }, timings };
  ctx.log.info(`eval exit ${run.exitCode}${run.timedOut ? ' (timed out)' : ''} in ${timings.eval_s}s, patch applied with ${method ?? '(no patch)'}`);
  const base = { patch_successfully_applied: true, patch_apply_method: method, test_exit_code: run.exitCode, test_output_truncated: run.truncated, ...protectedNote };
  if (run.timedOut) {
    return { verdict: { ...NOT_RESOLVED, ...base, error: { code: 'TEST_TIMEOUT', message: `the tests ran over ${spec.testTimeoutSeconds} s and were killed` } }, timings };
  }
  return { verdict: { ...base, ...gradeOutput(spec, run.output, run.exitCode) }, timings, run: { output: run.output, exitCode: run.exitCode } };
}

/**
 * A container that is no longer running after the tests (and not because our timeout killed
 * it) was lost: to an engine restart (infrastructure: the instance is retried) or to the
 * patch's own code stopping the container's init (a verdict: not resolved).
 */
async function containerLost(container: Container, timedOut: boolean): Promise<string | undefined> {
  if (timedOut) return undefined;
  const state = await container.state().catch(() => undefined);
  if (state === 'running') return undefined;
  if (state === undefined || !(await containerRuntime().answers())) {
    throw new HarnessError('INFRA', 'the container was lost during the tests (the Docker engine restarted or went away)');
  }
  return `the container stopped during the tests (state ${state}): the code under test ended its init`;
}

/** Wraps any failure before or during grading into a recorded error. */
export function errorVerdict(err: unknown): Verdict {
  const logPath = err instanceof HarnessError ? err.context.logPath : undefined;
  return { ...NOT_RESOLVED, patch_successfully_applied: false, error: { code: errorCode(err), message: errorMessage(err), log_path: logPath } };
}
