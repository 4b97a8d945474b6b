import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HarnessConfig } from '../config/harness-config.js';
import { errorMessage } from '../errors.js';
import type { Instance } from '../instance/instance-schema.js';
import type { ModelProvider } from '../model/types.js';
import { sandboxProvider } from '../sandbox/registry.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { runTool, type ToolContext, type ToolDefinition } from '../tools/tool.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import type { LoadedAgentConfig } from '../config/agent-config.js';
import type { LoadedRepoSpec } from '../config/spec-registry.js';
import { contextPolicy, loadAgent } from './agent-config.js';
import { runAgentLoop, type AgentLimits, type ExitStatus, type Spent } from './loop.js';
import { initialMessagesFor } from './prompts.js';
import { elidedAfter, messagesAfter, readTrajectory, TrajectoryWriter, type Trajectory } from './trajectory.js';

/** What one episode (an instance, one sample) left behind. */
export interface EpisodeResult {
  instance_id: string;
  sample: number;
  agent: string;
  model: string;
  /** 'error': the episode could not run (no image, no session, no policy): see `error`. */
  exit_status: ExitStatus | 'agent_error' | 'error';
  message?: string;
  /** The session's diff against base_commit; null when it is unknown (see `error`). */
  patch: string | null;
  /**
   * Set when the episode ended by a failure (its code: IMAGE_BUILD, MODEL_AUTH, SESSION_GONE,
   * PATCH_UNREADABLE, ...) rather than by the agent or a limit. Its patch is no answer, so
   * grading records this error instead of a verdict.
   */
  error?: EpisodeError;
  steps: number;
  cost_usd: number;
  tokens: number;
  wall_s: number;
  session_id?: string;
  sampling: Record<string, unknown>;
  /** The agent config that made the patch (for the command agent: the run's, which it does not read). */
  agent_config_name?: string;
  agent_config_hash?: string;
  finished_at: string;
}

export interface EpisodeError {
  code: string;
  message: string;
}

export interface EpisodeInput {
  config: HarnessConfig;
  instance: Instance;
  runId: string;
  sample: number;
  outDir: string;
  agentName: string;
  /** Makes the policy; `playedSteps` answers were already played before a resume. */
  makeModel: (playedSteps: number) => ModelProvider;
  tools: ToolDefinition[];
  limits: AgentLimits;
  /** The prompts, tools and context policy (the tools above are its tools). */
  agentConfig?: LoadedAgentConfig;
  repoDirs?: string[];
  /** The repo's spec when it comes with the episode (a queue job); else read from the config's spec folders. */
  spec?: LoadedRepoSpec;
  signal: AbortSignal;
}

export const resultFile = (outDir: string) => path.join(outDir, 'result.json');
const sessionFile = (outDir: string) => path.join(outDir, 'session.json');

/**
 * One episode, resumable: a finished one is returned as it was; an interrupted one attaches
 * to its session (or, if that is gone, replays its recorded tool calls in a new one) and
 * carries on from the last completed step.
 */
export async function runEpisode(input: EpisodeInput): Promise<EpisodeResult> {
  if (existsSync(resultFile(input.outDir))) return JSON.parse(readFileSync(resultFile(input.outDir), 'utf8')) as EpisodeResult;
  const trajectoryFile = path.join(input.outDir, 'trajectory.jsonl');
  const recorded = readTrajectory(trajectoryFile);
  const writer = new TrajectoryWriter(trajectoryFile);
  const model = input.makeModel(recorded.steps.length);
  const agent = input.agentConfig ?? loadAgent();
  // Only a model reads the history; a config it cannot follow fails before a sandbox starts.
  const context = input.agentName === 'model' ? contextPolicy(agent, model) : { keepLast: agent.config.context.keep_last };
  const sandbox = await sessionFor(input, recorded);
  const toolContext: ToolContext = {
    sandbox,
    task: sandbox.task,
    signal: input.signal,
    outputCapBytes: input.config.agent.output_cap_bytes,
  };
  if (!recorded.header) {
    writer.write({
      type: 'header',
      instance_id: input.instance.instance_id,
      agent: input.agentName,
      model: model.model,
      sampling: { ...model.sampling },
      limits: { ...input.limits },
      messages: await initialMessagesFor(agent.config, input.instance, sandbox),
      agent_config: agent.config,
      agent_config_name: agent.name,
      agent_config_hash: agent.hash,
      started_at: new Date().toISOString(),
    });
  }
  const messages = messagesAfter(readTrajectory(trajectoryFile));
  const outcome = await runAgentLoop({
    model,
    tools: input.tools,
    toolContext,
    messages,
    limits: input.limits,
    trajectory: writer,
    spent: spentSoFar(recorded),
    context,
    elided: elidedAfter(recorded),
    noToolCallNotice: agent.config.no_tool_call_template,
  });
  const { patch, error: patchError } = await readPatch(sandbox);
  const error = outcome.errorCode ? { code: outcome.errorCode, message: outcome.message ?? outcome.exitStatus } : patchError;
  writer.write({ type: 'end', exit_status: outcome.exitStatus, message: outcome.message ?? patchError?.message, at: new Date().toISOString() });
  const result = episodeResult(input, model, outcome.exitStatus, outcome.message, patch, outcome.spent, sandbox.sessionId, error);
  if (outcome.exitStatus !== 'cancelled') {
    writeJsonAtomic(resultFile(input.outDir), result);
    await sandbox.destroy().catch(() => undefined);
  } else {
    sandbox.close();
  }
  return result;
}

function spentSoFar(t: Trajectory): Spent {
  const steps = t.steps;
  let formatErrors = 0;
  for (const s of steps) formatErrors = s.notice ? formatErrors + 1 : 0;
  return {
    steps: steps.length,
    costUsd: steps.reduce((sum, s) => sum + s.cost_usd, 0),
    tokens: steps.reduce((sum, s) => sum + s.usage.inputTokens + s.usage.outputTokens, 0),
    wallMs: steps.reduce((sum, s) => sum + (s.duration_ms ?? 0), 0),
    formatErrors,
  };
}

/**
 * The patch the episode leaves: the session's diff. A diff that cannot be read (the agent
 * removed or broke .git, the session is gone) is an unknown patch, never an empty one.
 */
export async function readPatch(sandbox: Pick<Sandbox, 'diff'>): Promise<{ patch: string | null; error?: EpisodeError }> {
  try {
    return { patch: await sandbox.diff() };
  } catch (err) {
    // A session that is gone fails here too: its patch is as unknown.
    return { patch: null, error: { code: 'PATCH_UNREADABLE', message: `the session's patch cannot be read: ${errorMessage(err)}` } };
  }
}

/** Who played the episode, as its result records it. */
export type Player = Pick<ModelProvider, 'model' | 'sampling'>;

export function episodeResult(input: Pick<EpisodeInput, 'instance' | 'sample' | 'agentName' | 'agentConfig'>, model: Player, status: EpisodeResult['exit_status'], message: string | undefined, patch: string | null, spent: Spent, sessionId?: string, error?: EpisodeError): EpisodeResult {
  return {
    instance_id: input.instance.instance_id,
    sample: input.sample,
    agent: input.agentName,
    model: model.model,
    exit_status: status,
    message,
    patch,
    steps: spent.steps,
    cost_usd: spent.costUsd,
    tokens: spent.tokens,
    wall_s: spent.wallMs / 1000,
    session_id: sessionId,
    ...(error ? { error } : {}),
    sampling: { ...model.sampling },
    agent_config_name: input.agentConfig?.name,
    agent_config_hash: input.agentConfig?.hash,
    finished_at: new Date().toISOString(),
  };
}

/** The episode's session: the one it had if it is still there, else a new one brought to the same state. */
async function sessionFor(input: EpisodeInput, recorded: Trajectory): Promise<Sandbox> {
  if (existsSync(sessionFile(input.outDir))) {
    const { sessionId } = JSON.parse(readFileSync(sessionFile(input.outDir), 'utf8')) as { sessionId: string };
    try {
      const sandbox = sandboxProvider().attach(input.config, sessionId);
      if ((await sandbox.status()) === 'running') return sandbox;
    } catch {
      // gone: start again below
    }
  }
  const sandbox = await sandboxProvider().start({ config: input.config, instance: input.instance, runId: input.runId, repoDirs: input.repoDirs, spec: input.spec });
  writeJsonAtomic(sessionFile(input.outDir), { sessionId: sandbox.sessionId });
  await replayToolCalls(sandbox, input, recorded);
  return sandbox;
}

/** Brings a new session to where the recorded steps left the old one, without a model. */
async function replayToolCalls(sandbox: Sandbox, input: EpisodeInput, recorded: Trajectory): Promise<void> {
  const ctx: ToolContext = {
    sandbox,
    task: sandbox.task,
    signal: input.signal,
    outputCapBytes: input.config.agent.output_cap_bytes,
  };
  for (const step of recorded.steps) {
    for (const call of step.tool_calls) {
      if (call.name === 'submit') continue;
      await runTool(input.tools, call.name, call.arguments, ctx).catch((err: unknown) => {
        throw new Error(`replaying ${call.name} of step ${step.step} failed: ${errorMessage(err)}`);
      });
    }
  }
}
