import { loadAgent } from '../../agent/agent-config.js';
import { getAgent, parseAgentName, type AgentChoice } from '../../agent/agents.js';
import { runAgents } from '../../run/agent-run.js';
import { loadPriceTable } from '../../config/prices.js';
import { containerRuntime } from '../../runtime/registry.js';
import { HarnessError } from '../../errors.js';
import { isSafeName } from '../../util/safe-path.js';
import { gradingExitCode } from '../exit-code.js';
import { cutoffOption, loadSelection, printProblems, type SelectionOptions } from '../load-selection.js';
import { modelConfig, num, type ModelFlags } from '../model-flags.js';
import { ProgressReporter } from '../progress.js';
import { renderTable } from '../table.js';
import { renderTimeSplit } from '../time-split-table.js';
import { writeRunReport } from './report.js';

/** `seed` is the model's sampling seed (the instance sample's is --sample-seed). */
export interface RunOptions extends SelectionOptions, ModelFlags {
  queue?: string;
  queueName?: string;
  agent?: string;
  runId?: string;
  samples?: string;
  maxSteps?: string;
  maxCost?: string;
  maxTime?: string;
  bash: boolean;
  replayFrom?: string;
  agentCommand?: string;
  agentConfig?: string;
  allowConfigChange?: boolean;
  cutoff?: string;
}

export async function runCommand(values: RunOptions): Promise<number> {
  const runId = values.runId;
  if (!runId || !isSafeName(runId)) throw new HarnessError('USAGE', '--run-id is required (letters, digits, _ . -; not . or ..; at most 200)');
  const agent = parseAgentName(values.agent ?? '');
  const cutoff = cutoffOption(values.cutoff);
  const selection = await loadSelection(values, new ProgressReporter());
  printProblems('dataset problems (these records are skipped)', selection.problems);
  const { config } = selection;
  const agentConfig = loadAgent(values.agentConfig ?? undefined, { bash: values.bash === false ? false : config.agent.bash });
  // Harness config, then the agent config, then flags.
  const limits = { ...config.agent.limits, ...agentConfig.config.limits };
  const choice: AgentChoice = {
    agent,
    model: agent === 'model' ? modelConfig(values, { ...config.model, ...agentConfig.config.model }) : undefined,
    priceTable: agent === 'model' ? loadPriceTable() : undefined,
    replayFrom: values.replayFrom,
    command: values.agentCommand,
  };
  getAgent(agent).check?.(choice);
  // With a queue, the workers' engines play and grade: this machine needs none.
  if (!values.queue) await containerRuntime().assertAvailable();
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  const request: Parameters<typeof runAgents>[0] = {
    config,
    runId,
    instances: selection.instances,
    choice,
    samples: num(values.samples, 'samples') ?? 1,
    concurrency: selection.concurrency,
    bash: values.bash === false ? false : config.agent.bash,
    agentConfig,
    allowConfigChange: values.allowConfigChange === true,
    limits: {
      maxSteps: num(values.maxSteps, 'max-steps') ?? limits.max_steps,
      maxCostUsd: num(values.maxCost, 'max-cost') ?? limits.max_cost_usd,
      maxTokens: limits.max_tokens,
      maxWallSeconds: num(values.maxTime, 'max-time') ?? limits.max_wall_seconds,
      maxFormatErrors: limits.max_format_errors,
    },
    repoDirs: selection.repoDirs,
    cutoff,
    signal: abort.signal,
    reporter: new ProgressReporter(),
    onEpisode: (e) => process.stderr.write(`${e.instance_id}#${e.sample}: ${e.exit_status} after ${e.steps} step(s), ${e.patch === null ? 'patch unknown' : `${e.patch.length} bytes of patch`}${e.error ? ` (error ${e.error.code}: ${e.error.message})` : ''}\n`),
  };
  const outcome = values.queue
    ? await (await import('../../run/queue-coordinator.js')).runAgentsOnQueue(request, { url: values.queue, name: values.queueName })
    : await runAgents(request);
  const rows = outcome.episodes.map((e) => [e.instance_id, String(e.sample), e.exit_status, String(e.steps), `$${e.cost_usd.toFixed(4)}`, outcome.resolved[`${e.instance_id}#${e.sample}`] ? 'yes' : 'no', e.error?.code ?? '']);
  process.stdout.write(`\n${renderTable(['instance', 'sample', 'exit', 'steps', 'cost', 'resolved', 'error'], rows)}\n`);
  process.stdout.write(`predictions: ${outcome.predictionsFile}\n`);
  if (outcome.passAtK) process.stdout.write(`pass@k: ${JSON.stringify(outcome.passAtK.pass_at_k)}\n`);
  for (const s of outcome.evaluations.flatMap((e) => e.summaries)) {
    if (s.time_split) process.stdout.write(`${s.model_name_or_path}:\n${renderTimeSplit(s.time_split)}\n`);
  }
  if (outcome.evaluations[0]) process.stderr.write(`html report: ${writeRunReport(outcome.evaluations[0].runDir, selection.instances, undefined, cutoff)}\n`);
  if (abort.signal.aborted) return 130;
  return gradingExitCode(outcome.evaluations.flatMap((e) => e.summaries), selection.problems.length);
}
