import { TESTBED } from '../grading/eval-markers.js';
import { contentHash } from '../util/hash.js';
import type { ImageRecipe } from './test-spec.js';

/** Where a layer's build context puts the pack of objects it adds (see repo/history-layers.ts). */
export const OBJECTS_DIR = 'objects';

/**
 * Moves /testbed from the layer below to `commit`: the copied pack holds the objects in
 * between; the branch, index and files follow; the reflog that named the older commit goes.
 * No other ref is ever made, so nothing names a commit beyond `commit`. The COPY line, and
 * the command for a RUN (joined with the steps after it: each RUN is a container start).
 */
export function advanceTo(commit: string): { copy: string; command: string } {
  return {
    copy: `COPY ${OBJECTS_DIR}/ ${TESTBED}/.git/objects/pack/`,
    command: `git checkout -q -B main ${commit} && git reflog expire --expire=now --all && rm -f .git/ORIG_HEAD .git/FETCH_HEAD`,
  };
}

/** The repository at a floor commit, as a link on top of `below` (or a full checkout on the env image). */
export interface RepoLink {
  repo: string;
  commit: string;
  /** The link this one adds to; absent for the first link of a chain, a full checkout. */
  below?: ImageRecipe;
  envImage: ImageRecipe;
}

/** A shared layer of the repository's history up to `link.commit`; its tag is a content hash. */
export function repoLayerRecipe(link: RepoLink): ImageRecipe {
  const parent = link.below ?? link.envImage;
  const advance = advanceTo(link.commit);
  const steps = link.below
    ? [advance.copy, `RUN ${advance.command}`]
    : // The repository at the floor, with no history or refs after it (see repo/checkout.ts).
      [`COPY repo/ ${TESTBED}/`, `WORKDIR ${TESTBED}`];
  const dockerfile = `${[`FROM ${parent.tag}`, ...steps].join('\n')}\n`;
  const hash = contentHash({ dockerfile, parent: parent.hash, repo: link.repo, commit: link.commit });
  const tag = `swe-harness/repo:${link.repo.toLowerCase().replace(/[^a-z0-9_.-]/g, '__').slice(0, 80)}-${hash.slice(0, 12)}`;
  return { kind: 'repo', tag, hash, dockerfile, buildArgs: {}, parent };
}
