import { TESTBED } from '../grading/eval-markers.js';

/** The line the check prints when nothing after base_commit is visible. */
export const HISTORY_HIDDEN = 'HISTORY HIDDEN';

/**
 * A shell script, run inside an instance image, that proves nothing after `baseCommit` is
 * there: every object in the object store is reachable from base_commit (whatever layers the
 * image shares with other instances), the only ref is the branch at base_commit, no reflog,
 * FETCH_HEAD, ORIG_HEAD or packed ref names a commit beyond it, and the tracked files are
 * base_commit's. It prints one `LEAK:` line per finding, or HISTORY_HIDDEN, and the count of
 * untracked files (an install may make some; an image without an install has none).
 */
export function hiddenHistoryCheckScript(baseCommit: string): string {
  return `set -u
cd ${TESTBED} || { echo "LEAK: no ${TESTBED}"; exit 1; }
leaks=0; leak() { echo "LEAK: $*"; leaks=$((leaks + 1)); }
export GIT_DIR=.git
[ "$(git rev-parse HEAD)" = "${baseCommit}" ] || leak "HEAD is $(git rev-parse HEAD), not ${baseCommit}"
git rev-list --objects ${baseCommit} | cut -d' ' -f1 | sort -u > /tmp/reachable
git cat-file --batch-all-objects --batch-check='%(objectname)' | sort -u > /tmp/stored
extra=$(comm -23 /tmp/stored /tmp/reachable | wc -l)
[ "$extra" = 0 ] || leak "$extra object(s) not reachable from base_commit, e.g. $(comm -23 /tmp/stored /tmp/reachable | head -3 | tr '\\n' ' ')"
others=$(git for-each-ref --format='%(refname) %(objectname)' | grep -vx "refs/heads/main ${baseCommit}" | tr '\\n' ' ')
[ -z "$others" ] || leak "other refs: $others"
for f in FETCH_HEAD ORIG_HEAD MERGE_HEAD shallow; do [ ! -e ".git/$f" ] || leak ".git/$f exists"; done
named=$( { git rev-list --all --reflog 2>/dev/null; grep -ohE '[0-9a-f]{40}' .git/packed-refs .git/logs -r 2>/dev/null; } | grep -v '^0\{40\}$' | sort -u | comm -23 - /tmp/reachable | wc -l)
[ "$named" = 0 ] || leak "$named commit(s) named by refs, reflogs or packed-refs are not behind base_commit"
git diff --quiet HEAD -- || leak "tracked files differ from base_commit: $(git diff --name-only HEAD -- | head -3 | tr '\\n' ' ')"
echo "untracked files: $(git ls-files --others | wc -l)"
[ "$leaks" = 0 ] && echo "${HISTORY_HIDDEN}"
exit "$leaks"
`;
}
