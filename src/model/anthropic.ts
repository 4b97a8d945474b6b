import { isRecord } from './http.js';
import {
  formatError,
  HttpModelProvider,
  type HttpProviderOptions,
  type ParsedAnswer,
  tokenCount,
} from './http-provider.js';
import type { ChatMessage, ModelResponse, QueryOptions, SamplingParams, ToolCall, ToolSpec } from './types.js';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
export const ANTHROPIC_VERSION = '2023-06-01';
/** The Messages API requires max_tokens; this is used when the config sets none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type Block = Record<string, unknown> & { type: string };
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/** The Messages API (`POST {baseUrl}/v1/messages`). */
export class AnthropicProvider extends HttpModelProvider {
  readonly name = 'anthropic';

  constructor(options: HttpProviderOptions) {
    super(options, ANTHROPIC_DEFAULT_BASE_URL);
  }

  query(messages: ChatMessage[], tools: ToolSpec[], opts: QueryOptions = {}): Promise<ModelResponse> {
    const body = anthropicRequestBody(this.model, messages, tools, this.sampling, { promptCache: this.options.promptCache ?? true });
    return this.post('/v1/messages', (key) => ({ 'anthropic-version': ANTHROPIC_VERSION, ...(key ? { 'x-api-key': key } : {}) }), body, parseAnthropicAnswer, opts.signal);
  }
}

const CACHE_BREAKPOINT = { cache_control: { type: 'ephemeral' } } as const;

/**
 * The request body. System messages become the top-level `system` (the API has no system
 * role), joined in order. `seed` is not sent: the Messages API has no such parameter.
 * With `promptCache`, the stable prefix is marked for prompt caching: a breakpoint on the last
 * tool definition and one on the system prompt (the API caches tools, then system, then
 * messages, up to each breakpoint), so every step after the first reads that prefix from the
 * cache at a tenth of the input price.
 */
export function anthropicRequestBody(
  model: string,
  messages: ChatMessage[],
  tools: ToolSpec[],
  sampling: SamplingParams,
  opts: { promptCache?: boolean } = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    max_tokens: sampling.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages: toAnthropicMessages(messages),
  };
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  if (system.length > 0) {
    body.system = opts.promptCache ? [{ type: 'text', text: system.join('\n\n'), ...CACHE_BREAKPOINT }] : system.join('\n\n');
  }
  if (tools.length > 0) {
    const defs: Record<string, unknown>[] = tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters }));
    if (opts.promptCache) defs[defs.length - 1] = { ...defs.at(-1), ...CACHE_BREAKPOINT };
    body.tools = defs;
  }
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  return body;
}

/**
 * Our messages as alternating user/assistant turns. Tool results are user content blocks, so
 * consecutive tool messages, and a user message right after them, merge into one user turn;
 * within it the tool_result blocks go first, as the API requires. A message with nothing to
 * send is dropped, since the API rejects empty text blocks and empty turns.
 */
export function toAnthropicMessages(messages: ChatMessage[]): AnthropicMessage[] {
  const turns: AnthropicMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const blocks = toBlocks(message);
    if (blocks.length === 0) continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  for (const turn of turns) {
    if (turn.role === 'user') turn.content = toolResultsFirst(turn.content);
  }
  return turns;
}

function toBlocks(message: Exclude<ChatMessage, { role: 'system' }>): Block[] {
  switch (message.role) {
    case 'user':
      return message.content ? [{ type: 'text', text: message.content }] : [];
    case 'assistant': {
      const text: Block[] = message.content ? [{ type: 'text', text: message.content }] : [];
      const calls = (message.toolCalls ?? []).map((c) => ({
        type: 'tool_use',
        id: c.id,
        name: c.name,
        input: toolInput(c.arguments),
      }));
      return [...text, ...calls];
    }
    case 'tool':
      return [
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          ...(message.content ? { content: message.content } : {}),
        },
      ];
  }
}

function toolResultsFirst(blocks: Block[]): Block[] {
  return [...blocks.filter((b) => b.type === 'tool_result'), ...blocks.filter((b) => b.type !== 'tool_result')];
}

/**
 * A tool_use `input` must be an object. Arguments that are not a JSON object (the loop has
 * already told the model so in the tool result that follows) are sent as `{}`.
 */
function toolInput(args: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(args);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** Reads the `content` blocks, `stop_reason` and `usage`; anything unreadable is MODEL_FORMAT. */
export function parseAnthropicAnswer(json: unknown): ParsedAnswer {
  if (!isRecord(json)) throw formatError('anthropic', 'the body is not a JSON object');
  if (!Array.isArray(json.content)) throw formatError('anthropic', 'no content array in the answer');
  let text = '';
  const toolCalls: ToolCall[] = [];
  json.content.forEach((block, index) => {
    if (!isRecord(block)) throw formatError('anthropic', `content[${index}] is not an object`);
    // Text may come in several blocks (e.g. around citations); they are one text.
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type === 'tool_use') toolCalls.push(toolCallOf(block, index));
    // Other blocks (thinking, server tools) are not part of our message shape.
  });
  return {
    message: { role: 'assistant', content: text, ...(toolCalls.length > 0 ? { toolCalls } : {}) },
    usage: parseUsage(json.usage),
    stopReason: typeof json.stop_reason === 'string' ? json.stop_reason : 'unknown',
  };
}

function toolCallOf(block: Record<string, unknown>, index: number): ToolCall {
  if (typeof block.id !== 'string' || typeof block.name !== 'string') {
    throw formatError('anthropic', `tool_use block content[${index}] has no id or name`);
  }
  return { id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) };
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; our inputTokens sums all three. */
function parseUsage(raw: unknown): ParsedAnswer['usage'] {
  if (!isRecord(raw)) return { inputTokens: 0, outputTokens: 0 };
  const cacheRead = tokenCount(raw.cache_read_input_tokens);
  const cacheWrite = tokenCount(raw.cache_creation_input_tokens);
  return {
    inputTokens: tokenCount(raw.input_tokens) + cacheRead + cacheWrite,
    outputTokens: tokenCount(raw.output_tokens),
    ...(cacheRead > 0 ? { cacheReadTokens: cacheRead } : {}),
    ...(cacheWrite > 0 ? { cacheWriteTokens: cacheWrite } : {}),
  };
}
