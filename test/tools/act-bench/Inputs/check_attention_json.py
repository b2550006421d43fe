"""Checks the JSON of act-bench --suite=attention (attention.test): machine
info with the measured peaks, and for each of the N workloads an oneDNN and
an act row, measured and correct, act matching oneDNN, PyTorch eager rows on
every workload and SDPA rows on the full-attention ones (with `torch` as a
last argument), and a summary entry per workload."""

import sys

import flops_report

report = flops_report.load("attention")
expected = int(sys.argv[2])
with_torch = sys.argv[3:] == ["torch"]
assert report["meta"]["tolerance"] == 1e-4, report["meta"]

impls = ["onednn", "act"] + (["torch"] if with_torch else [])
flops_report.check_rows(report, expected, impls)
workloads = report["workloads"]
for w in workloads:
    per_head = 2 * w["l"] * w["s"] * w["d"] * (2 if w["kind"] == "attention"
                                                else 1)
    assert w["flops"] == per_head * max(1, w["heads"]), w
    assert abs(w["scale"] - w["d"] ** -0.5) < 1e-12, w
if with_torch:
    sdpa = sorted(r["workload"] for r in report["rows"]
                  if r["impl"] == "torch_sdpa")
    assert sdpa == sorted(w["name"] for w in workloads
                          if w["kind"] == "attention"), sdpa
for s in report["summary"]:
    assert s["act_check"] == "ok" and s["act_matches_onednn"] is True, s
    assert s["act_vs_best_peer"] > 0 and s["act_vs"]["onednn"] > 0, s
    assert (s["act_vs"]["torch"] is not None) == with_torch, s
