"""The chart of act-bench --suite=attention: GFLOP/s (the matmuls' FLOPs)
per workload, grouped bars per implementation, one panel per thread count,
the FMA peak measured in the same run drawn across each panel as its
roofline (dense_chart.py draws it).

    attention_chart.py RESULTS.json CHART.png

RESULTS.json is what act-bench --suite=attention --json writes (act-bench
--chart runs this script itself). Needs matplotlib
(tools/requirements-bench.txt).
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dense_chart  # noqa: E402

IMPLS = ["act", "onednn", "torch", "torch_sdpa", "torch_compile", "iree"]
COLORS = {"act": "#d62728", "onednn": "#1f77b4", "torch": "#ff7f0e",
          "torch_sdpa": "#8c564b", "torch_compile": "#ffbb78",
          "iree": "#9467bd"}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: attention_chart.py RESULTS.json CHART.png")
    with open(sys.argv[1]) as f:
        report = json.load(f)
    dense_chart.draw(report, sys.argv[2], IMPLS, COLORS, "attention")


if __name__ == "__main__":
    main()
