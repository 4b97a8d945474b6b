import { HarnessError } from '../errors.js';

/** Short names for SWE-bench's published datasets, as users of its harness type them. */
export const DATASET_ALIASES: Record<string, string> = {
  lite: 'princeton-nlp/SWE-bench_Lite',
  verified: 'SWE-bench/SWE-bench_Verified',
  full: 'princeton-nlp/SWE-bench',
  multilingual: 'SWE-bench/SWE-bench_Multilingual',
};

/** A Hugging Face dataset, one split of one config, at a revision (undefined: the newest). */
export interface HubDatasetRef {
  id: string;
  split: string;
  /** Subset name; undefined: the dataset's only config, or `default`. */
  config?: string;
  revision?: string;
}

const HUB_ID = /^[\w.-]+\/[\w.-]+$/;

/**
 * `owner/name`, `owner/name@rev`, `hf://owner/name`, or an alias (`lite`, `verified@rev`).
 * Undefined when the target does not look like a dataset name at all.
 */
export function parseHubDatasetName(target: string, opts: { split?: string; revision?: string } = {}): HubDatasetRef | undefined {
  const bare = target.replace(/^hf:\/\//, '');
  const at = bare.lastIndexOf('@');
  const name = at > 0 ? bare.slice(0, at) : bare;
  const pinned = at > 0 ? bare.slice(at + 1) : undefined;
  const id = DATASET_ALIASES[name.toLowerCase()] ?? name;
  // A path that does not exist (data/x.jsonl, ./set) is a missing file, not a dataset to ask for.
  if (!HUB_ID.test(id) || /\.(jsonl?|ya?ml|parquet)$/i.test(id) || /^\.\.?\//.test(id)) return undefined;
  if (pinned !== undefined && opts.revision !== undefined && pinned !== opts.revision) {
    throw new HarnessError('USAGE', `two revisions for ${id}: @${pinned} and --revision ${opts.revision}`);
  }
  const revision = pinned ?? opts.revision;
  if (revision !== undefined && !/^[\w./-]+$/.test(revision)) throw new HarnessError('USAGE', `not a revision: ${JSON.stringify(revision)}`);
  return { id, split: opts.split ?? 'test', revision };
}

/** How the dataset reads in messages and problem lists: `owner/name@rev (split test)`. */
export function describeRef(ref: HubDatasetRef, sha?: string): string {
  const rev = sha ?? ref.revision;
  return `${ref.id}${rev ? `@${rev.slice(0, 12)}` : ''} (split ${ref.split}${ref.config ? `, config ${ref.config}` : ''})`;
}
