import { errorCode, errorMessage, HarnessError } from '../errors.js';
import type { ChatMessage, ModelProvider, ModelResponse } from '../model/types.js';
import { runTool, toolSpecs, type ToolContext, type ToolDefinition } from '../tools/tool.js';
import { ContextTracker, elideObservations, type ContextPolicy } from './context.js';
import { NO_TOOL_CALL_NOTICE } from './prompts.js';
import type { ToolCallRecord, TrajectoryStep, TrajectoryWriter } from './trajectory.js';

export type ExitStatus =
  | 'submitted'
  | 'step_limit'
  | 'cost_limit'
  | 'token_limit'
  | 'time_limit'
  | 'format_error'
  | 'model_error'
  /** The provider refused the request as longer than the model's context. */
  | 'context_limit'
  | 'sandbox_error'
  | 'cancelled';

export interface AgentLimits {
  maxSteps: number;
  maxCostUsd: number;
  maxTokens: number;
  maxWallSeconds: number;
  /** Answers in a row that call no tool before the episode ends. */
  maxFormatErrors: number;
}

/** What an episode has spent; carried over when a run resumes. */
export interface Spent {
  steps: number;
  costUsd: number;
  tokens: number;
  wallMs: number;
  formatErrors: number;
}

export interface LoopInput {
  model: ModelProvider;
  tools: ToolDefinition[];
  toolContext: ToolContext;
  messages: ChatMessage[];
  limits: AgentLimits;
  trajectory: TrajectoryWriter;
  spent: Spent;
  /** When to elide older observations; absent: never. */
  context?: ContextPolicy;
  /** Observations already elided (their ordinals), when resuming. */
  elided?: Set<number>;
  /** The message sent after an answer that called no tool. */
  noToolCallNotice?: string;
}

export interface LoopOutcome {
  exitStatus: ExitStatus;
  message?: string;
  /** For model_error and sandbox_error: the failure's own code (MODEL_AUTH, SESSION_GONE, ...). */
  errorCode?: string;
  spent: Spent;
}

function limitReached(limits: AgentLimits, spent: Spent): ExitStatus | undefined {
  if (spent.steps >= limits.maxSteps) return 'step_limit';
  if (spent.costUsd >= limits.maxCostUsd) return 'cost_limit';
  if (spent.tokens >= limits.maxTokens) return 'token_limit';
  if (spent.wallMs >= limits.maxWallSeconds * 1000) return 'time_limit';
  return undefined;
}

/** The agent loop: `step = execute(query())` until a tool submits or a limit is reached. */
export async function runAgentLoop(input: LoopInput): Promise<LoopOutcome> {
  const spent = { ...input.spent };
  const signal = input.toolContext.signal;
  const tracker = new ContextTracker();
  const elided = input.elided ?? new Set<number>();
  for (;;) {
    const limit = limitReached(input.limits, spent);
    if (limit) return { exitStatus: limit, spent };
    if (signal.aborted) return { exitStatus: 'cancelled', spent };
    const started = Date.now();
    const context = manageContext(input, tracker, elided);
    let response: ModelResponse;
    try {
      response = await input.model.query(input.messages, toolSpecs(input.tools), { signal });
    } catch (err) {
      if (signal.aborted) return { exitStatus: 'cancelled', spent };
      const tooLong = err instanceof HarnessError && err.code === 'MODEL_CONTEXT_LIMIT';
      return { exitStatus: tooLong ? 'context_limit' : 'model_error', message: errorMessage(err), errorCode: tooLong ? undefined : errorCode(err), spent };
    }
    const executed = await execute(response, input).catch((err: unknown) => err);
    if (executed instanceof Error) {
      // runTool throws only when the run is cancelled or the sandbox itself failed.
      if (signal.aborted) return { exitStatus: 'cancelled', message: executed.message, spent };
      return { exitStatus: 'sandbox_error', message: errorMessage(executed), errorCode: errorCode(executed), spent };
    }
    tracker.observe(response.usage, input.messages.indexOf(response.message) + 1);
    const step = recordStep(input, response, executed as ToolCallRecord[], spent, Date.now() - started, context);
    if (step.tool_calls.some((c) => c.submitted)) return { exitStatus: 'submitted', spent };
    if (spent.formatErrors >= input.limits.maxFormatErrors) return { exitStatus: 'format_error', message: 'too many answers without a tool call', spent };
  }
}

/**
 * The history's size before a query, and the elision the policy asks for when it is reached.
 * What was elided is recorded with the step, so a resumed run rebuilds the same history.
 */
function manageContext(input: LoopInput, tracker: ContextTracker, elided: Set<number>): StepContext {
  const tokens = tracker.tokens(input.messages);
  const at = input.context?.elideAtTokens;
  if (at === undefined || tokens < at) return { tokens };
  const now = elideObservations(input.messages, input.context?.keepLast ?? 0, elided);
  if (now.length === 0) return { tokens };
  tracker.forget();
  return { tokens, elided: now, tokensAfter: tracker.tokens(input.messages) };
}

interface StepContext {
  tokens: number;
  elided?: number[];
  tokensAfter?: number;
}

/** Runs the answer's tool calls in order and adds the answer and the observations to the history. */
async function execute(response: ModelResponse, input: LoopInput): Promise<ToolCallRecord[]> {
  const records: ToolCallRecord[] = [];
  input.messages.push(response.message);
  for (const call of response.message.toolCalls ?? []) {
    const started = Date.now();
    const result = await runTool(input.tools, call.name, call.arguments, input.toolContext);
    records.push({ id: call.id, name: call.name, arguments: call.arguments, output: result.output, is_error: result.isError ?? false, submitted: result.submitted ?? false, duration_ms: Date.now() - started });
    input.messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: result.output });
    if (result.submitted) break;
  }
  return records;
}

function recordStep(input: LoopInput, response: ModelResponse, calls: ToolCallRecord[], spent: Spent, durationMs: number, context: StepContext): TrajectoryStep {
  const notice = calls.length === 0 ? (input.noToolCallNotice ?? NO_TOOL_CALL_NOTICE) : undefined;
  if (notice) input.messages.push({ role: 'user', content: notice });
  spent.steps += 1;
  spent.costUsd += response.costUsd;
  spent.tokens += response.usage.inputTokens + response.usage.outputTokens;
  spent.wallMs += durationMs;
  spent.formatErrors = notice ? spent.formatErrors + 1 : 0;
  const step: TrajectoryStep = {
    type: 'step',
    step: spent.steps,
    assistant: response.message,
    tool_calls: calls,
    notice,
    usage: response.usage,
    cost_usd: response.costUsd,
    ...(response.priced === false ? { priced: false } : {}),
    model_latency_ms: response.latencyMs,
    duration_ms: durationMs,
    context_tokens: context.tokens,
    ...(context.elided ? { elided_observations: context.elided, context_tokens_after_elision: context.tokensAfter } : {}),
    at: new Date().toISOString(),
  };
  input.trajectory.write(step);
  return step;
}
