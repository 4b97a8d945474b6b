import { loadHarnessConfig } from '../../config/harness-config.js';
import { containerRuntime } from '../../runtime/registry.js';
import { cleanupByLabel } from '../../runtime/cleanup.js';
import { listSessions } from '../../sandbox/sessions.js';
import { SessionStore } from '../../sandbox/session-store.js';

/** `swe-harness cleanup [--run-id R]`: containers, snapshots and session state, by label. */
export async function cleanupCommand(values: { runId?: string; config?: string }): Promise<number> {
  const config = loadHarnessConfig(values.config);
  const runId = values.runId;
  await containerRuntime().assertAvailable();
  const removed = await cleanupByLabel(runId);
  const store = new SessionStore(config.state_dir);
  const sessions = listSessions(config).filter((s) => runId === undefined || s.runId === runId);
  for (const s of sessions) store.remove(s.sessionId);
  process.stdout.write(`removed ${removed.containers} container(s), ${removed.images} snapshot image(s), ${sessions.length} session state file(s)${runId ? ` of run ${runId}` : ''}\n`);
  return 0;
}
