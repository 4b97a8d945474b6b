/** Labels on everything the harness makes, so leftovers can be found and removed. */
export const LABEL_PREFIX = 'swe-harness';
export const LABELS = {
  managed: `${LABEL_PREFIX}.managed`,
  kind: `${LABEL_PREFIX}.kind`,
  hash: `${LABEL_PREFIX}.hash`,
  instance: `${LABEL_PREFIX}.instance`,
  run: `${LABEL_PREFIX}.run`,
  session: `${LABEL_PREFIX}.session`,
} as const;

/** The labels with the harness's own mark added: what `cleanup` and `images list` look for. */
export function managed(labels: Record<string, string> = {}): Record<string, string> {
  return { [LABELS.managed]: 'true', ...labels };
}
