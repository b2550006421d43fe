"""Checks the JSON of act-bench --suite=dense (dense.test): machine info with
the measured peaks and copies, and for each of the N workloads an act row,
measured, matching oneDNN, with its compile time, and a summary entry."""

import sys

import flops_report

report = flops_report.load("dense")
flops_report.check_rows(report, int(sys.argv[2]),
                        ("act", "onednn", "onednn_any"))
assert all(s["act_matches_onednn"] is True and s["act_vs_onednn"] > 0
           for s in report["summary"]), report["summary"]
