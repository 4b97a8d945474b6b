import type { HarnessConfig } from '../config/harness-config.js';
import { HarnessError } from '../errors.js';
import type { Instance } from '../instance/instance-schema.js';
import type { DockerSandbox } from '../sandbox/docker-sandbox.js';
import { attachSession, startSession } from '../sandbox/sessions.js';
import type { TaskInfo } from '../tools/tool.js';

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
  sandbox: DockerSandbox;
  task: TaskInfo;
  started: boolean;
  release(): Promise<void>;
}

export function taskInfo(sandbox: DockerSandbox): TaskInfo {
  const { instanceId, testCommand, logParser } = sandbox.info;
  return { instanceId, testCommand, logParser };
}

/**
 * Starts a session for the instance, or attaches to one and checks it is for that instance:
 * serving another task's container under this problem statement would mislead the client.
 */
export async function openTaskSession(opts: OpenTaskOptions): Promise<TaskSession> {
  const { config, instance } = opts;
  if (opts.sessionId !== undefined) {
    const sandbox = attachSession(config, opts.sessionId);
    if (sandbox.info.instanceId !== instance.instance_id) {
      throw new HarnessError('USAGE', `session ${opts.sessionId} is for ${sandbox.info.instanceId}, not ${instance.instance_id}`, { instanceId: instance.instance_id });
    }
    await sandbox.assertAlive();
    // Someone else's session: let go of our shell, leave the container running.
    return { sandbox, task: taskInfo(sandbox), started: false, release: async () => sandbox.close() };
  }
  const sandbox = await startSession({ config, instance, runId: opts.runId, repoDirs: opts.repoDirs });
  // stop(), not destroy(): the state file stays, so `session list` and cleanup can still see it.
  return { sandbox, task: taskInfo(sandbox), started: true, release: () => sandbox.stop() };
}
