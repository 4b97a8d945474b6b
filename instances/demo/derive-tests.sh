#!/usr/bin/env bash
# Finds each demo task's FAIL_TO_PASS and PASS_TO_PASS by running its tests, the way
# SWE-bench's validation does, in a fresh Debian bookworm container per run:
#   before: base_commit + test_patch            after: base_commit + patch + test_patch
# where patch / test_patch are `git diff base fix` over the fix's non-test / test files.
# FAIL_TO_PASS = not passing before, passing after; PASS_TO_PASS = passing in both.
#
# Writes the raw test output to logs/<instance_id>.{before,after}.txt and prints the lists.
# The instance YAMLs hold what this printed; rerun it after changing make-repos.sh.
#
# Needs: git, docker, the image swe-harness/os:bookworm (scripts/ set it up), Debian's mirror.
# Usage: bash instances/demo/derive-tests.sh [task-name...]   (default: all five)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGE="${DEMO_OS_IMAGE:-swe-harness/os:bookworm}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 LC_ALL=C

# name | instance_id | base | fix | test pathspec | Debian packages | env | test command | parser
# The test commands and env match config/specs/demo__<name>.yaml with {tests} filled in.
TASKS=(
  "textkit|demo__textkit-1|15d796ed40ece3615d9cac2ea540329ff225b968|3440b8422a53991dc728b30ab9bf7b37cccbdf3d|tests/|python3 python3-pytest|PYTHONDONTWRITEBYTECODE=1|python3 -m pytest -rA -p no:cacheprovider {tests}|pytest"
  "ledger|demo__ledger-1|0c2a036dff574570a77e569a8738231965222397|8ca504ef61b7407a011a490f6ee3479ce6187a1a|tests/|python3|PYTHONDONTWRITEBYTECODE=1|python3 -m unittest -v {tests}|unittest"
  "semver-lite|demo__semver-lite-1|ef928aa6736d2c38e6d8abdb9fb4b1ace167228a|8859c403362b07830ff853a532700f6e466af480|test/|nodejs||node --test {tests}|node-tap"
  "ratelimit|demo__ratelimit-1|b93739770bbb08f874e453a319b0807c56c39f75|01ed2a587475467208c22f7bd0ee588613128457|*_test.go|golang-go|GOCACHE=/tmp/gocache CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=mod|go test -v ./...|gotest"
  "durations|demo__durations-1|66323591c389b96a43c2a2dbcbe46ff28e7e8dcd|8a39beb463cd3e7bb9d44b2cc3ecd24aa9640660|tests/|cargo|CARGO_HOME=/tmp/cargo CARGO_NET_OFFLINE=true RUST_BACKTRACE=0 CARGO_TERM_COLOR=never|cargo test --offline --no-fail-fast|cargo"
)

# statuses <parser> <log>: "<status> <test name>" lines, status PASS or FAIL.
statuses() {
  case $1 in
    pytest) # the -rA short summary: "PASSED tests/x.py::test_a", "FAILED tests/x.py::test_b - msg"
      sed -nE 's/^(PASSED|XFAIL) ([^ ]+).*/PASS \2/p; s/^(FAILED|ERROR|XPASS) ([^ ]+).*/FAIL \2/p' "$2" ;;
    unittest) # "test_a (tests.test_x.Cls.test_a) ... ok"
      sed -nE 's/^(test[^ ]* \([^)]*\)) \.\.\. (ok|expected failure)$/PASS \1/p; s/^(test[^ ]* \([^)]*\)) \.\.\. (FAIL|ERROR|unexpected success)$/FAIL \1/p' "$2" ;;
    cargo) # "test compound ... ok", "test tests::x - should panic ... FAILED"
      sed -nE 's/^test (.+) \.\.\. ok$/PASS \1/p; s/^test (.+) \.\.\. FAILED$/FAIL \1/p' "$2" | sed -E 's/ - should panic$//' ;;
    gotest) # "--- PASS: TestA (0.00s)", "    --- FAIL: TestA/sub (0.00s)"
      sed -nE 's/^ *--- PASS: ([^ ]+) .*/PASS \1/p; s/^ *--- FAIL: ([^ ]+) .*/FAIL \1/p' "$2" ;;
    node-tap) # nested "# Subtest:" blocks, 4 spaces a level; leaves are named "suite > test",
      # suites (tests with subtests) and a per-file wrapper level are left out.
      awk '
        /^ *# Subtest: / {
          # A test announces itself before its subtests report: that names the ancestors.
          depth = match($0, /[^ ]/) - 1; line = substr($0, depth + 1)
          sub(/^# Subtest: /, "", line); name[depth / 4] = line
          next
        }
        /^ *(ok|not ok) [0-9]+ - / {
          depth = match($0, /[^ ]/) - 1; level = depth / 4
          line = substr($0, depth + 1); ok = (line ~ /^ok /)
          sub(/^(ok|not ok) [0-9]+ - /, "", line); sub(/ # (SKIP|TODO).*$/, "", line)
          name[level] = line
          full = ""
          for (i = 0; i <= level; i++) {
            if (i == 0 && name[0] ~ /\.(c|m)?js$/) continue
            full = full == "" ? name[i] : full " > " name[i]
          }
          # Children report before their parent: a test with reports one level down is a suite.
          suite = hadkids[level + 1]; hadkids[level + 1] = 0; hadkids[level] = 1
          if (!suite) print (ok ? "PASS " : "FAIL ") full
        }' "$2" ;;
  esac
}

# run_side <dir> <packages> <env> <test command> <log>: the test command in a fresh container.
run_side() {
  local dir=$1 packages=$2 env=$3 cmd=$4 log=$5 envargs=() var
  for var in $env; do envargs+=(-e "$var"); done
  set +e
  docker run --rm -v "$dir:/testbed" -w /testbed "${envargs[@]}" "$IMAGE" bash -c "
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages; } >/tmp/apt.log 2>&1 \
      || { cat /tmp/apt.log >&2; exit 99; }
    $cmd" >"$log" 2>&1
  local rc=$?
  set -e
  [[ $rc == 99 ]] && { cat "$log" >&2; echo "package install failed" >&2; exit 1; }
  echo "$rc"
}

derive() {
  local name=$1 id=$2 base=$3 fix=$4 pathspec=$5 packages=$6 env=$7 cmd=$8 parser=$9
  local src="$WORK/$name.src" tests nontests
  git clone -q "$HERE/repos/$name.bundle" "$src"
  tests=$(git -C "$src" diff --name-only "$base" "$fix" -- "$pathspec")
  nontests=$(git -C "$src" diff --name-only "$base" "$fix" | grep -vxF "$tests")
  # shellcheck disable=SC2086 # one path a word
  git -C "$src" diff --no-color --no-ext-diff "$base" "$fix" -- $nontests >"$WORK/$id.patch"
  # shellcheck disable=SC2086
  git -C "$src" diff --no-color --no-ext-diff "$base" "$fix" -- $tests >"$WORK/$id.test_patch"
  cmd=${cmd//\{tests\}/$(echo $tests)}
  mkdir -p "$HERE/logs"
  local side rc
  for side in before after; do
    git clone -q "$HERE/repos/$name.bundle" "$WORK/$id.$side"
    git -C "$WORK/$id.$side" -c advice.detachedHead=false checkout -q "$base"
    git -C "$WORK/$id.$side" apply "$WORK/$id.test_patch"
    [[ $side == after ]] && git -C "$WORK/$id.$side" apply "$WORK/$id.patch"
    rc=$(run_side "$WORK/$id.$side" "$packages" "$env" "$cmd" "$HERE/logs/$id.$side.txt")
    statuses "$parser" "$HERE/logs/$id.$side.txt" | sort -u >"$WORK/$id.$side.status"
    echo "$id $side: \`$cmd\` exit $rc, $(grep -c '^PASS' "$WORK/$id.$side.status") passed," \
      "$(grep -c '^FAIL' "$WORK/$id.$side.status") failed"
  done
  sed -n 's/^PASS //p' "$WORK/$id.before.status" | sort >"$WORK/pass.before"
  sed -n 's/^PASS //p' "$WORK/$id.after.status" | sort >"$WORK/pass.after"
  echo "FAIL_TO_PASS:"; comm -13 "$WORK/pass.before" "$WORK/pass.after" | sed 's/^/  - /'
  echo "PASS_TO_PASS:"; comm -12 "$WORK/pass.before" "$WORK/pass.after" | sed 's/^/  - /'
  echo "PASS_TO_FAIL (must be empty):"; comm -23 "$WORK/pass.before" "$WORK/pass.after" | sed 's/^/  - /'
}

for task in "${TASKS[@]}"; do
  IFS='|' read -r name id base fix pathspec packages env cmd parser <<<"$task"
  if [[ $# -gt 0 && ! " $* " =~ " $name " ]]; then continue; fi
  derive "$name" "$id" "$base" "$fix" "$pathspec" "$packages" "$env" "$cmd" "$parser"
done
