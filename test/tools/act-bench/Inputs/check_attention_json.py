"""Checks the JSON of act-bench --suite=attention (attention.test): machine
info with the measured peaks, and for each of the N workloads an oneDNN and
an act row, measured and correct, act matching oneDNN, PyTorch eager rows on
every workload and SDPA rows on the full-attention ones (with `torch` as a
last argument), and a summary entry per workload."""

import json
import sys

report = json.load(open(sys.argv[1]))
expected = int(sys.argv[2])
with_torch = sys.argv[3:] == ["torch"]

machine = report["machine"]
assert machine["cores"] >= 1 and set(machine["isa"]) == {"avx2", "fma",
                                                         "avx512f"}, machine
assert machine["peak_gflops"]["1"] > 0, machine
assert {c["impl"] for c in machine["copy"]} == {"memcpy", "stream_copy"}, \
    machine["copy"]
meta = report["meta"]
assert meta["suite"] == "attention" and meta["threads"] == [1], meta
assert meta["tolerance"] == 1e-4, meta

workloads = report["workloads"]
assert len(workloads) == expected, workloads
names = sorted(w["name"] for w in workloads)
for w in workloads:
    per_head = 2 * w["l"] * w["s"] * w["d"] * (2 if w["kind"] == "attention"
                                                else 1)
    assert w["flops"] == per_head * max(1, w["heads"]), w
    assert abs(w["scale"] - w["d"] ** -0.5) < 1e-12, w
rows = report["rows"]
impls = ["onednn", "act"] + (["torch"] if with_torch else [])
for impl in impls:
    got = sorted(r["workload"] for r in rows if r["impl"] == impl)
    assert got == names, (impl, got)
if with_torch:
    sdpa = sorted(r["workload"] for r in rows if r["impl"] == "torch_sdpa")
    assert sdpa == sorted(w["name"] for w in workloads
                          if w["kind"] == "attention"), sdpa
for r in rows:
    assert r["measured"] and r["gflops"] > 0 and r["median_s"] > 0, r
    assert r["error"] < 1e-4 and not r["wrong"], r
    assert 0 < r["peak_fraction"] and r["vs_best_peer"] > 0, r
    if r["impl"] == "act":
        assert r["vs_onednn"] < 1e-4 and r["setup_s"] > 0, r
summary = report["summary"]
assert len(summary) == expected, summary
for s in summary:
    assert s["act_check"] == "ok" and s["act_matches_onednn"] is True, s
    assert s["act_vs_best_peer"] > 0 and s["act_vs"]["onednn"] > 0, s
    assert (s["act_vs"]["torch"] is not None) == with_torch, s
