import { HarnessError } from '../errors.js';
import type { Instance } from '../instance/instance-schema.js';
import type { PriceTable } from '../model/pricing.js';
import { createModelProvider, type ModelConfigInput } from '../model/registry.js';
import type { ModelProvider } from '../model/types.js';
import { pathInside } from '../util/safe-path.js';
import { runCommandEpisode } from './command-agent.js';
import { runEpisode, type EpisodeInput, type EpisodeResult } from './episode.js';
import { emptyPolicy, goldPolicy, replayPolicy } from './model-free-agents.js';
import { readTrajectory } from './trajectory.js';

/** What the user chose on the command line or in the config. */
export interface AgentChoice {
  agent: string;
  model?: ModelConfigInput;
  priceTable?: PriceTable;
  /** replay: the agent folder of an earlier run (runs/<id>/agent), trajectories per instance and sample. */
  replayFrom?: string;
  /** command: the outside program. */
  command?: string;
}

/** One episode's input, but for the policy: each agent brings its own. */
export type EpisodeJob = Omit<EpisodeInput, 'makeModel'>;

/** An agent: how it is named in predictions and how it plays one episode. */
export interface AgentDefinition {
  name: string;
  /** The name predictions carry in model_name_or_path. */
  label(choice: AgentChoice): string;
  /** Fails with USAGE before any episode when the choice lacks what the agent needs. */
  check?(choice: AgentChoice): void;
  play(job: EpisodeJob, choice: AgentChoice): Promise<EpisodeResult>;
}

const agents = new Map<string, AgentDefinition>();

/** Adds an agent, or replaces the one of the same name. */
export function registerAgent(agent: AgentDefinition): void {
  agents.set(agent.name, agent);
}

export function agentNames(): string[] {
  return [...agents.keys()];
}

export function getAgent(name: string): AgentDefinition {
  const agent = agents.get(name);
  if (!agent) throw new HarnessError('USAGE', `unknown agent ${JSON.stringify(name)}; known: ${agentNames().join(', ')}`);
  return agent;
}

/** The agent's name if it is known (the CLI checks before anything starts). */
export function parseAgentName(name: string): string {
  return getAgent(name).name;
}

export function agentLabel(choice: AgentChoice): string {
  return getAgent(choice.agent).label(choice);
}

function modelFree(name: string, policy: (choice: AgentChoice, instance: Instance, sample: number) => (played: number) => ModelProvider): AgentDefinition {
  return {
    name,
    label: () => name,
    play: async (job, choice) => runEpisode({ ...job, makeModel: policy(choice, job.instance, job.sample) }),
  };
}

function replayMaker(choice: AgentChoice, instance: Instance, sample: number) {
  if (!choice.replayFrom) throw new HarnessError('USAGE', 'the replay agent needs --replay-from DIR (an earlier run\'s agent folder)');
  const file = pathInside(choice.replayFrom, instance.instance_id, String(sample), 'trajectory.jsonl');
  const recorded = readTrajectory(file);
  if (recorded.steps.length === 0) throw new HarnessError('USAGE', `no recorded steps to replay in ${file}`, { instanceId: instance.instance_id, file });
  return (played: number) => replayPolicy(recorded, played);
}

const modelAgent: AgentDefinition = {
  name: 'model',
  label: (choice) => choice.model?.model ?? 'model',
  play: async (job, choice) => {
    if (!choice.model) throw new HarnessError('USAGE', 'the model agent needs --model (or a model: section in the config)');
    const provider = createModelProvider(choice.model, { priceTable: choice.priceTable });
    return runEpisode({ ...job, makeModel: () => provider });
  },
};

const commandAgent: AgentDefinition = {
  name: 'command',
  label: () => 'command',
  check: (choice) => {
    if (!choice.command) throw new HarnessError('USAGE', 'the command agent needs --agent-command "PROGRAM ARGS"');
  },
  play: async (job, choice) => runCommandEpisode({ ...job, command: choice.command ?? '' }),
};

for (const agent of [
  modelAgent,
  modelFree('gold', (_c, instance) => (played) => goldPolicy(instance.patch, played)),
  modelFree('empty', () => (played) => emptyPolicy(played)),
  modelFree('replay', replayMaker),
  commandAgent,
]) {
  registerAgent(agent);
}
