#!/usr/bin/env python3
"""Writes act-fuzz's seed corpus: every case of the test suite's .mlir files.

Each file under test/ is split at its `// -----` markers (the cases of
-split-input-file tests) and its `//` comment lines (RUN, CHECK,
expected-error) are dropped; every distinct case of at most --max-len bytes
becomes one file in DEST, named by its hash. docs/Testing.md, "Fuzzing".

    tools/act-fuzz/make_corpus.py DEST [--max-len=8192]
"""

import argparse
import hashlib
import pathlib
import re
import sys


def cases(path):
    text = path.read_text(errors="replace")
    for case in re.split(r"^// -----.*$", text, flags=re.M):
        lines = [l for l in case.splitlines() if not l.lstrip().startswith("//")]
        body = "\n".join(lines).strip()
        if body:
            yield body + "\n"


def main():
    root = pathlib.Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=pathlib.Path)
    parser.add_argument("--max-len", type=int, default=8192)
    parser.add_argument("--tests", type=pathlib.Path, default=root / "test")
    args = parser.parse_args()
    args.dest.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in sorted(args.tests.rglob("*.mlir")):
        for case in cases(path):
            data = case.encode()
            if len(data) > args.max_len:
                continue
            name = hashlib.sha1(data).hexdigest()[:16] + ".mlir"
            target = args.dest / name
            if not target.exists():
                target.write_bytes(data)
                written += 1
    print(f"{written} seeds in {args.dest}")
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
