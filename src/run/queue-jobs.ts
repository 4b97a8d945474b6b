import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import type { LoadedAgentConfig } from '../config/agent-config.js';
import type { LoadedRepoSpec } from '../config/spec-registry.js';
import type { AgentChoice } from '../agent/agents.js';
import type { EpisodeResult } from '../agent/episode.js';
import type { AgentLimits } from '../agent/loop.js';
import type { Instance } from '../instance/instance-schema.js';
import type { Prediction } from '../instance/predictions.js';
import type { InstanceResult } from '../report/instance-result.js';
import { modelDirName, patchHash } from './evaluate-batch.js';

/**
 * One instance to grade, with all a worker needs: no dataset, spec folder or shared disk on
 * its side. The config is the coordinator's (its run root is replaced by the worker's scratch).
 */
export interface EvaluationJob {
  kind: 'evaluate';
  runId: string;
  config: HarnessConfig;
  instance: Instance;
  /** The repo's spec file as the coordinator read it; absent when it has none (the worker says so). */
  spec?: LoadedRepoSpec;
  prediction: Prediction;
  /**
   * The report of an earlier attempt at this run id: the worker reuses it when its key (patch,
   * image and spec hashes) still matches what it has, so resuming works across machines.
   */
  previous?: Record<string, InstanceResult>;
  force: boolean;
}

export interface EvaluationJobResult {
  result: InstanceResult;
  reused: boolean;
  /** The instance folder's files (harness.log, test_output.txt, patch.diff, eval.sh, ...) by name. */
  files: Record<string, string>;
  /** The worker's instance folder: paths in the result under it name files of the run folder. */
  workerDir: string;
  worker: string;
}

/** One agent episode (an instance and a sample) to play on a worker's engine. */
export interface EpisodeJob {
  kind: 'episode';
  runId: string;
  config: HarnessConfig;
  instance: Instance;
  sample: number;
  choice: AgentChoice;
  limits: AgentLimits;
  agentConfig: LoadedAgentConfig;
  /** The episode folder's files from before (trajectory, result): a worker resumes from them. */
  previous: Record<string, string>;
  /** The repo's spec as the coordinator read it: the worker's session needs no spec files. */
  spec?: LoadedRepoSpec;
  /** The replay agent's recorded trajectory (read from --replay-from here): the worker needs no copy of that run. */
  replayTrajectory?: string;
}

export interface EpisodeJobResult {
  episode: EpisodeResult;
  files: Record<string, string>;
  workerDir: string;
  worker: string;
}

export type QueueJob = EvaluationJob | EpisodeJob;
export type QueueJobResult = EvaluationJobResult | EpisodeJobResult;

/** A job's id for an episode: the same run, instance and sample give the same id. */
export function episodeJobId(runId: string, instanceId: string, sample: number): string {
  return `${runId}/agent/${instanceId}/${sample}`.replaceAll(':', '_');
}

/** Job options of every job: attempts after an infrastructure failure, and the backoff. */
export const EVALUATION_ATTEMPTS = 3;
export const EVALUATION_BACKOFF_MS = 5000;

/**
 * The job's id: the same run, model, instance and patch give the same id, so a restarted
 * coordinator finds the job it enqueued before; another patch is another job. (BullMQ
 * refuses ':' in ids.)
 */
export function evaluationJobId(runId: string, prediction: Prediction): string {
  return `${runId}/${modelDirName(prediction.model_name_or_path)}/${prediction.instance_id}/${patchHash(prediction.model_patch).slice(0, 12)}`.replaceAll(':', '_');
}

/** The files of a folder (not its subfolders), by name; none when it does not exist. */
export function readFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) files[name] = readFileSync(file, 'utf8');
  }
  return files;
}
