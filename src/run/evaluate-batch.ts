import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { SpecRegistry } from '../config/spec-registry.js';
import { errorCode, errorMessage, formatProblem, HarnessError, type ErrorCode, type InputProblem } from '../errors.js';
import type { ImageBuilder } from '../images/image-builder.js';
import { makeImageBuilder } from '../images/instance-images.js';
import { makeInstanceTestSpec } from '../images/prebuilt.js';
import type { Instance } from '../instance/instance-schema.js';
import type { Prediction } from '../instance/predictions.js';
import type { InstanceResult, ResultKey } from '../report/instance-result.js';
import { toReportJson } from '../report/instance-result.js';
import type { Reporter } from '../report/reporter.js';
import { removeOrphanGradingContainers, waitForEngine } from '../runtime/cleanup.js';
import { engineCaveats } from '../runtime/engine-caveats.js';
import { containerRuntime } from '../runtime/registry.js';
import { isRejected, summarize, type RunSummary, type SummaryCutoff } from '../report/summary.js';
import { scanForReport } from '../security/scan-patch.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import { contentHash } from '../util/hash.js';
import { InstanceLog } from '../report/instance-log.js';
import { isSafeName, pathInside } from '../util/safe-path.js';
import { runPool } from '../util/pool.js';
import { acquireRunLock, describeHolder } from '../util/run-lock.js';
import { shutdownSignal } from '../util/shutdown.js';
import { errorVerdict, gradePrediction, type Verdict } from '../evaluation/grade-prediction.js';
import { isInfraError } from '../evaluation/infra.js';

export interface EvaluationRequest {
  config: HarnessConfig;
  runId: string;
  instances: Instance[];
  predictions: Map<string, Prediction>;
  concurrency: number;
  /** The predictions file, to tell its problems from the dataset's. */
  predictionsFile?: string;
  /** --repo-cache folders of local clones or mirrors. */
  repoDirs?: string[];
  /**
   * Records that could not be used (a dataset record or a prediction that did not validate):
   * each id gets a report with the error, so the run's report accounts for it.
   */
  rejected?: InputProblem[];
  /** Redo every instance, even those whose result key is unchanged. */
  force?: boolean;
  /** A model's training cutoff (ISO): the summaries get a time split by created_at. */
  cutoff?: string;
  reporter?: Reporter;
  /**
   * Grades each instance elsewhere (a queue's workers, see queue-coordinator.ts) instead of in
   * this process, which then touches no container engine; the run folder is written the same.
   */
  remote?: RemoteEvaluator;
}

export type RemoteEvaluator = (instance: Instance, prediction: Prediction) => Promise<{ result: InstanceResult; reused: boolean }>;

export interface EvaluationOutcome {
  summaries: RunSummary[];
  results: InstanceResult[];
  runDir: string;
}

/**
 * The report folder of a model: SWE-bench's `/` -> `__` (so its folders read the same), and
 * any name that is still not a safe path segment (`..`, spaces, very long) made one, with a
 * hash of the whole name so two models never share a folder.
 */
export function modelDirName(model: string): string {
  const name = model.replace(/[/\\:]/g, '__');
  if (isSafeName(name)) return name;
  return `${name.replace(/[^\w.-]/g, '_').slice(0, 100)}-${contentHash(model).slice(0, 12)}`;
}

export function patchHash(patch: string | null): string {
  return contentHash(patch ?? null);
}

/**
 * Runs `body` holding the run's lock (runs/<run_id>/.lock) for this process: a second live
 * process on the same run id is refused (RUN_LOCKED); the stale lock of a dead one is taken
 * over, with a note. The same process may enter again (`run` grades under its own lock).
 */
export async function withRunLock<T>(config: HarnessConfig, runId: string, reporter: Reporter | undefined, body: () => Promise<T>): Promise<T> {
  const lock = acquireRunLock(path.resolve(config.run.root, runId), runId);
  if (lock.tookOverFrom) reporter?.onNotice?.(`run ${runId}: took over the lock left by ${describeHolder(lock.tookOverFrom)}, which is no longer running`);
  try {
    return await body();
  } finally {
    lock.release();
  }
}

/** Evaluates every instance that has a prediction; one failing instance never stops the rest. */
export async function runEvaluation(req: EvaluationRequest): Promise<EvaluationOutcome> {
  return withRunLock(req.config, req.runId, req.reporter, () => evaluateAll(req));
}

async function evaluateAll(req: EvaluationRequest): Promise<EvaluationOutcome> {
  const runDir = pathInside(req.config.run.root, req.runId);
  const specs = SpecRegistry.forConfig(req.config);
  const builder = makeImageBuilder(req.config, specs, req.instances, req.repoDirs, (p) => req.reporter?.onTransfer?.(p));
  // Grading containers of this run id made by a process that is gone (killed): those of a
  // live process are its work in progress, on this run id from another checkout or machine.
  if (!req.remote) await removeOrphanGradingContainers(req.runId);
  // Remote: the workers' engines grade; this process may have none to ask.
  const engine = req.remote ? undefined : await containerRuntime().engine().catch(() => undefined);
  for (const caveat of engine ? engineCaveats(engine) : []) req.reporter?.onNotice?.(caveat);
  const submitted = req.instances.filter((i) => req.predictions.has(i.instance_id));
  req.reporter?.onRunStart?.({ runId: req.runId, total: submitted.length });
  const evaluate = req.remote ?? ((instance: Instance, prediction: Prediction) => evaluateOne(instance, prediction, { ...req, runDir, specs, builder }));
  // Remote: every job is enqueued at once; the workers' -j is the limit.
  const results = await runPool(submitted, req.remote ? submitted.length : req.concurrency, async (instance) => {
    const prediction = req.predictions.get(instance.instance_id) as Prediction;
    const { result, reused } = await evaluate(instance, prediction);
    req.reporter?.onInstanceDone?.(result, { reused });
    return result;
  });
  results.push(...recordRejected(req, runDir, results));
  const summaries = writeSummaries(req, runDir, submitted, results, engine && { name: engine.name, version: engine.version, api_version: engine.apiVersion, rootless: engine.rootless });
  for (const s of summaries) req.reporter?.onRunEnd?.(s);
  return { summaries, results, runDir };
}

export interface OneContext extends EvaluationRequest {
  runDir: string;
  specs: SpecRegistry;
  builder: ImageBuilder;
}

/** One instance, graded here: what a local run does for each, and what a queue worker does for a job. */
export async function evaluateOne(instance: Instance, prediction: Prediction, ctx: OneContext): Promise<{ result: InstanceResult; reused: boolean }> {
  const id = instance.instance_id;
  const outDir = pathInside(ctx.runDir, modelDirName(prediction.model_name_or_path), id);
  const reportPath = path.join(outDir, 'report.json');
  const log = new InstanceLog(path.join(outDir, 'harness.log'));
  const started = Date.now();
  const base = {
    instance_id: id,
    model_name_or_path: prediction.model_name_or_path,
    patch_is_None: prediction.model_patch === null,
    patch_exists: (prediction.model_patch ?? '').trim() !== '',
  };
  const timings: Record<string, number> = {};
  const partial: Partial<Pick<InstanceResult, 'images' | 'key'>> = {};
  const infraErrors: Array<{ code: string; message: string }> = [];
  if (prediction.episode_error) {
    // Whether the episode left a patch is unknown, or its patch is no answer: an error, not "empty".
    const verdict = errorVerdict(new HarnessError(prediction.episode_error.code as ErrorCode, prediction.episode_error.message));
    return { result: finish(reportPath, { ...base, patch_is_None: false, patch_exists: true, ...verdict, timings }, started, log), reused: false };
  }
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await attemptOne(instance, prediction, ctx, { outDir, reportPath, log, timings, partial });
      if ('reused' in outcome) return { result: outcome.reused, reused: true };
      return { result: finish(reportPath, { ...base, ...outcome.verdict, timings, ...partial, infra_retries: attempt, infra_errors: infraErrors }, started, log), reused: false };
    } catch (err) {
      log.info(`error ${errorCode(err)} (attempt ${attempt + 1}): ${errorMessage(err)}`);
      // The engine went away or restarted: wait for it and try again, a bounded number of times.
      if (isInfraError(err)) infraErrors.push({ code: 'INFRA', message: errorMessage(err) });
      if (isInfraError(err) && attempt < INFRA_RETRIES && (await waitForEngine(INFRA_WAIT_MS))) {
        await removeOrphanGradingContainers(ctx.runId, instance.instance_id, { includeOwn: true }).catch(() => undefined);
        continue;
      }
      const verdict = isInfraError(err) ? { ...errorVerdict(err), error: { code: 'INFRA', message: `${errorMessage(err)} (after ${attempt + 1} attempt(s))` } } : errorVerdict(err);
      return { result: finish(reportPath, { ...base, ...verdict, timings, ...partial, infra_retries: attempt, infra_errors: infraErrors }, started, log), reused: false };
    }
  }
}

/** Attempts after an infrastructure failure, and how long to wait for the engine each time. */
const INFRA_RETRIES = 2;
const INFRA_WAIT_MS = 120_000;

interface AttemptState {
  outDir: string;
  reportPath: string;
  log: InstanceLog;
  timings: Record<string, number>;
  partial: Partial<Pick<InstanceResult, 'images' | 'key'>>;
}

async function attemptOne(instance: Instance, prediction: Prediction, ctx: OneContext, st: AttemptState): Promise<{ reused: InstanceResult } | { verdict: Verdict }> {
  const id = instance.instance_id;
  const spec = makeInstanceTestSpec(instance, ctx.specs.resolve(instance.repo, instance.version, id), ctx.config);
  const existingImage = await containerRuntime().imageId(spec.instanceImage.tag);
  const previous = ctx.force ? undefined : reusableResult(st.reportPath, { patch_hash: patchHash(prediction.model_patch), image_id: existingImage ?? '', spec_hash: spec.specHash });
  if (previous) return { reused: previous };
  st.log.info(`evaluating ${id} (${prediction.model_name_or_path}) with ${spec.specFile}`);
  ctx.reporter?.onInstanceStart?.(id, 'image');
  const t0 = Date.now();
  const built = await ctx.builder.ensureInstanceImage(spec);
  st.timings.image_s = (Date.now() - t0) / 1000;
  st.partial.images = { base: built.base, env: built.env, instance: built.instance };
  st.partial.key = { patch_hash: patchHash(prediction.model_patch), image_id: built.instance, spec_hash: spec.specHash };
  ctx.reporter?.onInstanceStart?.(id, 'grading');
  const graded = await gradePrediction(spec, prediction, built, { config: ctx.config, runId: ctx.runId, outDir: st.outDir, log: st.log });
  Object.assign(st.timings, graded.timings);
  return { verdict: { ...graded.verdict, security: await scanForReport(prediction.model_patch, ctx.config.security, spec.env.security_disabled_rules) } };
}

function finish(reportPath: string, result: Omit<InstanceResult, 'finished_at'>, started: number, log: InstanceLog): InstanceResult {
  // Cut short by Ctrl-C (its container removed under it): not a result a rerun may reuse.
  if (shutdownSignal.aborted) throw new HarnessError('INTERRUPTED', `interrupted before ${result.instance_id} finished`);
  const full: InstanceResult = { ...result, timings: { ...result.timings, total_s: (Date.now() - started) / 1000 }, finished_at: new Date().toISOString() };
  writeJsonAtomic(reportPath, toReportJson(full));
  log.info(`result: ${full.resolution}${full.error ? ` (${full.error.code})` : ''}`);
  return full;
}

/** A result from an earlier run of this run id, if the same patch, image and spec made it. */
function reusableResult(reportPath: string, key: ResultKey): InstanceResult | undefined {
  if (!existsSync(reportPath) || !key.image_id) return undefined;
  try {
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Record<string, InstanceResult>;
    const previous = Object.values(report)[0];
    const same = previous?.key && previous.key.patch_hash === key.patch_hash && previous.key.image_id === key.image_id && previous.key.spec_hash === key.spec_hash;
    return same ? previous : undefined;
  } catch {
    return undefined; // unreadable: redo it
  }
}

/** One error result per rejected instance id that has no result of its own. */
function recordRejected(req: EvaluationRequest, runDir: string, results: InstanceResult[]): InstanceResult[] {
  const done = new Set(results.map((r) => r.instance_id));
  const byId = new Map<string, InputProblem[]>();
  for (const p of req.rejected ?? []) {
    if (!p.instanceId || done.has(p.instanceId)) continue;
    byId.set(p.instanceId, [...(byId.get(p.instanceId) ?? []), p]);
  }
  const model = [...req.predictions.values()][0]?.model_name_or_path ?? 'unknown';
  return [...byId].map(([id, problems]) => {
    const code = problems[0]?.file && req.predictionsFile === problems[0].file ? 'PREDICTIONS_INVALID' : 'DATASET_INVALID';
    // Whether a patch was given is unknown for a record that did not validate: not "empty".
    const result: InstanceResult = {
      instance_id: id,
      model_name_or_path: model,
      patch_is_None: false,
      patch_exists: true,
      patch_successfully_applied: false,
      resolved: false,
      resolution: 'NO',
      error: { code, message: problems.map(formatProblem).join('; ') },
      timings: {},
      finished_at: new Date().toISOString(),
    };
    // An id that is not a safe name gets no folder (it could name any place): the run summary has it.
    if (isSafeName(id)) writeJsonAtomic(pathInside(runDir, modelDirName(model), id, 'report.json'), toReportJson(result));
    return result;
  });
}

function timeSplitOf(req: EvaluationRequest): SummaryCutoff | undefined {
  return req.cutoff ? { cutoff: req.cutoff, createdAt: new Map(req.instances.map((i) => [i.instance_id, i.created_at])) } : undefined;
}

function writeSummaries(req: EvaluationRequest, runDir: string, submitted: Instance[], results: InstanceResult[], engine: RunSummary['engine']): RunSummary[] {
  const models = [...new Set([...req.predictions.values()].map((p) => p.model_name_or_path))];
  if (models.length === 0) models.push('unknown');
  // Records that did not validate are still instances of the dataset, submitted and errored.
  const rejectedIds = [...new Set(results.filter(isRejected).map((r) => r.instance_id))];
  const total = [...new Set([...req.instances.map((i) => i.instance_id), ...rejectedIds])];
  return models.map((model) => {
    const ids = submitted.filter((i) => req.predictions.get(i.instance_id)?.model_name_or_path === model).map((i) => i.instance_id);
    const mine = results.filter((r) => r.model_name_or_path === model);
    const summary: RunSummary = { ...summarize(req.runId, model, total, [...new Set([...ids, ...mine.filter(isRejected).map((r) => r.instance_id)])], mine, timeSplitOf(req)), ...(engine ? { engine } : {}) };
    writeJsonAtomic(pathInside(runDir, `${modelDirName(model)}.${req.runId}.json`), summary);
    return summary;
  });
}
