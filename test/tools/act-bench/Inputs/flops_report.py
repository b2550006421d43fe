"""What the JSON checks of act-bench's GFLOP/s suites share
(check_dense_json.py, check_attention_json.py): the machine, the meta, and a
measured, correct row of each implementation on each workload."""

import json
import sys


def load(suite):
    """The report named first on the command line, of `suite` at one thread,
    with the machine's measured FMA peaks and copies."""
    report = json.load(open(sys.argv[1]))
    machine = report["machine"]
    assert machine["cores"] >= 1 and set(machine["isa"]) == {
        "avx2", "fma", "avx512f"}, machine
    assert machine["peak_gflops"]["1"] > 0, machine
    assert any(p["isa"] == "avx2" and p["threads"] == 1 and p["gflops"] > 0
               for p in machine["fma_peaks"]), machine
    assert {c["impl"] for c in machine["copy"]} == {"memcpy", "stream_copy"}, \
        machine["copy"]
    meta = report["meta"]
    assert meta["suite"] == suite and meta["threads"] == [1], meta
    return report


def check_rows(report, expected, impls):
    """`expected` workloads, each with a row of every one of `impls`; every
    row measured and correct, act's matching oneDNN, with its compile time;
    a summary entry per workload."""
    names = sorted(w["name"] for w in report["workloads"])
    assert len(names) == expected, names
    rows = report["rows"]
    for impl in impls:
        got = sorted(r["workload"] for r in rows if r["impl"] == impl)
        assert got == names, (impl, got)
    for r in rows:
        assert r["measured"] and r["gflops"] > 0 and r["median_s"] > 0, r
        assert r["error"] < 1e-4 and not r["wrong"], r
        assert 0 < r["peak_fraction"] and r["vs_best_peer"] > 0, r
        if r["impl"] == "act":
            assert r["vs_onednn"] < 1e-4 and r["setup_s"] > 0, r
    assert len(report["summary"]) == expected, report["summary"]
