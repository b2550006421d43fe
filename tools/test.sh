#!/usr/bin/env bash
# Sets up and builds act (tools/setup.sh), then runs the whole test suite
# (lit: FileCheck tests, the C++ unit tests and the Python reference tests).
# Ends with a summary line "N passed, N failed". Extra arguments go to lit,
# e.g. tools/test.sh --filter=fold.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ACT_BUILD_DIR:-$root/build}
"$root/tools/setup.sh" || exit 1

results=$build/test-results.json
/usr/lib/llvm-22/bin/lit -sv --order=lexical -o "$results" "$@" "$build/test" "$build/test/Unit"
status=$?
"$root/.venv/bin/python" - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))["tests"]
codes = [t["code"] for t in tests]
passed = sum(c in ("PASS", "XFAIL") for c in codes)
failed = sum(c in ("FAIL", "XPASS", "TIMEOUT", "UNRESOLVED") for c in codes)
skipped = len(codes) - passed - failed
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
