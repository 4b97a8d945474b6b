import path from 'node:path';
import { failureMode, type FailureModeOf } from './failure-mode.js';
import type { InstanceResult } from './instance-result.js';
import { readEpisode, readPassAtK, readResults, readSummaries, readTrajectoryFile, type EpisodeFile, type StepFile } from './run-files.js';
import { isEvaluationError, type RunSummary } from './summary.js';

/** What a report knows of an instance from its dataset, when the caller has the dataset. */
export interface InstanceInfo {
  instance_id: string;
  repo: string;
  version?: string;
  problem_statement?: string;
  /** When the task was published (SWE-bench's created_at), for a time split. */
  created_at?: string;
}

export type Verdict = 'RESOLVED' | 'PARTIAL' | 'NO' | 'ERROR';

/** One graded prediction (an instance, one sample) with everything the report shows of it. */
export interface InstanceRecord {
  instance_id: string;
  model: string;
  sample: number;
  repo: string;
  version?: string;
  verdict: Verdict;
  result: InstanceResult;
  failure?: FailureModeOf;
  patch?: string;
  testLog?: string;
  problemStatement?: string;
  createdAt?: string;
  episode?: EpisodeFile;
  steps?: StepFile[];
  /** USD over the episode's steps; null when a step had no known price or there was no episode. */
  costUsd: number | null;
  tokens: number | null;
}

export interface RunData {
  runId: string;
  runDir: string;
  summaries: RunSummary[];
  records: InstanceRecord[];
  passAtK?: Record<string, number>;
}

/** SWE-bench ids are owner__name-number: the repository when the dataset is not at hand. */
export function repoOfId(instanceId: string): string {
  const m = /^(.+?)__(.+)-\d+$/.exec(instanceId);
  return m ? `${m[1]}/${m[2]}` : 'unknown';
}

export function verdictOf(r: InstanceResult): Verdict {
  if (isEvaluationError(r)) return 'ERROR';
  return r.resolved ? 'RESOLVED' : r.resolution === 'PARTIAL' ? 'PARTIAL' : 'NO';
}

/** Agent runs name a sample's predictions `<agent>.sample<N>`. */
function sampleOf(model: string): number {
  const m = /\.sample(\d+)$/.exec(model);
  return m ? Number(m[1]) : 0;
}

function costOf(steps: StepFile[] | undefined, episode: EpisodeFile | undefined): { costUsd: number | null; tokens: number | null } {
  if (!episode && !steps) return { costUsd: null, tokens: null };
  if (!steps) return { costUsd: episode!.cost_usd, tokens: episode!.tokens };
  const tokens = steps.reduce((sum, s) => sum + (s.usage?.inputTokens ?? 0) + (s.usage?.outputTokens ?? 0), 0);
  const unknown = steps.some((s) => s.priced === false);
  return { costUsd: unknown ? null : steps.reduce((sum, s) => sum + (s.cost_usd ?? 0), 0), tokens };
}

/** Reads a run folder into records; `instances` adds repo, version and problem statement. */
export function loadRun(runDir: string, instances: InstanceInfo[] = []): RunData {
  const info = new Map(instances.map((i) => [i.instance_id, i]));
  const records = readResults(runDir).map(({ result, patch, testLog }): InstanceRecord => {
    const id = result.instance_id;
    const sample = sampleOf(result.model_name_or_path);
    const episode = readEpisode(runDir, id, sample);
    const trajectory = readTrajectoryFile(runDir, id, sample);
    const known = info.get(id);
    return {
      instance_id: id,
      model: result.model_name_or_path,
      sample,
      repo: known?.repo ?? repoOfId(id),
      version: known?.version,
      verdict: verdictOf(result),
      result,
      failure: failureMode(result, episode?.exit_status),
      patch,
      testLog,
      problemStatement: known?.problem_statement ?? trajectory?.task,
      createdAt: known?.created_at,
      episode,
      steps: trajectory?.steps,
      ...costOf(trajectory?.steps, episode),
    };
  });
  records.sort((a, b) => a.instance_id.localeCompare(b.instance_id) || a.sample - b.sample || a.model.localeCompare(b.model));
  return { runId: path.basename(path.resolve(runDir)), runDir, summaries: readSummaries(runDir), records, passAtK: readPassAtK(runDir) };
}
