import path from 'node:path';
import { checkoutAtCommit, type RepoLocation } from '../repo/checkout.js';
import { floorsBelow, writeObjectPack, type LayerPlan } from '../repo/history-layers.js';
import { LABELS } from '../runtime/labels.js';
import { OBJECTS_DIR, repoLayerRecipe } from '../test-spec/repo-layer.js';
import type { ImageRecipe, TestSpec } from '../test-spec/test-spec.js';

/**
 * What a build needs besides its recipe, worked out only when the image is missing: the
 * build context's extra entries, build args and labels.
 */
export interface BuildInputs {
  /** Writes what the Dockerfile COPYs into the context folder; returns its top-level entries. */
  fill?: (contextDir: string) => Promise<string[]>;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
}

/** The builder's "this image, built only when its tag is missing": returns the image id. */
export type EnsureImage = (recipe: ImageRecipe, spec: TestSpec, prepare: () => Promise<BuildInputs>) => Promise<{ id: string; built: boolean }>;

export interface RepoLayer {
  tag: string;
  id: string;
  /** The floor commit the layer's history ends at: an ancestor of every base_commit it serves. */
  commit: string;
  /** Whether any link of the chain had to be built by this call. */
  built: boolean;
}

/** Context filler: the objects from `from` to `to`, one self-contained pack (see history-layers.ts). */
export function objectPack(gitDir: string, from: string, to: string, instanceId?: string): BuildInputs['fill'] {
  return async (contextDir) => {
    await writeObjectPack(gitDir, from, to, path.join(contextDir, OBJECTS_DIR), instanceId);
    return [OBJECTS_DIR];
  };
}

/**
 * Why a chain of shared layers rather than one layer per repository at a batch-wide floor:
 * the oldest base commit of a batch can be years before the newest (sympy's span a decade),
 * so one floor leaves most instances carrying most of the history on their own, and a batch
 * with an older instance would need a new floor. Floors at fixed first-parent positions
 * depend only on each base_commit, are shared by every batch, and each link adds only the
 * objects since the link below, so the whole chain costs about one checkout. A chain
 * restarts with a full checkout every `depth` links to keep the image's layer count bounded.
 *
 * Builds (when missing) the chain of layers below `spec.baseCommit` and returns its top.
 */
export async function ensureRepoLayers(spec: TestSpec, loc: RepoLocation, mirror: string, plan: LayerPlan, ensure: EnsureImage): Promise<RepoLayer> {
  const envImage = spec.envImage as ImageRecipe;
  let below: { recipe: ImageRecipe; layer: RepoLayer } | undefined;
  for (const floor of await floorsBelow(mirror, spec.baseCommit, plan)) {
    const recipe = repoLayerRecipe({ repo: spec.repo, commit: floor.commit, below: below?.recipe, envImage });
    const prev = below?.layer;
    const { id, built } = await ensure(recipe, spec, async () => ({
      fill: prev ? objectPack(mirror, prev.commit, floor.commit, spec.instanceId) : fullCheckout(loc, floor.commit),
      labels: { [LABELS.repo]: spec.repo, [LABELS.commit]: floor.commit, ...(prev ? { [LABELS.parent]: prev.id } : {}) },
    }));
    below = { recipe, layer: { tag: recipe.tag, id, commit: floor.commit, built: built || (prev?.built ?? false) } };
  }
  if (!below) throw new Error(`${spec.instanceId}: no floor below ${spec.baseCommit}`);
  return below.layer;
}

function fullCheckout(loc: RepoLocation, commit: string): BuildInputs['fill'] {
  return async (contextDir) => {
    await checkoutAtCommit(loc, commit, path.join(contextDir, 'repo'));
    return ['repo'];
  };
}
