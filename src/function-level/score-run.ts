import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SecurityProbe } from '../config/security-probes.js';
import { HarnessError } from '../errors.js';
import { FUNCTION_LEVEL_DIR, FUNCTION_LEVEL_SUMMARY, summarizeFunctionLevel, type FunctionLevelSummary } from '../report/function-level-summary.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic-write.js';
import type { Problem, Sample, SampleResult } from './problem.js';
import { noisyProtocolWarnings, type SamplingProtocol } from './sampling-protocol.js';
import { scanProbeSamples, summarizeProbeScans } from './security-probes.js';

/** The execution results of a run: runs/<run>/function-level/results.jsonl, one SampleResult a line. */
export function readSampleResults(runDir: string): SampleResult[] {
  const file = path.join(runDir, FUNCTION_LEVEL_DIR, 'results.jsonl');
  if (!existsSync(file)) throw new HarnessError('USAGE', `no function-level results in ${runDir} (expected ${file}: run evaluate --samples first)`, { file });
  const lines = readFileSync(file, 'utf8').split('\n');
  const results: SampleResult[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      results.push(JSON.parse(line) as SampleResult);
    } catch (err) {
      if (i < lines.length - 1) throw new HarnessError('DATASET_INVALID', `${file}:${i + 1}: not JSON`, { file }, { cause: err });
    }
  });
  return results;
}

export interface ScoreRequest {
  runDir: string;
  problems: readonly Problem[];
  results: readonly SampleResult[];
  /** The samples, for cost and for the security probes' scan. */
  samples?: readonly Sample[];
  probes?: readonly SecurityProbe[];
  protocol?: SamplingProtocol;
  ks?: number[];
  cutoff?: string;
}

/**
 * Scores a run and writes function-level/summary.json (and security.jsonl when the run has
 * probe samples): pass@k, cost per passed task, the time split and the probes' unsafe rates.
 */
export async function scoreFunctionLevelRun(req: ScoreRequest): Promise<FunctionLevelSummary> {
  const scans = req.probes?.length && req.samples ? await scanProbeSamples(req.probes, req.samples) : [];
  const taskIds = new Set(req.results.map((r) => r.task_id));
  const warnings = req.protocol ? noisyProtocolWarnings(req.protocol, req.ks ?? [1, 10, 100]) : [];
  const unknown = [...taskIds].filter((id) => !req.problems.some((p) => p.task_id === id));
  if (unknown.length > 0) warnings.push(`${unknown.length} task(s) in the results are not in the dataset and are not scored: ${unknown.slice(0, 5).join(', ')}`);
  const summary = summarizeFunctionLevel({
    runId: path.basename(path.resolve(req.runDir)),
    model: req.protocol?.model ?? req.samples?.find((s) => s.model)?.model ?? 'unknown',
    tasks: req.problems.map((p) => ({ task_id: p.task_id, language: p.language, ...(p.release_date ? { release_date: p.release_date } : {}) })),
    results: req.results,
    samples: req.samples?.filter((s) => taskIds.has(s.task_id)),
    ks: req.ks,
    cutoff: req.cutoff,
    security: scans.length ? summarizeProbeScans(scans) : undefined,
    warnings,
  });
  const dir = path.join(req.runDir, FUNCTION_LEVEL_DIR);
  writeJsonAtomic(path.join(dir, FUNCTION_LEVEL_SUMMARY), summary);
  if (scans.length) writeFileAtomic(path.join(dir, 'security.jsonl'), scans.map((s) => `${JSON.stringify(s)}\n`).join(''));
  return summary;
}
