import { containerLimits, type HarnessConfig } from '../config/harness-config.js';
import { SpecRegistry, type LoadedRepoSpec } from '../config/spec-registry.js';
import { makeImageBuilder } from '../images/instance-images.js';
import { containerRuntime } from '../runtime/registry.js';
import type { Instance } from '../instance/instance-schema.js';
import { ownerId } from '../util/owner.js';
import { TESTBED } from '../grading/eval-markers.js';
import { safePathSegment } from '../util/safe-path.js';
import { makeInstanceTestSpec } from '../images/prebuilt.js';
import { ContainerSandbox, newSessionId, sessionLabels } from './container-sandbox.js';
import { SessionStore, type SessionState } from './session-store.js';

export interface StartSessionOptions {
  config: HarnessConfig;
  instance: Instance;
  runId: string;
  repoDirs?: string[];
  /** The repo's spec as read elsewhere (a queue job carries the coordinator's); else the config's spec folders. */
  spec?: LoadedRepoSpec;
}

function defaults(config: HarnessConfig) {
  return { commandTimeoutSeconds: config.agent.command_timeout, outputCapBytes: config.agent.output_cap_bytes };
}

/**
 * A new session: the instance image (built if missing) in a container with grading's limits,
 * and the agent's network setting. Its state is saved before it is returned.
 */
export async function startSession(opts: StartSessionOptions): Promise<ContainerSandbox> {
  const { config, instance } = opts;
  safePathSegment(opts.runId, 'run id');
  const specs = opts.spec ? SpecRegistry.withLoaded(config, [opts.spec]) : SpecRegistry.forConfig(config);
  const spec = makeInstanceTestSpec(instance, specs.resolve(instance.repo, instance.version, instance.instance_id), config);
  const images = await makeImageBuilder(config, specs, [instance], opts.repoDirs).ensureInstanceImage(spec);
  const limits = containerLimits(config, config.agent.network);
  const partial = { sessionId: newSessionId(), runId: opts.runId, instanceId: instance.instance_id };
  const store = new SessionStore(config.state_dir);
  const container = await containerRuntime().start({
    image: images.instance,
    labels: sessionLabels(partial, 'session', store),
    limits,
  });
  const state: SessionState = {
    ...partial,
    image: images.instance,
    baseCommit: instance.base_commit,
    workdir: TESTBED,
    containerId: container.id,
    limits,
    snapshots: [],
    testCommand: spec.env.test_cmd,
    logParser: spec.logParser,
    createdAt: new Date().toISOString(),
    owner: ownerId(),
  };
  store.save(state);
  return new ContainerSandbox(state, store, defaults(config));
}

/** The session again, from its state on disk: after a restart of the harness too. */
export function attachSession(config: HarnessConfig, sessionId: string): ContainerSandbox {
  const store = new SessionStore(config.state_dir);
  return new ContainerSandbox(store.load(sessionId), store, defaults(config));
}

export function listSessions(config: HarnessConfig): SessionState[] {
  return new SessionStore(config.state_dir).list();
}
