import { isRecord } from './http.js';
import {
  formatError,
  HttpModelProvider,
  type HttpProviderOptions,
  type ParsedAnswer,
  tokenCount,
} from './http-provider.js';
import type { ChatMessage, ModelResponse, QueryOptions, SamplingParams, ToolCall, ToolSpec } from './types.js';

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * The Chat Completions API (`POST {baseUrl}/chat/completions`), as OpenAI serves it and as
 * vLLM, Ollama, LM Studio and most gateways imitate it: point `baseUrl` at their `/v1`.
 */
export class OpenAICompatibleProvider extends HttpModelProvider {
  readonly name = 'openai';

  constructor(options: HttpProviderOptions) {
    super(options, OPENAI_DEFAULT_BASE_URL);
  }

  query(messages: ChatMessage[], tools: ToolSpec[], opts: QueryOptions = {}): Promise<ModelResponse> {
    const body = openAIRequestBody(this.model, messages, tools, this.sampling, this.options.maxTokensParam);
    return this.post('/chat/completions', (key): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {}), body, parseOpenAIAnswer, opts.signal);
  }
}

/** The request body; sampling fields appear only when set, so the server's defaults apply. */
export function openAIRequestBody(
  model: string,
  messages: ChatMessage[],
  tools: ToolSpec[],
  sampling: SamplingParams,
  maxTokensParam = maxTokensParamFor(model),
): Record<string, unknown> {
  const body: Record<string, unknown> = { model, messages: messages.map(toOpenAIMessage) };
  // OpenAI rejects an empty `tools` array, so a tool-less query leaves it out.
  if (tools.length > 0) {
    body.tools = tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
  }
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  if (sampling.seed !== undefined) body.seed = sampling.seed;
  if (sampling.maxTokens !== undefined) body[maxTokensParam] = sampling.maxTokens;
  return body;
}

/**
 * OpenAI's reasoning models (o1, o3, o4-mini, gpt-5 and their snapshots) reject `max_tokens`
 * and take `max_completion_tokens`; other servers mostly know only `max_tokens`.
 */
export function maxTokensParamFor(model: string): 'max_tokens' | 'max_completion_tokens' {
  return /^(o1|o3|o4|gpt-5)(\b|-|$)/.test(model.replace(/^.*\//, '')) ? 'max_completion_tokens' : 'max_tokens';
}

function toOpenAIMessage(message: ChatMessage): Record<string, unknown> {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant': {
      if (!message.toolCalls?.length) return { role: 'assistant', content: message.content };
      // The API documents content as optional beside tool_calls; null rather than "" is what
      // it sends itself and what strict imitations accept.
      return {
        role: 'assistant',
        content: message.content === '' ? null : message.content,
        tool_calls: message.toolCalls.map((c) => ({
          id: c.id,
          type: 'function',
          function: { name: c.name, arguments: c.arguments },
        })),
      };
    }
    case 'tool':
      // Chat Completions has no name on tool results: the id ties them to the call.
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

/** Reads `choices[0].message`, `finish_reason` and `usage`; anything unreadable is MODEL_FORMAT. */
export function parseOpenAIAnswer(json: unknown): ParsedAnswer {
  if (!isRecord(json)) throw formatError('openai', 'the body is not a JSON object');
  const choice = Array.isArray(json.choices) ? json.choices[0] : undefined;
  if (!isRecord(choice)) throw formatError('openai', 'no choices in the answer');
  const message = choice.message;
  if (!isRecord(message)) throw formatError('openai', 'choices[0] has no message');
  const toolCalls = parseToolCalls(message.tool_calls);
  if (!('content' in message) && toolCalls.length === 0) {
    throw formatError('openai', 'choices[0].message has neither content nor tool_calls');
  }
  return {
    message: {
      role: 'assistant',
      content: messageText(message),
      ...(toolCalls.length > 0 ? { toolCalls } : {}),
    },
    usage: parseUsage(json.usage),
    stopReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown',
  };
}

function messageText(message: Record<string, unknown>): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  // Some servers answer with content parts, as requests may be written.
  if (Array.isArray(content)) {
    return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
  }
  // A refusal comes instead of content; the loop should see it, not an empty answer.
  return typeof message.refusal === 'string' ? message.refusal : '';
}

function parseToolCalls(raw: unknown): ToolCall[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw formatError('openai', 'tool_calls is not an array');
  return raw.map((call, index) => {
    const fn = isRecord(call) ? call.function : undefined;
    if (!isRecord(call) || !isRecord(fn) || typeof fn.name !== 'string') {
      throw formatError('openai', `tool_calls[${index}] has no function name`);
    }
    return {
      // Some imitations (Ollama's, some vLLM parsers) send no id; one is needed to answer the call.
      id: typeof call.id === 'string' && call.id ? call.id : `call_${index}`,
      name: fn.name,
      arguments: rawArguments(fn.arguments),
    };
  });
}

/**
 * The arguments as text. Invalid JSON passes through untouched (the loop tells the model);
 * an object, which some imitations send instead of text, is written back as JSON.
 */
function rawArguments(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/** `prompt_tokens` already includes the cached part, as our Usage counts it. */
function parseUsage(raw: unknown): ParsedAnswer['usage'] {
  if (!isRecord(raw)) return { inputTokens: 0, outputTokens: 0 };
  const details = isRecord(raw.prompt_tokens_details) ? raw.prompt_tokens_details : {};
  const cached = tokenCount(details.cached_tokens);
  return {
    inputTokens: tokenCount(raw.prompt_tokens),
    outputTokens: tokenCount(raw.completion_tokens),
    ...(cached > 0 ? { cacheReadTokens: cached } : {}),
  };
}
