import { HarnessError } from '../errors.js';
import type { AssistantMessage, ChatMessage, ModelProvider, ModelResponse, SamplingParams, ToolSpec } from '../model/types.js';
import type { Trajectory } from './trajectory.js';

/**
 * Agents that need no model are fixed sequences of answers, served through the same
 * ModelProvider interface, so they run the same loop, tools and trajectory as a real model.
 */
class FixedAnswers implements ModelProvider {
  readonly sampling: SamplingParams = {};
  private next: number;

  constructor(
    readonly name: string,
    readonly model: string,
    private readonly answers: AssistantMessage[],
    /** Answers already played before a resume. */
    startAt = 0,
  ) {
    this.next = startAt;
  }

  async query(_messages: ChatMessage[], _tools: ToolSpec[]): Promise<ModelResponse> {
    const message = this.answers[this.next];
    if (!message) throw new HarnessError('MODEL_ERROR', `${this.name}: no recorded answer left after ${this.next} step(s)`);
    this.next += 1;
    return { message, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, priced: true, stopReason: 'tool_calls', latencyMs: 0, attempts: 0 };
  }
}

function call(id: string, name: string, args: unknown): AssistantMessage {
  return { role: 'assistant', content: '', toolCalls: [{ id, name, arguments: JSON.stringify(args) }] };
}

/** Applies the reference patch through the apply_diff tool, so the tool path is exercised, then submits. */
export function goldPolicy(patch: string, startAt = 0): ModelProvider {
  return new FixedAnswers('gold', 'gold', [call('gold_1', 'apply_diff', { diff: patch }), call('gold_2', 'submit', {})], startAt);
}

/** Submits at once: the baseline of no change. */
export function emptyPolicy(startAt = 0): ModelProvider {
  return new FixedAnswers('empty', 'empty', [call('empty_1', 'submit', {})], startAt);
}

/** Re-executes a recorded trajectory's tool calls, answer by answer, without a model. */
export function replayPolicy(recorded: Trajectory, startAt = 0): ModelProvider {
  const model = `replay:${recorded.header?.model ?? 'unknown'}`;
  return new FixedAnswers('replay', model, recorded.steps.map((s) => s.assistant), startAt);
}
