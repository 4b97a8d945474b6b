/**
 * The provider-neutral shape of a chat with tools. The agent loop speaks only this; each
 * provider translates it to and from its own wire format.
 */

export interface ToolSpec {
  name: string;
  description: string;
  /** A JSON Schema object describing the tool's arguments. */
  parameters: Record<string, unknown>;
}

export interface ToolCall {
  id: string;
  name: string;
  /**
   * The raw JSON text as the model sent it. It may be invalid JSON: the loop reports that to
   * the model, which can then correct itself, so providers never reject it.
   */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/**
 * Token counts of one query. `inputTokens` is the whole prompt, cached parts included (as
 * OpenAI counts it; Anthropic's three counters are summed), so it measures the context the
 * model saw. `cacheReadTokens` and `cacheWriteTokens` are the parts of it served from or
 * written to a prompt cache, priced differently.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export interface ModelResponse {
  message: AssistantMessage;
  usage: Usage;
  costUsd: number;
  /**
   * False when the model has no price (neither in the price table nor in its config): costUsd
   * is then 0 and a run should report its cost as unknown rather than free.
   */
  priced?: boolean;
  /** The provider's stop reason as it sent it (`stop`, `tool_calls`, `end_turn`, `tool_use`, ...). */
  stopReason: string;
  /** Wall time of the whole query, retries and back-off waits included. */
  latencyMs: number;
  /** HTTP requests made for this query: 1 when the first one succeeded. */
  attempts: number;
}

/** Sampling settings; a provider sends only those that are set. */
export interface SamplingParams {
  temperature?: number;
  topP?: number;
  seed?: number;
  maxTokens?: number;
}

export interface QueryOptions {
  /** Aborts the request and any back-off wait; the query then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface ModelProvider {
  readonly name: string;
  readonly model: string;
  readonly sampling: SamplingParams;
  /** The model's context in tokens, when its config or the price table says. */
  readonly contextWindow?: number;
  query(messages: ChatMessage[], tools: ToolSpec[], opts: QueryOptions): Promise<ModelResponse>;
}
