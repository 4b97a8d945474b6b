import { getAgent, parseAgentName, type AgentChoice } from '../../agent/agents.js';
import { runAgents } from '../../run/agent-run.js';
import { loadPriceTable } from '../../config/prices.js';
import { containerRuntime } from '../../runtime/registry.js';
import { HarnessError } from '../../errors.js';
import type { ModelConfigInput } from '../../model/registry.js';
import { loadSelection, printProblems, type SelectionOptions } from '../load-selection.js';
import { ProgressReporter } from '../progress.js';
import { renderTable } from '../table.js';

export interface RunOptions extends SelectionOptions {
  agent?: string;
  model?: string;
  provider?: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  temperature?: string;
  topP?: string;
  /** The model's sampling seed (the instance sample's is --sample-seed). */
  seed?: string;
  runId?: string;
  samples?: string;
  maxSteps?: string;
  maxCost?: string;
  maxTime?: string;
  bash: boolean;
  replayFrom?: string;
  agentCommand?: string;
}

function num(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new HarnessError('USAGE', `--${name} takes a number, not ${JSON.stringify(raw)}`);
  return n;
}

/** The model config: the config file's `model:` section, with flags over it. */
function modelConfig(values: RunOptions, fromConfig: Record<string, unknown> | undefined): ModelConfigInput | undefined {
  const model = values.model ?? (fromConfig?.model as string | undefined);
  if (!model) return undefined;
  const provider = values.provider ?? (fromConfig?.provider as string | undefined) ?? (/claude/i.test(model) ? 'anthropic' : 'openai');
  const flags: Record<string, unknown> = { model, provider, base_url: values.baseUrl, temperature: num(values.temperature, 'temperature'), top_p: num(values.topP, 'top-p'), seed: num(values.seed, 'seed') };
  if (values.apiKeyEnv !== undefined) flags.api_key_env = values.apiKeyEnv === 'none' ? null : values.apiKeyEnv;
  const merged = { ...(fromConfig ?? {}), ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
  return merged as ModelConfigInput;
}

export async function runCommand(values: RunOptions): Promise<number> {
  const runId = values.runId;
  if (!runId || !/^[\w.-]+$/.test(runId)) throw new HarnessError('USAGE', '--run-id is required (letters, digits, _ . -)');
  const agent = parseAgentName(values.agent ?? '');
  const selection = loadSelection(values);
  printProblems('dataset problems (these records are skipped)', selection.problems);
  const { config } = selection;
  const limits = config.agent.limits;
  const choice: AgentChoice = {
    agent,
    model: agent === 'model' ? modelConfig(values, config.model) : undefined,
    priceTable: agent === 'model' ? loadPriceTable() : undefined,
    replayFrom: values.replayFrom,
    command: values.agentCommand,
  };
  getAgent(agent).check?.(choice);
  await containerRuntime().assertAvailable();
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const outcome = await runAgents({
    config,
    runId,
    instances: selection.instances,
    choice,
    samples: num(values.samples, 'samples') ?? 1,
    concurrency: selection.concurrency,
    bash: values.bash === false ? false : config.agent.bash,
    limits: {
      maxSteps: num(values.maxSteps, 'max-steps') ?? limits.max_steps,
      maxCostUsd: num(values.maxCost, 'max-cost') ?? limits.max_cost_usd,
      maxTokens: limits.max_tokens,
      maxWallSeconds: num(values.maxTime, 'max-time') ?? limits.max_wall_seconds,
      maxFormatErrors: limits.max_format_errors,
    },
    repoDirs: selection.repoDirs,
    signal: abort.signal,
    reporter: new ProgressReporter(),
    onEpisode: (e) => process.stderr.write(`${e.instance_id}#${e.sample}: ${e.exit_status} after ${e.steps} step(s), ${e.patch.length} bytes of patch\n`),
  });
  const rows = outcome.episodes.map((e) => [e.instance_id, String(e.sample), e.exit_status, String(e.steps), `$${e.cost_usd.toFixed(4)}`, outcome.resolved[`${e.instance_id}#${e.sample}`] ? 'yes' : 'no']);
  process.stdout.write(`\n${renderTable(['instance', 'sample', 'exit', 'steps', 'cost', 'resolved'], rows)}\n`);
  process.stdout.write(`predictions: ${outcome.predictionsFile}\n`);
  if (outcome.passAtK) process.stdout.write(`pass@k: ${JSON.stringify(outcome.passAtK.pass_at_k)}\n`);
  return abort.signal.aborted ? 130 : 0;
}
