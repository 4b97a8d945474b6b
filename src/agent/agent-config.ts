import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { agentConfigHash, loadAgentConfig, type LoadedAgentConfig } from '../config/agent-config.js';
import { HarnessError } from '../errors.js';
import type { ModelProvider } from '../model/types.js';
import { TOOL_NAMES } from '../tools/toolset.js';
import { writeJsonAtomic } from '../util/atomic-write.js';
import type { ContextPolicy } from './context.js';

export const DEFAULT_AGENT_CONFIG = 'default';

/**
 * An agent config by name or file, validated against the tools that exist. `bash: false`
 * (the harness's agent.bash, or --no-bash) takes bash out of its tools; the hash is then that
 * of the config as it runs, so it still names the exact agent.
 */
export function loadAgent(ref: string = DEFAULT_AGENT_CONFIG, opts: { bash?: boolean } = {}): LoadedAgentConfig {
  const loaded = loadAgentConfig(ref, TOOL_NAMES);
  if (opts.bash !== false || !('bash' in loaded.config.tools)) return loaded;
  const { bash: _bash, ...tools } = loaded.config.tools;
  const config = { ...loaded.config, tools };
  return { ...loaded, config, hash: agentConfigHash(config) };
}

/** The token count at which the policy elides: a share of the model's context window. */
export function contextPolicy(loaded: LoadedAgentConfig, model: Pick<ModelProvider, 'model' | 'contextWindow'>): ContextPolicy {
  const { elide_at, keep_last, context_window } = loaded.config.context;
  if (elide_at === undefined) return { keepLast: keep_last };
  const window = context_window ?? model.contextWindow;
  if (!window) {
    throw new HarnessError('CONFIG_INVALID', `agent config ${loaded.name}: context.elide_at needs the context window of ${model.model}; give context.context_window (here or in the model config) or a context_window in the price table`, { file: loaded.file });
  }
  return { elideAtTokens: Math.floor(elide_at * window), keepLast: keep_last };
}

/** Where a run keeps the agent config it started with. */
export const runAgentConfigFile = (runDir: string) => path.join(runDir, 'agent-config.json');

/**
 * A run resumes only with the agent config it started with, unless told otherwise
 * (`allowChange`, --allow-config-change): results made by two different agents must not mix
 * in one run unnoticed. The accepted config is then recorded for the next resume.
 */
export function checkRunAgentConfig(runDir: string, loaded: LoadedAgentConfig, allowChange: boolean): void {
  const file = runAgentConfigFile(runDir);
  if (existsSync(file)) {
    const before = JSON.parse(readFileSync(file, 'utf8')) as { name: string; hash: string };
    if (before.hash !== loaded.hash && !allowChange) {
      throw new HarnessError(
        'USAGE',
        `run ${path.basename(runDir)} was started with agent config ${before.name} (hash ${before.hash}); this one is ${loaded.name} (hash ${loaded.hash}). ` +
          'Resuming with another agent would mix results of two agents: use a new --run-id, the same config, or --allow-config-change to go on anyway (each prediction names its config).',
        { file },
      );
    }
    if (before.hash === loaded.hash) return;
  }
  writeJsonAtomic(file, { name: loaded.name, hash: loaded.hash, file: loaded.file, config: loaded.config });
}
