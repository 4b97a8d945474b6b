import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { errorCode, errorMessage } from '../errors.js';
import { runEvaluation, withRunLock, type EvaluationOutcome, type RemoteEvaluator } from './evaluate-batch.js';
import type { Instance } from '../instance/instance-schema.js';
import type { Prediction } from '../instance/predictions.js';
import type { Reporter } from '../report/reporter.js';
import type { LoadedAgentConfig } from '../config/agent-config.js';
import { toolsFromConfig } from '../tools/toolset.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic-write.js';
import { runPool } from '../util/pool.js';
import { pathInside } from '../util/safe-path.js';
import { checkRunAgentConfig, loadAgent } from '../agent/agent-config.js';
import { agentLabel, getAgent, type AgentChoice } from '../agent/agents.js';
import type { EpisodeResult } from '../agent/episode.js';
import type { AgentLimits } from '../agent/loop.js';
import { passAtK, type PassAtK } from '../agent/pass-at-k.js';

export interface AgentRunRequest {
  config: HarnessConfig;
  runId: string;
  instances: Instance[];
  choice: AgentChoice;
  samples: number;
  concurrency: number;
  limits: AgentLimits;
  bash: boolean;
  /** Prompts, tools and context policy; absent: the shipped default (without bash if `bash` is false). */
  agentConfig?: LoadedAgentConfig;
  /** Resume a run even though its agent config changed. */
  allowConfigChange?: boolean;
  repoDirs?: string[];
  /** A model's training cutoff (ISO): the run summaries get a time split by created_at. */
  cutoff?: string;
  signal: AbortSignal;
  reporter?: Reporter;
  onEpisode?: (result: EpisodeResult) => void;
  /** Plays episodes and grades elsewhere (a queue's workers, see queue-coordinator.ts) instead of here. */
  remote?: RemoteAgentRun;
}

/** One episode to play elsewhere, with what a local run would pass to the agent. */
export interface RemoteEpisode {
  instance: Instance;
  sample: number;
  outDir: string;
  agentConfig: LoadedAgentConfig;
}

export interface RemoteAgentRun {
  episode: (episode: RemoteEpisode) => Promise<EpisodeResult>;
  evaluate: RemoteEvaluator;
}

export interface AgentRunOutcome {
  episodes: EpisodeResult[];
  predictionsFile: string;
  evaluations: EvaluationOutcome[];
  /** `${instance_id}#${sample}` -> resolved. */
  resolved: Record<string, boolean>;
  passAtK?: PassAtK;
}

/**
 * Runs the agent on every instance (and sample), writes predictions in SWE-bench's format
 * (plus the sample index), then grades them with the evaluation spine. Rerunning the same
 * run id skips finished episodes and resumes interrupted ones.
 */
export async function runAgents(req: AgentRunRequest): Promise<AgentRunOutcome> {
  // Held over the episodes and the grading after them (which enters it again).
  return withRunLock(req.config, req.runId, req.reporter, () => runAgentsLocked(req));
}

async function runAgentsLocked(req: AgentRunRequest): Promise<AgentRunOutcome> {
  const runDir = pathInside(req.config.run.root, req.runId);
  const agentConfig = req.agentConfig ?? loadAgent(undefined, { bash: req.bash });
  checkRunAgentConfig(runDir, agentConfig, req.allowConfigChange ?? false);
  const tools = toolsFromConfig(agentConfig.config.tools);
  const jobs = req.instances.flatMap((instance) => Array.from({ length: req.samples }, (_, sample) => ({ instance, sample })));
  // Remote: every episode is enqueued at once; the workers' -j is the limit.
  const episodes = await runPool(jobs, req.remote ? jobs.length : req.concurrency, async ({ instance, sample }) => {
    const outDir = pathInside(runDir, 'agent', instance.instance_id, String(sample));
    const common = { config: req.config, instance, runId: req.runId, sample, outDir, agentName: req.choice.agent, tools, limits: req.limits, agentConfig, repoDirs: req.repoDirs, signal: req.signal };
    const played = req.remote ? req.remote.episode({ instance, sample, outDir, agentConfig }) : getAgent(req.choice.agent).play(common, req.choice);
    const result = await played.catch((err: unknown): EpisodeResult => failedEpisode(instance, sample, req, err));
    req.onEpisode?.(result);
    return result;
  });
  const predictionsFile = path.join(runDir, 'predictions.jsonl');
  const label = agentLabel(req.choice);
  const modelName = (sample: number) => (req.samples > 1 ? `${label}.sample${sample}` : label);
  writeFileAtomic(predictionsFile, episodes.map((e) => JSON.stringify({ ...prediction(e, modelName(e.sample)), sample: e.sample, agent_config_name: e.agent_config_name ?? agentConfig.name, agent_config_hash: e.agent_config_hash ?? agentConfig.hash })).join('\n') + '\n');
  if (req.signal.aborted) return { episodes, predictionsFile, evaluations: [], resolved: {} };
  const evaluations: EvaluationOutcome[] = [];
  for (let sample = 0; sample < req.samples; sample++) {
    const predictions = new Map<string, Prediction>(episodes.filter((e) => e.sample === sample).map((e) => [e.instance_id, prediction(e, modelName(sample))]));
    evaluations.push(await runEvaluation({ config: req.config, runId: req.runId, instances: req.instances, predictions, concurrency: req.concurrency, repoDirs: req.repoDirs, cutoff: req.cutoff, reporter: req.reporter, remote: req.remote?.evaluate }));
  }
  const resolved: Record<string, boolean> = {};
  evaluations.forEach((evaluation, sample) => {
    for (const r of evaluation.results) resolved[`${r.instance_id}#${sample}`] = r.resolved;
  });
  const outcome: AgentRunOutcome = { episodes, predictionsFile, evaluations, resolved };
  if (req.samples > 1) {
    outcome.passAtK = passAtK(req.instances.map((i) => i.instance_id), evaluations.map((e) => e.results), req.samples);
    writeJsonAtomic(path.join(runDir, 'pass_at_k.json'), outcome.passAtK);
  }
  return outcome;
}

/** SWE-bench's prediction fields, plus the episode's error: such a patch is no answer to grade. */
function prediction(e: EpisodeResult, model: string): Prediction {
  return { instance_id: e.instance_id, model_name_or_path: model, model_patch: e.patch, ...(e.error ? { episode_error: e.error } : {}) };
}

/** An episode that could not run keeps its failure's own code (IMAGE_BUILD, USAGE, ...). */
function failedEpisode(instance: Instance, sample: number, req: AgentRunRequest, err: unknown): EpisodeResult {
  return {
    instance_id: instance.instance_id,
    sample,
    agent: req.choice.agent,
    model: agentLabel(req.choice),
    exit_status: 'error',
    message: errorMessage(err),
    patch: null,
    error: { code: errorCode(err), message: errorMessage(err) },
    steps: 0,
    cost_usd: 0,
    tokens: 0,
    wall_s: 0,
    sampling: {},
    finished_at: new Date().toISOString(),
  };
}
