import { loadHarnessConfig } from '../../config/harness-config.js';
import { containerRuntime } from '../../runtime/registry.js';
import { removeDeadLeftovers, removeRunLeftovers } from '../../sandbox/leftovers.js';

/**
 * `swe-harness cleanup [--run-id R [--force]]`: without a run, what dead processes left
 * (live sessions stay); with one, everything of that run unless a live process works on it.
 */
export async function cleanupCommand(values: { runId?: string; force?: boolean; config?: string }): Promise<number> {
  const config = loadHarnessConfig(values.config);
  const runId = values.runId;
  await containerRuntime().assertAvailable();
  const removed = runId ? await removeRunLeftovers(config, runId, values.force === true) : await removeDeadLeftovers(config);
  const kept = removed.keptContainers + removed.keptImages > 0 ? `; kept ${removed.keptContainers} container(s) and ${removed.keptImages} snapshot(s) still in use` : '';
  process.stdout.write(`removed ${removed.containers} container(s), ${removed.images} snapshot image(s), ${removed.sessionStates} session state file(s)${runId ? ` of run ${runId}` : ''}${kept}\n`);
  return 0;
}
