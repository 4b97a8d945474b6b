import { HarnessError } from '../errors.js';
import type { ChatMessage, ModelProvider, ModelResponse, QueryOptions, SamplingParams, ToolCall, ToolSpec, Usage } from './types.js';

/** One answer of a scripted model. */
export interface ScriptedStep {
  content?: string;
  /** `arguments` is sent as JSON; a string is sent as it is, so a test can send invalid JSON. */
  toolCalls?: Array<{ name: string; arguments: unknown }>;
  /** Token counts to report, for tests of token and cost limits; zeros when absent. */
  usage?: Partial<Usage>;
  costUsd?: number;
}

/** What the scripted model was asked, for tests to assert on. */
export interface ScriptedCall {
  messages: ChatMessage[];
  tools: ToolSpec[];
}

/**
 * A model that replays a fixed list of answers, one per query, for tests of the agent loop
 * without a paid model. When the script runs out it throws MODEL_ERROR, as a real provider
 * failing mid-run would.
 */
export class ScriptedModel implements ModelProvider {
  readonly name = 'scripted';
  readonly model: string;
  readonly sampling: SamplingParams = {};
  /** Every query's messages and tools, copied as they were at the time of the call. */
  readonly calls: ScriptedCall[] = [];
  readonly #steps: ScriptedStep[];

  constructor(steps: ScriptedStep[], model = 'scripted') {
    this.#steps = steps;
    this.model = model;
  }

  /** Steps not yet played. */
  get remaining(): number {
    return this.#steps.length - this.calls.length;
  }

  async query(messages: ChatMessage[], tools: ToolSpec[], opts: QueryOptions = {}): Promise<ModelResponse> {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const index = this.calls.length;
    const step = this.#steps[index];
    if (!step) throw new HarnessError('MODEL_ERROR', `scripted model: script exhausted after ${index} steps`);
    // A copy, because the loop goes on appending to the same history array.
    this.calls.push(structuredClone({ messages, tools }));
    const toolCalls = (step.toolCalls ?? []).map((call, i): ToolCall => ({
      id: `call_${index}_${i}`,
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
    }));
    return {
      message: { role: 'assistant', content: step.content ?? '', ...(toolCalls.length > 0 ? { toolCalls } : {}) },
      usage: { inputTokens: 0, outputTokens: 0, ...step.usage },
      costUsd: step.costUsd ?? 0,
      priced: true,
      stopReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      latencyMs: 0,
      attempts: 1,
    };
  }
}
