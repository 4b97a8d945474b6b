import { DockerRuntime } from '../docker/docker-runtime.js';
import { HarnessError } from '../errors.js';
import type { ContainerRuntime } from './container-runtime.js';
import { managed, ownerLabels } from './labels.js';

/** Container backends by name, made on first use; one instance per name per process. */
const factories = new Map<string, () => ContainerRuntime>();
const made = new Map<string, ContainerRuntime>();

/** Adds a backend, or replaces the one of the same name (a test's, a project's own). */
export function registerRuntime(name: string, make: () => ContainerRuntime): void {
  factories.set(name, make);
  made.delete(name);
}

export function runtimeNames(): string[] {
  return [...factories.keys()].sort();
}

export const DEFAULT_RUNTIME = 'docker';

export function containerRuntime(name = DEFAULT_RUNTIME): ContainerRuntime {
  const existing = made.get(name);
  if (existing) return existing;
  const make = factories.get(name);
  if (!make) throw new HarnessError('USAGE', `unknown container runtime "${name}"; known: ${runtimeNames().join(', ')}`);
  const runtime = make();
  made.set(name, runtime);
  return runtime;
}

registerRuntime('docker', () => new DockerRuntime({ images: managed(), containers: () => managed(ownerLabels()) }));
