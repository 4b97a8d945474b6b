import type { HistoryCommit } from '../repo/history.js';
import { splitChange } from './split-change.js';
import { problemStatement, wordCount, type IssueTexts } from './statement.js';
import type { SplitRule } from './test-files.js';

/**
 * Why a commit did not become a task. The first three are read from the history alone; the
 * rest are what running the tests said (see decide.ts).
 */
export const REJECTION_REASONS = [
  'no_tests_touched',
  'no_code_touched',
  'thin_statement',
  'build_failed',
  'no_fail_to_pass',
  'flaky',
  'gold_does_not_resolve',
  'empty_resolves',
  'error',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Where a mined task came from, kept in its record. */
export interface Provenance {
  commit: string;
  parent: string;
  merge: boolean;
  author_date: string;
  split_rule: { language: string; source: 'convention' | 'spec'; test_globs: string[] };
  issues: string[];
}

/** A commit that touches code and tests: an instance once the tests have decided. */
export interface Candidate {
  instance_id: string;
  repo: string;
  base_commit: string;
  patch: string;
  test_patch: string;
  problem_statement: string;
  created_at: string;
  provenance: Provenance;
}

export interface Rejection {
  commit: string;
  instance_id: string;
  reason: RejectionReason;
  detail: string;
}

export interface CandidateOptions {
  repo: string;
  rule: SplitRule;
  issues: IssueTexts;
  minStatementWords: number;
}

/** owner/name-<12 hex of the commit>, as SWE-bench's owner__name-<PR number>. */
export function minedInstanceId(repo: string, commit: string): string {
  return `${repo.replace('/', '__')}-${commit.slice(0, 12)}`;
}

/** A commit and its diff (against the first parent) -> a candidate, or why it is not one. */
export function toCandidate(entry: HistoryCommit, diff: string, opts: CandidateOptions): Candidate | Rejection {
  const instanceId = minedInstanceId(opts.repo, entry.commit);
  const reject = (reason: RejectionReason, detail: string): Rejection => ({ commit: entry.commit, instance_id: instanceId, reason, detail });
  const split = splitChange(diff, opts.rule);
  if (split.testFiles.length === 0) return reject('no_tests_touched', `changes ${split.codeFiles.length + split.otherFiles.length} file(s), none a test file`);
  if (split.codeFiles.length === 0) return reject('no_code_touched', `changes only test files (${split.testFiles.slice(0, 3).join(', ')})`);
  const statement = problemStatement(entry.subject, entry.body, opts.issues);
  const words = wordCount(statement.text);
  if (words < opts.minStatementWords) return reject('thin_statement', `the message and issues hold ${words} word(s), fewer than ${opts.minStatementWords}`);
  return {
    instance_id: instanceId,
    repo: opts.repo,
    base_commit: entry.parent,
    patch: split.patch,
    test_patch: split.testPatch,
    problem_statement: statement.text,
    created_at: entry.committerDate,
    provenance: {
      commit: entry.commit,
      parent: entry.parent,
      merge: entry.isMerge,
      author_date: entry.authorDate,
      split_rule: { language: opts.rule.language, source: opts.rule.source, test_globs: [...opts.rule.testGlobs] },
      issues: statement.issues,
    },
  };
}

export function isRejection(value: Candidate | Rejection): value is Rejection {
  return 'reason' in value;
}
