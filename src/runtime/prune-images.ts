import { errorMessage } from '../errors.js';
import { listManagedImages, type ManagedImage } from './cleanup.js';
import type { ContainerRuntime } from './container-runtime.js';
import { containerRuntime } from './registry.js';

export interface PruneReport {
  removed: number;
  /** Images that could not go (a container uses them, ...), with the engine's reason. */
  kept: { image: string; reason: string }[];
}

/**
 * The ids of the shared repository layers some image still stands on: each remaining
 * instance image's layer and, through their parent labels, every link below it.
 */
function layersInUse(remaining: ManagedImage[]): Set<string> {
  const parentOf = new Map(remaining.map((img) => [img.id, img.parent]));
  const used = new Set<string>();
  for (const img of remaining.filter((i) => i.kind !== 'repo')) {
    for (let id = img.parent; id && !used.has(id); id = parentOf.get(id)) used.add(id);
  }
  return used;
}

/** How many links lie below a repository layer: the engine removes a child before its parent. */
function chainDepth(images: ManagedImage[]): (id: string) => number {
  const parentOf = new Map(images.filter((i) => i.kind === 'repo').map((img) => [img.id, img.parent]));
  return (id) => {
    let n = 0;
    for (let p = parentOf.get(id); p && n < 1000; p = parentOf.get(p)) n++;
    return n;
  };
}

/**
 * Removes `candidates` of the given kinds (instance images first), then the shared
 * repository layers among them that no remaining image uses, newest link first (a link's
 * children go before it), then env and base images when asked. Untagged images of ours
 * (left by a rebuild) go too. What a container still uses is kept and reported.
 */
export async function pruneImages(candidates: ManagedImage[], kinds: string[], runtime: ContainerRuntime = containerRuntime()): Promise<PruneReport> {
  const report: PruneReport = { removed: 0, kept: [] };
  const remove = async (img: ManagedImage) => {
    try {
      await runtime.removeImage(img.id);
      report.removed++;
    } catch (err) {
      report.kept.push({ image: img.tags[0] ?? img.id, reason: errorMessage(err) });
    }
  };
  const first = candidates.filter((img) => img.kind !== 'repo' && (kinds.includes(img.kind) || img.tags.length === 0) && !['env', 'base'].includes(img.kind));
  for (const img of first) await remove(img);
  if (kinds.includes('repo')) {
    const all = await listManagedImages(runtime);
    const used = layersInUse(all);
    const depth = chainDepth(all);
    const unused = candidates.filter((img) => img.kind === 'repo' && !used.has(img.id)).sort((a, b) => depth(b.id) - depth(a.id));
    for (const img of unused) await remove(img);
  }
  for (const img of candidates.filter((i) => ['env', 'base'].includes(i.kind) && kinds.includes(i.kind))) await remove(img);
  return report;
}
