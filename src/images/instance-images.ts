import type { HarnessConfig } from '../config/harness-config.js';
import type { SpecRegistry } from '../config/spec-registry.js';
import type { Instance } from '../instance/instance-schema.js';
import { resolveRepoSource } from '../repo/resolve-source.js';
import type { TransferListener } from '../util/transfer-progress.js';
import { ImageBuilder } from './image-builder.js';

/** An image builder that finds each instance's repository the usual way (see resolve-source). */
export function makeImageBuilder(config: HarnessConfig, specs: SpecRegistry, instances: Instance[], repoDirs: string[] = [], onTransfer?: TransferListener): ImageBuilder {
  const sourceOf = new Map(instances.map((i) => [i.instance_id, i.repo_source]));
  return new ImageBuilder(config, (spec) =>
    resolveRepoSource(spec.repo, {
      configured: config.repos,
      localDirs: repoDirs,
      instanceSource: sourceOf.get(spec.instanceId),
      specSource: specs.resolve(spec.repo, spec.version).repo.source,
    }),
    onTransfer,
  );
}
