"""Checks the JSON of act-bench --suite=dense (dense.test): machine info with
the measured peaks and copies, and for each of the N workloads an act row,
measured, matching oneDNN, with its compile time, and a summary entry."""

import json
import sys

report = json.load(open(sys.argv[1]))
expected = int(sys.argv[2])

machine = report["machine"]
assert machine["cores"] >= 1 and set(machine["isa"]) == {"avx2", "fma",
                                                         "avx512f"}, machine
assert machine["peak_gflops"]["1"] > 0, machine
assert any(p["isa"] == "avx2" and p["threads"] == 1 and p["gflops"] > 0
           for p in machine["fma_peaks"]), machine
assert {c["impl"] for c in machine["copy"]} == {"memcpy", "stream_copy"}, \
    machine["copy"]
assert report["meta"]["suite"] == "dense" and report["meta"]["threads"] == [1]

workloads = [w["name"] for w in report["workloads"]]
assert len(workloads) == expected, workloads
rows = report["rows"]
for impl in ("act", "onednn", "onednn_any"):
    got = sorted(r["workload"] for r in rows if r["impl"] == impl)
    assert got == sorted(workloads), (impl, got)
for r in rows:
    assert r["measured"] and r["gflops"] > 0 and r["median_s"] > 0, r
    assert r["error"] < 1e-4 and not r["wrong"], r
    assert 0 < r["peak_fraction"] and r["vs_best_peer"] > 0, r
    if r["impl"] == "act":
        assert r["vs_onednn"] < 1e-4 and r["setup_s"] > 0, r
summary = report["summary"]
assert len(summary) == expected, summary
assert all(s["act_matches_onednn"] is True and s["act_vs_onednn"] > 0
           for s in summary), summary
