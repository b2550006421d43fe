#!/usr/bin/env bash
# Sets up and builds act (tools/setup.sh), then runs the whole test suite
# (lit: FileCheck tests, the C++ unit tests and the Python reference tests).
# Ends with a summary line "N passed, N failed". Extra arguments go to lit,
# e.g. tools/test.sh --filter=fold.
#
# The sanitizer suite is the same tests on a build instrumented with ASan and
# UBSan (plus the act-fuzz runs), in build-asan: ACT_SANITIZE=1 tools/test.sh
# runs it alone; CI (CI=true) runs both suites and sums them in the one
# summary line. ACT_SANITIZE=0 keeps CI to the normal suite.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

sanitize=${ACT_SANITIZE:-}
normal_build=${ACT_BUILD_DIR:-$root/build}
sanitize_build=${ACT_SANITIZE_BUILD_DIR:-$root/build-asan}
if [ -z "$sanitize" ] || [ "$sanitize" = 0 ]; then
  suites=(normal)
  [ "${CI:-}" = true ] && [ "$sanitize" != 0 ] && suites+=(sanitize)
  [ "$sanitize" = 0 ] || sanitize=1
else
  # Only the sanitizer suite: ACT_BUILD_DIR, if given, is its build.
  suites=(sanitize)
  sanitize_build=${ACT_SANITIZE_BUILD_DIR:-${ACT_BUILD_DIR:-$root/build-asan}}
fi

status=0
results=()
for suite in "${suites[@]}"; do
  if [ "$suite" = normal ]; then
    build=$normal_build
    ACT_SANITIZE= ACT_BUILD_DIR=$build "$root/tools/setup.sh" || exit 1
  else
    build=$sanitize_build
    printf '== the sanitizer suite (ASan + UBSan) in %s\n' "$build" >&2
    ACT_SANITIZE=$sanitize ACT_BUILD_DIR=$build "$root/tools/setup.sh" || exit 1
  fi
  result=$build/test-results.json
  rm -f "$result"
  /usr/lib/llvm-22/bin/lit -sv --order=lexical -o "$result" "$@" "$build/test" "$build/test/Unit" ||
    status=1
  results+=("$suite=$result")
done

# One line per suite when there are several, then the total: the last line
# is the summary.
"$root/.venv/bin/python" - "${results[@]}" <<'PY'
import json, os, sys
total = [0, 0, 0]
for arg in sys.argv[1:]:
    suite, path = arg.split("=", 1)
    codes = []
    if os.path.exists(path):
        codes = [t["code"] for t in json.load(open(path))["tests"]]
    passed = sum(c in ("PASS", "XFAIL") for c in codes)
    failed = sum(c in ("FAIL", "XPASS", "TIMEOUT", "UNRESOLVED") for c in codes)
    # No results at all (lit did not run) counts as a failure.
    failed += not codes
    skipped = len(codes) - passed - (failed - (not codes))
    if len(sys.argv) > 2:
        print(f"== {suite} suite: {passed} passed, {failed} failed, {skipped} skipped",
              file=sys.stderr, flush=True)
    total = [a + b for a, b in zip(total, (passed, failed, skipped))]
print(f"{total[0]} passed, {total[1]} failed, {total[2]} skipped")
PY
exit $status
