import type { HarnessConfig } from '../config/harness-config.js';
import type { LoadedRepoSpec } from '../config/spec-registry.js';
import { HarnessError } from '../errors.js';
import type { Instance } from '../instance/instance-schema.js';
import type { Sandbox } from './sandbox.js';
import { attachSession, startSession } from './sessions.js';

export interface StartSandboxOptions {
  config: HarnessConfig;
  instance: Instance;
  runId: string;
  repoDirs?: string[];
  /** The repo's spec as read elsewhere (a queue job carries the coordinator's); else the config's spec folders. */
  spec?: LoadedRepoSpec;
}

/** A kind of sandbox: how one is started for a task and found again by its session id. */
export interface SandboxProvider {
  name: string;
  start(opts: StartSandboxOptions): Promise<Sandbox>;
  attach(config: HarnessConfig, sessionId: string): Sandbox;
}

const providers = new Map<string, SandboxProvider>();

/** Adds a kind of sandbox, or replaces the one of the same name. */
export function registerSandbox(provider: SandboxProvider): void {
  providers.set(provider.name, provider);
}

export function sandboxNames(): string[] {
  return [...providers.keys()].sort();
}

/** Sessions in a container of the task's instance image (the only kind today). */
export const DEFAULT_SANDBOX = 'container';

export function sandboxProvider(name = DEFAULT_SANDBOX): SandboxProvider {
  const provider = providers.get(name);
  if (!provider) throw new HarnessError('USAGE', `unknown sandbox "${name}"; known: ${sandboxNames().join(', ')}`);
  return provider;
}

registerSandbox({ name: 'container', start: startSession, attach: attachSession });
