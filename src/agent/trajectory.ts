import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AssistantMessage, ChatMessage, Usage } from '../model/types.js';
import { applyElisions } from './context.js';

/** The first line of a trajectory: what ran, with which settings. */
export interface TrajectoryHeader {
  type: 'header';
  instance_id: string;
  agent: string;
  model: string;
  sampling: Record<string, unknown>;
  limits: Record<string, unknown>;
  /** The messages the episode started from (system prompt, task). */
  messages: ChatMessage[];
  /** The agent config that made the run, its name and hash (absent before agent configs). */
  agent_config?: Record<string, unknown>;
  agent_config_name?: string;
  agent_config_hash?: string;
  started_at: string;
}

export interface ToolCallRecord {
  id: string;
  name: string;
  arguments: string;
  output: string;
  is_error: boolean;
  submitted: boolean;
  duration_ms: number;
}

/** One step a line: the model's message, the tool calls with their observations, usage, timings. */
export interface TrajectoryStep {
  type: 'step';
  step: number;
  assistant: AssistantMessage;
  tool_calls: ToolCallRecord[];
  /** A message the loop added (a format error notice), if any. */
  notice?: string;
  usage: Usage;
  cost_usd: number;
  /** False when the model had no price: cost_usd is then unknown, not zero. */
  priced?: boolean;
  model_latency_ms: number;
  /** Wall time of the whole step: query and tools. */
  duration_ms: number;
  /** The history's size in tokens before this step's query (provider's count, or an estimate). */
  context_tokens?: number;
  /**
   * Observations elided before this step's query, by ordinal (0 = the first tool result of
   * the history): the context policy reached its share of the model's context.
   */
  elided_observations?: number[];
  context_tokens_after_elision?: number;
  at: string;
}

export interface TrajectoryEnd {
  type: 'end';
  exit_status: string;
  message?: string;
  at: string;
}

export type TrajectoryLine = TrajectoryHeader | TrajectoryStep | TrajectoryEnd;

/** Appends a line after every step, so a crash loses at most the step under way. */
export class TrajectoryWriter {
  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
  }

  write(line: TrajectoryLine): void {
    appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}

export interface Trajectory {
  header?: TrajectoryHeader;
  steps: TrajectoryStep[];
  end?: TrajectoryEnd;
}

/** Reads a trajectory; a last line cut off by a crash is ignored. */
export function readTrajectory(file: string): Trajectory {
  const trajectory: Trajectory = { steps: [] };
  if (!existsSync(file)) return trajectory;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let parsed: TrajectoryLine;
    try {
      parsed = JSON.parse(line) as TrajectoryLine;
    } catch {
      break;
    }
    if (parsed.type === 'header') trajectory.header = parsed;
    else if (parsed.type === 'step') trajectory.steps.push(parsed);
    else if (parsed.type === 'end') trajectory.end = parsed;
  }
  return trajectory;
}

/** The observations elided so far, by ordinal: for resuming a run. */
export function elidedAfter(trajectory: Trajectory): Set<number> {
  return new Set(trajectory.steps.flatMap((s) => s.elided_observations ?? []));
}

/** The conversation as the model saw it after the recorded steps: for resuming a run. */
export function messagesAfter(trajectory: Trajectory): ChatMessage[] {
  const messages: ChatMessage[] = [...(trajectory.header?.messages ?? [])];
  for (const step of trajectory.steps) {
    if (step.elided_observations) applyElisions(messages, step.elided_observations);
    messages.push(step.assistant);
    for (const call of step.tool_calls) messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: call.output });
    if (step.notice) messages.push({ role: 'user', content: step.notice });
  }
  return messages;
}
