import type { HarnessConfig } from '../config/harness-config.js';
import type { ResolvedSpec } from '../config/spec-registry.js';
import type { Instance } from '../instance/instance-schema.js';
import { makeTestSpec, type TestSpec } from '../test-spec/test-spec.js';

/**
 * The published image of an instance, or undefined when images are built here. SWE-bench
 * names them `sweb.eval.<arch>.<instance id, lower case>` and writes "__" as "_1776_" (Docker
 * repository names cannot hold a double underscore after a dot in every registry).
 */
export function prebuiltImageRef(instanceId: string, config: HarnessConfig): string | undefined {
  const p = config.images.prebuilt;
  if (!p.namespace) return undefined;
  const name = p.name.replaceAll('{arch}', p.arch).replaceAll('{id}', instanceId.toLowerCase());
  const repository = [p.registry.replace(/\/+$/, ''), p.namespace.replace(/^\/+|\/+$/g, ''), name].filter(Boolean).join('/');
  return `${repository}:${p.tag}`.replaceAll('__', '_1776_');
}

/** The TestSpec of an instance with the image the config chooses: built here, or published. */
export function makeInstanceTestSpec(instance: Instance, resolved: ResolvedSpec, config: HarnessConfig): TestSpec {
  return makeTestSpec(instance, resolved, config, prebuiltImageRef(instance.instance_id, config));
}

/** A `reference` filter for the engine that matches every published image the config names. */
export function prebuiltImagePattern(config: HarnessConfig): string | undefined {
  return prebuiltImageRef('*', config)?.replace(/:[^:/]+$/, '');
}
