"""Checks the JSON of act-bench --suite=backward (backward.test): the triad
measured in the same run; for every backward workload an act and a oneDNN
row, correct, with GB/s counting 12 bytes per element, and a summary entry
with the ratios and targets; for every (MLP batch, thread count) a measured,
correct act row and a summary entry. With "torch", PyTorch's rows too."""

import json
import sys

report = json.load(open(sys.argv[1]))
workloads, batches, threads = (int(a) for a in sys.argv[2:5])
with_torch = len(sys.argv) > 5 and sys.argv[5] == "torch"

meta, machine = report["meta"], report["machine"]
assert meta["suite"] == "backward" and meta["threads"] == list(
    range(1, threads + 1)), meta
assert set(meta["targets"]) == {"backward_vs_best_peer",
                                "memory_bound_vs_triad", "mlp_vs_torch"}
assert {t["impl"] for t in machine["triad"]} == {"triad", "stream_triad"}
assert machine["triad_gbps"] == max(t["gbps"] for t in machine["triad"])
for t in machine["triad"]:
    assert t["bytes"] == 12 * t["floats"] and t["gbps"] > 0, t

names = [w["name"] for w in report["workloads"]]
assert len(names) == workloads, names
impls = ("act", "onednn", "torch") if with_torch else ("act", "onednn")
for impl in impls:
    got = sorted(r["workload"] for r in report["rows"] if r["impl"] == impl)
    assert got == sorted(names), (impl, got)
for w, r in ((w, r) for w in report["workloads"] for r in report["rows"]
             if r["workload"] == w["name"]):
    assert r["bytes"] == 12 * w["elements"], (w, r)
    assert r["error"] < 1e-4 and r["gbps"] > 0 and r["min_s"] > 0, r
    assert abs(r["gbps"] - r["bytes"] / r["min_s"] * 1e-9) < 1e-6 * r["gbps"]
    assert abs(r["vs_triad"] * machine["triad_gbps"] - r["gbps"]) < 1e-6 * r[
        "gbps"], r
for s in report["summary"]:
    rows = {r["impl"]: r for r in report["rows"]
            if r["workload"] == s["workload"]}
    peer = max((r for i, r in rows.items() if i != "act"),
               key=lambda r: r["gbps"])
    assert s["best_peer"] == peer["impl"], s
    assert abs(s["act_vs_best_peer"] - rows["act"]["gbps"] / peer["gbps"]) \
        < 1e-6, s
    assert s["meets_peer_target"] == (s["act_vs_best_peer"] >= 1.2), s
    # The triad target is the memory-bound (from-output) workloads' only.
    assert (s["meets_triad_target"] is None) == (not s["memory_bound"]), s

assert len(report["mlp_workloads"]) == batches
mlp = report["mlp_rows"]
for impl in ("act", "torch") if with_torch else ("act",):
    rows = [r for r in mlp if r["impl"] == impl]
    assert len(rows) == batches * threads, (impl, rows)
    for r in rows:
        assert r["measured"] and r["median_s"] > 0 and r["gflops"] > 0, r
        assert r["error"] < 1e-4 and not r["wrong"], r
assert len(report["mlp_summary"]) == batches * threads
for s in report["mlp_summary"]:
    assert s["act_correct"] is True and s["act_s"] > 0, s
    if with_torch:
        assert abs(s["speedup_vs_torch"] - s["torch_s"] / s["act_s"]) < 1e-6
        assert s["meets_target"] == (s["speedup_vs_torch"] >= 1.5), s
    else:
        assert s["torch_s"] is None and s["meets_target"] is None, s
