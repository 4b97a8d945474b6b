import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { evaluateSamples, type SampleEvaluationOutcome } from '../function-level/evaluate-samples.js';
import type { Problem, Sample } from '../function-level/problem.js';
import { EVALPLUS_TIME_LIMITS, type ProgramLimits } from '../function-level/programs.js';
import { engineCaveats } from '../runtime/engine-caveats.js';
import { containerRuntime } from '../runtime/registry.js';
import { acquireRunLock } from '../util/run-lock.js';

export interface FunctionLevelRun {
  config: HarnessConfig;
  runId: string;
  problems: Problem[];
  samples: Sample[];
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** What the engine will not do that the sandbox asks for (see engine-caveats.ts). */
  onNotice?: (message: string) => void;
}

/** The per-sample limits from the config's function_level section. */
export function programLimits(config: HarnessConfig): ProgramLimits {
  const f = config.function_level;
  return { timeoutS: f.timeout, compileTimeoutS: f.compile_timeout, outputCapBytes: f.output_cap_bytes, outputLimitBytes: f.output_limit_bytes, evalplus: EVALPLUS_TIME_LIMITS };
}

/**
 * `evaluate --samples`: executes function-level samples under the run's lock, writing
 * runs/<run_id>/function-level/ (results.jsonl, summary.json, logs/, expected/).
 */
export async function runFunctionLevelEvaluation(run: FunctionLevelRun): Promise<SampleEvaluationOutcome & { runDir: string }> {
  const runDir = path.resolve(run.config.run.root, run.runId);
  const lock = acquireRunLock(runDir, run.runId);
  try {
    const f = run.config.function_level;
    const engine = await containerRuntime().engine().catch(() => undefined);
    for (const caveat of engine ? engineCaveats(engine) : []) run.onNotice?.(caveat);
    const outcome = await evaluateSamples({
      config: run.config,
      runId: run.runId,
      dir: path.join(runDir, 'function-level'),
      problems: run.problems,
      samples: run.samples,
      limits: programLimits(run.config),
      slots: f.slots,
      batchSize: f.batch_size,
      memoryMb: f.memory_mb,
      scratchMb: f.scratch_mb,
      force: run.force,
      onProgress: run.onProgress,
    });
    return { ...outcome, runDir };
  } finally {
    lock.release();
  }
}
