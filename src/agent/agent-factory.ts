import { HarnessError } from '../errors.js';
import type { Instance } from '../instance/instance-schema.js';
import { createModelProvider, type ModelConfigInput } from '../model/registry.js';
import type { PriceTable } from '../model/pricing.js';
import type { ModelProvider } from '../model/types.js';
import { emptyPolicy, goldPolicy, replayPolicy } from './policies.js';
import { pathInside } from '../util/safe-path.js';
import { readTrajectory } from './trajectory.js';

export const AGENT_NAMES = ['model', 'gold', 'empty', 'replay', 'command'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

export interface AgentChoice {
  agent: AgentName;
  model?: ModelConfigInput;
  priceTable?: PriceTable;
  /** replay: the agent folder of an earlier run (runs/<id>/agent), trajectories per instance and sample. */
  replayFrom?: string;
  /** command: the outside program. */
  command?: string;
}

export function parseAgentName(name: string): AgentName {
  if ((AGENT_NAMES as readonly string[]).includes(name)) return name as AgentName;
  throw new HarnessError('USAGE', `unknown agent ${JSON.stringify(name)}; known: ${AGENT_NAMES.join(', ')}`);
}

/** The name predictions carry in model_name_or_path. */
export function agentLabel(choice: AgentChoice): string {
  if (choice.agent === 'model') return choice.model?.model ?? 'model';
  return choice.agent;
}

/** A policy maker for one episode: the model, or a model-less agent served as one. */
export function policyFor(choice: AgentChoice, instance: Instance, sample: number): (played: number) => ModelProvider {
  switch (choice.agent) {
    case 'gold':
      return (played) => goldPolicy(instance.patch, played);
    case 'empty':
      return (played) => emptyPolicy(played);
    case 'replay': {
      if (!choice.replayFrom) throw new HarnessError('USAGE', 'the replay agent needs --replay-from DIR (an earlier run\'s agent folder)');
      const file = pathInside(choice.replayFrom, instance.instance_id, String(sample), 'trajectory.jsonl');
      const recorded = readTrajectory(file);
      if (recorded.steps.length === 0) throw new HarnessError('USAGE', `no recorded steps to replay in ${file}`, { instanceId: instance.instance_id, file });
      return (played) => replayPolicy(recorded, played);
    }
    case 'model': {
      if (!choice.model) throw new HarnessError('USAGE', 'the model agent needs --model (or a model: section in the config)');
      const provider = createModelProvider(choice.model, { priceTable: choice.priceTable });
      return () => provider;
    }
    default:
      throw new HarnessError('USAGE', `the ${choice.agent} agent has no policy`);
  }
}
