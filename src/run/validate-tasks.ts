import type { HarnessConfig } from '../config/harness-config.js';
import { SpecRegistry } from '../config/spec-registry.js';
import { errorMessage } from '../errors.js';
import { gradeOutput } from '../grading/grade-output.js';
import { makeImageBuilder } from '../images/instance-images.js';
import type { Instance } from '../instance/instance-schema.js';
import { classifyTests, parseRun } from '../mining/decide.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { contentHash } from '../util/hash.js';
import { runPool } from '../util/pool.js';
import { NotObserved, observeTests, type ObserveContext } from './observe-tests.js';

export type ValidationStatus = 'ok' | 'flaky' | 'broken' | 'error';

export interface InstanceValidation {
  instance_id: string;
  status: ValidationStatus;
  /** Broken: why (gold does not resolve, empty resolves); error: what stopped the runs. */
  detail?: string;
  /** Listed tests whose outcome changed between runs of one side. */
  flaky_tests: string[];
}

export interface ValidateRequest {
  config: HarnessConfig;
  instances: Instance[];
  repoDirs: string[];
  /** Extra spec folders (the one beside the dataset). */
  specDirs: string[];
  repeats: number;
  concurrency: number;
  workDir: string;
  /** A cleaned copy: instances that are not broken, flaky tests dropped from their lists. */
  cleanOut?: string;
  onDone?(result: InstanceValidation): void;
  onPhase?(instanceId: string, phase: 'image' | 'before' | 'after'): void;
}

/** The gold patch resolves in every run, the empty one in none, and which listed tests flip. */
async function validateOne(instance: Instance, ctx: ObserveContext): Promise<InstanceValidation> {
  const id = instance.instance_id;
  try {
    const seen = await observeTests(instance, ctx);
    const tests = { logParser: seen.logParser, failToPass: instance.FAIL_TO_PASS, passToPass: instance.PASS_TO_PASS };
    const listed = new Set([...instance.FAIL_TO_PASS, ...instance.PASS_TO_PASS]);
    const { flaky } = classifyTests(seen.before.map((r) => parseRun(r, seen.logParser)), seen.after.map((r) => parseRun(r, seen.logParser)), seen.testFiles);
    const flakyTests = Object.keys(flaky).filter((t) => listed.has(t));
    const goldFailed = seen.after.map((r) => gradeOutput(tests, r.output, r.exitCode)).find((g) => !g.resolved);
    const emptyResolved = seen.before.some((r) => gradeOutput(tests, r.output, r.exitCode).resolved);
    const stable = new Set(flakyTests);
    const stableGold = seen.after.every((r) => gradeOutput({ ...tests, failToPass: tests.failToPass.filter((t) => !stable.has(t)), passToPass: tests.passToPass.filter((t) => !stable.has(t)) }, r.output, r.exitCode).resolved);
    if (emptyResolved) return { instance_id: id, status: 'broken', detail: 'the empty patch resolves it', flaky_tests: flakyTests };
    if (goldFailed && !(flakyTests.length > 0 && stableGold)) {
      return { instance_id: id, status: 'broken', detail: `the gold patch does not resolve it: ${goldFailed.verdict_reason?.message ?? goldFailed.error?.message ?? ''}`, flaky_tests: flakyTests };
    }
    return { instance_id: id, status: flakyTests.length > 0 ? 'flaky' : 'ok', flaky_tests: flakyTests };
  } catch (err) {
    const status = err instanceof NotObserved && err.reason !== 'error' ? 'broken' : 'error';
    return { instance_id: id, status, detail: errorMessage(err), flaky_tests: [] };
  }
}

/** A copy of the dataset without its broken instances, and without flaky tests in the lists. */
export function cleanedDataset(instances: Instance[], results: InstanceValidation[]): Instance[] {
  const byId = new Map(results.map((r) => [r.instance_id, r]));
  return instances.flatMap((instance) => {
    const result = byId.get(instance.instance_id);
    if (!result || result.status === 'broken' || result.status === 'error') return [];
    const drop = new Set(result.flaky_tests);
    const failToPass = instance.FAIL_TO_PASS.filter((t) => !drop.has(t));
    if (failToPass.length === 0) return [];
    return [{ ...instance, FAIL_TO_PASS: failToPass, PASS_TO_PASS: instance.PASS_TO_PASS.filter((t) => !drop.has(t)) }];
  });
}

/** Runs the gold / empty / repeat checks of mining on an existing dataset. */
export async function validateTasks(req: ValidateRequest): Promise<InstanceValidation[]> {
  const specs = new SpecRegistry([...req.config.spec_dirs, ...req.specDirs], req.config.images.source);
  const ctx: ObserveContext = {
    config: req.config,
    runId: `validate-${contentHash(req.workDir).slice(0, 8)}`,
    specs,
    builder: makeImageBuilder(req.config, specs, req.instances, req.repoDirs),
    workDir: req.workDir,
    repeats: req.repeats,
    onPhase: req.onPhase,
  };
  const results = await runPool(req.instances, req.concurrency, async (instance) => {
    const result = await validateOne(instance, ctx);
    req.onDone?.(result);
    return result;
  });
  if (req.cleanOut) {
    const clean = cleanedDataset(req.instances, results);
    writeFileAtomic(req.cleanOut, clean.map((i) => JSON.stringify(i)).join('\n') + (clean.length > 0 ? '\n' : ''));
  }
  return results;
}
