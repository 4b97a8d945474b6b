import { ownerId, processIdentity } from '../util/owner.js';

/** Labels on everything the harness makes, so leftovers can be found and removed. */
export const LABEL_PREFIX = 'swe-harness';
export const LABELS = {
  managed: `${LABEL_PREFIX}.managed`,
  kind: `${LABEL_PREFIX}.kind`,
  hash: `${LABEL_PREFIX}.hash`,
  instance: `${LABEL_PREFIX}.instance`,
  run: `${LABEL_PREFIX}.run`,
  session: `${LABEL_PREFIX}.session`,
  /**
   * Who made it (`host:pid:start`, see util/owner.ts): the process itself, or the parent that
   * grouped its children with SWE_HARNESS_OWNER (the test runner). Teardown goes by this one.
   */
  owner: `${LABEL_PREFIX}.owner`,
  /** The very process that made it: whether anyone still works on it goes by this one. */
  process: `${LABEL_PREFIX}.process`,
  /** A session's state file: the session lives on after its process while that file says so. */
  sessionState: `${LABEL_PREFIX}.session-state`,
  /**
   * The id of the image it was made from, where that is not fixed by its tag: a published
   * image, or a shared repository layer (what `images prune` keeps while instances use it).
   */
  parent: `${LABEL_PREFIX}.parent`,
  /** On a shared repository layer: owner/name and the commit its history ends at. */
  repo: `${LABEL_PREFIX}.repo`,
  commit: `${LABEL_PREFIX}.commit`,
} as const;

/** The labels with the harness's own mark added: what `cleanup` and `images list` look for. */
export function managed(labels: Record<string, string> = {}): Record<string, string> {
  return { [LABELS.managed]: 'true', ...labels };
}

/** Every container and snapshot says who made it, so cleanup can spare what a live process uses. */
export function ownerLabels(): Record<string, string> {
  return { [LABELS.owner]: ownerId(), [LABELS.process]: processIdentity() };
}
