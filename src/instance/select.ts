import { parseTimestamp } from '../util/timestamp.js';
import type { Instance } from './instance-schema.js';
import { seededRandom } from '../util/seeded-random.js';

export interface Selection {
  /** Exact ids; unknown ones are reported back, not silently dropped. */
  ids?: string[];
  /** A regular expression matched against instance ids. */
  filter?: string;
  /** Keep a random sample of this many, drawn with `seed` so a rerun draws the same. */
  sample?: number;
  seed?: number;
  /**
   * A window on `created_at`, in ms since the epoch: kept when createdAfter <= created_at <
   * createdBefore. Half open, so `--created-before X` and `--created-after X` split a dataset
   * in two with nothing counted twice or lost.
   */
  createdAfter?: number;
  createdBefore?: number;
}

export interface Selected {
  instances: Instance[];
  unknownIds: string[];
  /** Left out of a date window because their created_at is empty or does not read as a date. */
  undated: Instance[];
}

export function selectInstances(all: Instance[], selection: Selection): Selected {
  let instances = all;
  let unknownIds: string[] = [];
  if (selection.ids && selection.ids.length > 0) {
    const wanted = new Set(selection.ids);
    instances = instances.filter((i) => wanted.has(i.instance_id));
    const found = new Set(instances.map((i) => i.instance_id));
    unknownIds = selection.ids.filter((id) => !found.has(id));
  }
  if (selection.filter) {
    const re = new RegExp(selection.filter);
    instances = instances.filter((i) => re.test(i.instance_id));
  }
  let undated: Instance[] = [];
  if (selection.createdAfter !== undefined || selection.createdBefore !== undefined) {
    ({ instances, undated } = inWindow(instances, selection.createdAfter ?? -Infinity, selection.createdBefore ?? Infinity));
  }
  // Sampled last: --sample N draws N of the window, not N of the dataset then a window.
  if (selection.sample !== undefined && selection.sample < instances.length) {
    instances = seededSample(instances, selection.sample, selection.seed ?? 0);
  }
  return { instances, unknownIds, undated };
}

function inWindow(instances: Instance[], after: number, before: number): { instances: Instance[]; undated: Instance[] } {
  const kept: Instance[] = [];
  const undated: Instance[] = [];
  for (const instance of instances) {
    const created = parseTimestamp(instance.created_at);
    if (created === undefined) undated.push(instance);
    else if (created >= after && created < before) kept.push(instance);
  }
  return { instances: kept, undated };
}

/** A partial Fisher-Yates shuffle; the sample keeps the dataset's order. */
function seededSample<T>(items: T[], count: number, seed: number): T[] {
  const random = seededRandom(seed);
  const indices = items.map((_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (indices.length - i));
    [indices[i], indices[j]] = [indices[j] as number, indices[i] as number];
  }
  return indices
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((i) => items[i] as T);
}
