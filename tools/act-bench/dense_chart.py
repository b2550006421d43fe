"""The chart of act-bench --suite=dense: GFLOP/s per workload, grouped bars
per implementation, one panel per thread count, the FMA peak measured in the
same run drawn across each panel as its roofline.

    dense_chart.py RESULTS.json CHART.png

RESULTS.json is what act-bench --suite=dense --json writes (act-bench
--chart runs this script itself). Needs matplotlib
(tools/requirements-bench.txt).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

IMPLS = ["act", "onednn", "onednn_any", "torch", "torch_compile", "numpy",
         "iree"]
COLORS = {"act": "#d62728", "onednn": "#1f77b4", "onednn_any": "#aec7e8",
          "torch": "#ff7f0e", "torch_compile": "#ffbb78", "numpy": "#2ca02c",
          "iree": "#9467bd"}


def draw(report, path, order=IMPLS, colors=COLORS, suite="dense"):
    """The chart of `report` (the JSON of --suite=dense, or of a suite with
    the same "rows", "workloads", "meta" and "machine": the attention suite)
    into `path`, the implementations in `order`."""
    rows = report["rows"]
    workloads = [w["name"] for w in report["workloads"]]
    threads = report["meta"]["threads"]
    peaks = report["machine"]["peak_gflops"]
    peak_isa = {}
    for p in report["machine"]["fma_peaks"]:
        best = peak_isa.get(p["threads"])
        if best is None or p["gflops"] > best["gflops"]:
            peak_isa[p["threads"]] = p
    impls = [i for i in order if any(r["impl"] == i for r in rows)]

    width = 0.8 / max(1, len(impls))
    fig, axes = plt.subplots(len(threads), 1, squeeze=False,
                             figsize=(max(8, 0.55 * len(workloads) *
                                          max(1, len(impls)) / 3), 4.5 *
                                      len(threads)))
    for ax, t in zip(axes[:, 0], threads):
        for j, impl in enumerate(impls):
            xs, ys = [], []
            for i, w in enumerate(workloads):
                for r in rows:
                    if (r["workload"] == w and r["impl"] == impl and
                            r["threads"] == t and r["gflops"]):
                        xs.append(i + (j - (len(impls) - 1) / 2) * width)
                        ys.append(r["gflops"])
            if xs:
                ax.bar(xs, ys, width, label=impl, color=colors.get(impl))
            elif impl == "act":
                ax.text(0.01, 0.97, "act: no result at %d thread%s (see the "
                        "table's notes)" % (t, "" if t == 1 else "s"),
                        transform=ax.transAxes, va="top", fontsize=8,
                        color=colors.get("act"))
        peak = peaks.get(str(t))
        if peak:
            isa = peak_isa.get(t, {}).get("isa", "")
            ax.axhline(peak, color="black", linestyle="--", linewidth=1,
                       label="FMA peak %s %.0f GFLOP/s" % (isa, peak))
        ax.set_yscale("log")
        ax.set_ylabel("GFLOP/s (log)")
        ax.set_title("%d thread%s" % (t, "" if t == 1 else "s"))
        ax.set_xticks(range(len(workloads)))
        ax.set_xticklabels(workloads, rotation=60, ha="right", fontsize=8)
        ax.set_xlim(-0.6, len(workloads) - 0.4)
        ax.grid(axis="y", which="both", alpha=0.3)
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.005, 1.0))
    fig.suptitle("act-bench --suite=%s: %s, GFLOP/s from the median time"
                 % (suite, report["machine"]["cpu"]))
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: dense_chart.py RESULTS.json CHART.png")
    with open(sys.argv[1]) as f:
        report = json.load(f)
    draw(report, sys.argv[2])


if __name__ == "__main__":
    main()
