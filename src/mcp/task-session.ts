import type { HarnessConfig } from '../config/harness-config.js';
import { HarnessError } from '../errors.js';
import type { Instance } from '../instance/instance-schema.js';
import { sandboxProvider } from '../sandbox/registry.js';
import type { Sandbox, TaskInfo } from '../sandbox/sandbox.js';

export interface OpenTaskOptions {
  config: HarnessConfig;
  instance: Instance;
  runId: string;
  /** Attach to this existing session instead of starting one. */
  sessionId?: string;
  repoDirs?: string[];
}

/** A session served for one task; `release` stops it only if it was started here. */
export interface TaskSession {
  sandbox: Sandbox;
  task: TaskInfo;
  started: boolean;
  release(): Promise<void>;
}

/**
 * Starts a session for the instance, or attaches to one and checks it is for that instance:
 * serving another task's container under this problem statement would mislead the client.
 */
export async function openTaskSession(opts: OpenTaskOptions): Promise<TaskSession> {
  const { config, instance } = opts;
  if (opts.sessionId !== undefined) {
    const sandbox = sandboxProvider().attach(config, opts.sessionId);
    if (sandbox.task.instanceId !== instance.instance_id) {
      throw new HarnessError('USAGE', `session ${opts.sessionId} is for ${sandbox.task.instanceId}, not ${instance.instance_id}`, { instanceId: instance.instance_id });
    }
    await sandbox.assertAlive();
    // Someone else's session: let go of our shell, leave the container running.
    return { sandbox, task: sandbox.task, started: false, release: async () => sandbox.close() };
  }
  const sandbox = await sandboxProvider().start({ config, instance, runId: opts.runId, repoDirs: opts.repoDirs });
  // stop(), not destroy(): the state file stays, so `session list` and cleanup can still see it.
  return { sandbox, task: sandbox.task, started: true, release: () => sandbox.stop() };
}
