import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import type { SpecRegistry } from '../config/spec-registry.js';
import { errorMessage, HarnessError } from '../errors.js';
import { gradePrediction } from '../evaluation/grade-prediction.js';
import type { ImageBuilder } from '../images/image-builder.js';
import { makeInstanceTestSpec } from '../images/prebuilt.js';
import type { Instance } from '../instance/instance-schema.js';
import type { TestRun } from '../mining/decide.js';
import { InstanceLog } from '../report/instance-log.js';
import { pathInside } from '../util/safe-path.js';

export interface ObserveContext {
  config: HarnessConfig;
  runId: string;
  specs: SpecRegistry;
  builder: ImageBuilder;
  /** Each run's eval.sh, patch and output go under <workDir>/<instance>/<side>-<n>/. */
  workDir: string;
  repeats: number;
  onPhase?(instanceId: string, phase: 'image' | 'before' | 'after'): void;
}

/** Runs of one instance's tests: before (test patch only) and after (test patch + gold patch). */
export interface Observation {
  before: TestRun[];
  after: TestRun[];
  logParser: string;
  specFile: string;
  /** The files the test command was given ({tests}). */
  testFiles: string[];
}

/** Why the tests could not be run at all: the image did not build, or the gold patch did not apply. */
export class NotObserved extends Error {
  constructor(
    readonly reason: 'build_failed' | 'gold_does_not_resolve' | 'error',
    message: string,
    /** True when no instance of the spec can build (its env image failed): stop, not reject. */
    readonly wholeSpec = false,
  ) {
    super(message);
  }
}

/**
 * Runs the instance's tests `repeats` times on each side, each run in a fresh container from
 * the instance image, through the evaluation's own grading path (gradePrediction: the same
 * eval script, patch fallbacks and markers as `evaluate`).
 */
export async function observeTests(instance: Instance, ctx: ObserveContext): Promise<Observation> {
  const id = instance.instance_id;
  const resolved = ctx.specs.resolve(instance.repo, instance.version, id);
  const spec = makeInstanceTestSpec(instance, resolved, ctx.config);
  ctx.onPhase?.(id, 'image');
  const built = await ctx.builder.ensureInstanceImage(spec).catch((err: unknown) => {
    if (err instanceof HarnessError && err.code === 'IMAGE_BUILD') {
      const log = err.context.logPath ? ` (build log: ${err.context.logPath})` : '';
      // The base and env images are the spec's alone: every candidate would fail the same way.
      const shared = !errorMessage(err).includes(spec.instanceImage.tag);
      const what = shared ? "the spec's environment image" : 'the instance image';
      throw new NotObserved('build_failed', `${what} did not build${log}: ${errorMessage(err).split('\n')[0]}; edit ${resolved.file} (system_packages, install steps)`, shared);
    }
    throw err;
  });
  const sides = { before: '', after: instance.patch } as const;
  const runs: Record<keyof typeof sides, TestRun[]> = { before: [], after: [] };
  for (const side of ['before', 'after'] as const) {
    ctx.onPhase?.(id, side);
    for (let n = 1; n <= ctx.repeats; n++) {
      const outDir = pathInside(ctx.workDir, id, `${side}-${n}`);
      const log = new InstanceLog(path.join(outDir, 'harness.log'));
      const prediction = { instance_id: id, model_name_or_path: side === 'before' ? 'empty' : 'gold', model_patch: sides[side] };
      const graded = await gradePrediction(spec, prediction, built, { config: ctx.config, runId: ctx.runId, outDir, log });
      if (!graded.run) {
        const why = graded.verdict.verdict_reason?.message ?? graded.verdict.error?.message ?? 'the tests did not run';
        throw new NotObserved(side === 'after' ? 'gold_does_not_resolve' : 'error', `${side} run ${n}: ${why}`);
      }
      runs[side].push(graded.run);
    }
  }
  return { ...runs, logParser: spec.logParser, specFile: resolved.file, testFiles: spec.testFiles };
}
