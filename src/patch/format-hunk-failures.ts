import type { HunkFailure } from './apply-file-diff.js';

/**
 * The failures as a model should read them: which hunk of which file, why, and the hunk
 * itself, so it can fix that hunk and resend the diff.
 */
export function formatHunkFailures(failures: HunkFailure[]): string {
  if (failures.length === 0) return 'All hunks applied.';
  const count = failures.length === 1 ? '1 problem' : `${failures.length} problems`;
  return [`The diff did not apply (${count}):`, ...failures.map(formatFailure)].join('\n\n');
}

function formatFailure(f: HunkFailure): string {
  if (f.hunkIndex < 0) return f.path ? `- \`${f.path}\`: ${f.reason}` : `- ${f.reason}`;
  // The header is the hunk's first line, shown below: the title only says which hunk it is.
  return [`- \`${f.path}\`, hunk ${f.hunkIndex + 1}: ${f.reason}`, '```diff', f.hunk, '```'].join('\n');
}
