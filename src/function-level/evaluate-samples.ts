import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { LABELS } from '../runtime/labels.js';
import { contentHash } from '../util/hash.js';
import { classify } from './classify.js';
import { SampleExecutor } from './executor.js';
import { summarizeOutcomes, type OutcomeSummary } from './outcome-summary.js';
import type { Problem, Sample } from './problem.js';
import { referenceJob, sampleJob, type ProgramLimits } from './programs.js';
import { ResultStore, resultKey, sampleLog, type StoredResult } from './result-store.js';
import { ensureRunnerImage } from './runner-image.js';
import type { RunnerJob, RunnerResult } from './runner-protocol.js';

export interface SampleEvaluation {
  config: HarnessConfig;
  runId: string;
  /** runs/<run_id>/function-level */
  dir: string;
  problems: Problem[];
  samples: Sample[];
  limits: ProgramLimits;
  slots: number;
  batchSize: number;
  memoryMb: number;
  scratchMb: number;
  /** Run every sample again, even those whose key has a result. */
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface SampleEvaluationOutcome {
  results: StoredResult[];
  summary: OutcomeSummary;
  /** Samples whose result was already there (same key). */
  reused: number;
  imageId: string;
}

interface Pending {
  sample: Sample;
  problem: Problem;
  key: string;
  job?: RunnerJob;
}

/**
 * Executes samples against their problems in the sandbox and records one result each:
 * resumable by result key, EvalPlus's expected outputs computed first from the reference
 * solution (cached by problem and image), every sample in its own process.
 */
export async function evaluateSamples(e: SampleEvaluation): Promise<SampleEvaluationOutcome> {
  const imageId = await ensureRunnerImage(e.config);
  const store = new ResultStore(e.dir);
  const byTask = new Map(e.problems.map((p) => [p.task_id, p]));
  const all: Pending[] = e.samples.flatMap((sample) => {
    const problem = byTask.get(sample.task_id);
    return problem ? [{ sample, problem, key: resultKey(problem, sample, imageId, e.limits) }] : [];
  });
  const todo = all.filter((p) => e.force || !store.get(p.key));
  const reused = all.length - todo.length;
  let done = reused;
  e.onProgress?.(done, all.length);
  const record = (p: Pending, run: RunnerResult | undefined, outcome: Pick<StoredResult, 'outcome' | 'detail'>) => {
    const result: StoredResult = { task_id: p.sample.task_id, sample_index: p.sample.sample_index, language: p.problem.language, ...outcome, duration_s: run?.duration_s ?? 0, key: p.key };
    store.add(result, sampleLog(result, p.job, run), p.problem);
    e.onProgress?.(++done, all.length);
  };

  await using executor = new SampleExecutor({
    config: e.config,
    image: imageId,
    labels: { [LABELS.kind]: 'function-level', [LABELS.run]: e.runId },
    slots: e.slots,
    batchSize: e.batchSize,
    memoryMb: e.memoryMb,
    scratchMb: e.scratchMb,
  });
  const expected = await referenceOutputs(todo.map((p) => p.problem), imageId, e, executor);
  const runnable: Pending[] = [];
  for (const p of todo) {
    const reference = expected.get(p.problem.task_id);
    if (reference && 'error' in reference) {
      record(p, undefined, { outcome: 'error', detail: `no expected outputs: ${reference.error}` });
      continue;
    }
    p.job = sampleJob({ id: String(runnable.length), problem: p.problem, completion: p.sample.completion, solution: p.sample.solution, expected: reference?.outputs, referenceTimes: reference?.times }, e.limits);
    if (p.job) runnable.push(p);
    else record(p, undefined, { outcome: 'error', detail: `no runner for language ${p.problem.language}` });
  }
  await executor.run(
    runnable.map((p) => p.job as RunnerJob),
    (run) => {
      const p = runnable[Number(run.id)] as Pending;
      record(p, run, classify(run, p.problem.language, e.limits.timeoutS));
    },
  );
  const results = store.finish(all.map((p) => ({ key: p.key, task_id: p.sample.task_id, sample_index: p.sample.sample_index })));
  const summary = summarizeOutcomes(results);
  writeFileSync(path.join(e.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return { results, summary, reused, imageId };
}

type Reference = { outputs: string; times?: number[] } | { error: string };

const EXPECTED_MARK = 'FL-EXPECTED:';
const TIMES_MARK = 'FL-TIMES:';

/**
 * EvalPlus's expected outputs: the reference solution run on every input in the sandbox,
 * kept in expected/<hash of problem and image>.b64 so a rerun does not compute them again,
 * with its time on each input beside them (.times.json), from which each input's time limit
 * comes.
 */
async function referenceOutputs(problems: Problem[], imageId: string, e: SampleEvaluation, executor: SampleExecutor): Promise<Map<string, Reference>> {
  const out = new Map<string, Reference>();
  const dir = path.join(e.dir, 'expected');
  const jobs: Array<{ problem: Problem; file: string; job: RunnerJob }> = [];
  for (const problem of new Set(problems)) {
    if (problem.check.kind !== 'io') continue;
    const file = path.join(dir, `${contentHash({ problem, imageId }, 24)}.b64`);
    if (existsSync(file)) {
      out.set(problem.task_id, { outputs: readFileSync(file, 'utf8'), times: readTimes(timesFile(file)) });
      continue;
    }
    const job = referenceJob(String(jobs.length), problem, e.limits);
    if (job) jobs.push({ problem, file, job });
    else out.set(problem.task_id, { error: 'the problem has no reference solution' });
  }
  if (jobs.length === 0) return out;
  mkdirSync(dir, { recursive: true });
  await executor.run(
    jobs.map((j) => ({ ...j.job })),
    (run) => {
      const { problem, file } = jobs[Number(run.id)] as (typeof jobs)[number];
      // Split once: the outputs' line can be hundreds of MB.
      const lines = run.stdout.split('\n');
      const line = lines.find((l) => l.startsWith(EXPECTED_MARK));
      if (!line || run.report?.ended !== 'completed') {
        const why = classify(run, 'python', e.limits.timeoutS);
        out.set(problem.task_id, { error: `the reference solution did not run through (${why.outcome}${why.detail ? `: ${why.detail}` : ''})` });
        return;
      }
      const outputs = line.slice(EXPECTED_MARK.length).trim();
      const timesLine = lines.find((l) => l.startsWith(TIMES_MARK));
      const times = timesLine ? parseTimes(timesLine.slice(TIMES_MARK.length)) : undefined;
      writeFileSync(file, outputs);
      if (times) writeFileSync(timesFile(file), JSON.stringify(times));
      out.set(problem.task_id, { outputs, times });
    },
  );
  return out;
}

function timesFile(expectedFile: string): string {
  return expectedFile.replace(/\.b64$/, '.times.json');
}

/** The reference's time on each input, or undefined (then no input has a time limit of its own). */
function parseTimes(text: string): number[] | undefined {
  try {
    const times: unknown = JSON.parse(text);
    return Array.isArray(times) && times.every((t) => typeof t === 'number' && Number.isFinite(t) && t >= 0) ? (times as number[]) : undefined;
  } catch {
    return undefined;
  }
}

function readTimes(file: string): number[] | undefined {
  return existsSync(file) ? parseTimes(readFileSync(file, 'utf8')) : undefined;
}
